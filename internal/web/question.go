package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"sightline"
)

// Question pages. A question is one of three things:
//
//   - new: /question/new opens the notebook editor, /question/new?type=native
//     the SQL editor (?db= and ?table= preselect the data);
//   - ad hoc: /question?q=<state> (or /question#<state>, read by question.js)
//     reopens an unsaved question exactly, where <state> is the base64url
//     (padding optional) of either a query in the wire format or
//     {"dataset_query": query, "display": "line", "visualization_settings": {}};
//     drill-through and "share" produce these links;
//   - saved: /question/12 or /question/12-some-slug.

// Question page modes.
const (
	questionNew   = "new"
	questionAdHoc = "adhoc"
	questionSaved = "saved"
)

// questionState is what question.js receives in the page's JSON block.
type questionState struct {
	Mode string `json:"mode"`
	// Card is the saved question (mode saved), or nil.
	Card *sightline.Card `json:"card"`
	// Query, Display and Settings are the question as it opens; Display ""
	// lets the chart type be chosen from the result.
	Query    *sightline.Query `json:"dataset_query"`
	Display  string           `json:"display"`
	Settings json.RawMessage  `json:"visualization_settings"`
	// TableID preselects a table for a new question.
	TableID int64 `json:"table_id,omitempty"`
	// Shell flags the script honours (embedding hides parts of the page).
	ActionButtons bool `json:"action_buttons"`
	// CanReplace is whether the person may overwrite the saved question
	// (write its collection); otherwise they may only save a copy.
	CanReplace bool `json:"can_replace"`
}

// questionView is the question page's model.
type questionView struct {
	questionState
	Title string
	// Info is the "edited by" line of a saved question.
	Info string
	// State is the JSON the script reads.
	State questionState
	// SaveCollections are the collections the save dialog offers (those
	// the person may save into) and SaveSelected the one it preselects.
	SaveCollections []collectionOption
	SaveSelected    int64
	// SaveDashboards are the dashboards the person may change, which the
	// dialog offers to add a newly saved question to.
	SaveDashboards []collectionOption
}

// CanSave is whether the person may save the question anywhere: without a
// collection to save into, the page offers no Save.
func (v questionView) CanSave() bool { return len(v.SaveCollections) > 0 }

// SaveWhenModified is whether Save shows only once the question changes: a
// saved question the person may not overwrite offers a copy of their
// changes, never of the question as it is.
func (v questionView) SaveWhenModified() bool { return v.Card != nil && !v.CanReplace }

// adHocState is the shape of an ad-hoc question's URL state besides a bare
// query.
type adHocState struct {
	Query    json.RawMessage `json:"dataset_query"`
	Display  string          `json:"display"`
	Settings json.RawMessage `json:"visualization_settings"`
}

// decodeAdHoc reads an ad-hoc question's URL state (see the package
// comment above). Malformed state is EINVALID naming the problem.
func decodeAdHoc(s string) (*sightline.Query, string, json.RawMessage, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		if raw, err = base64.RawStdEncoding.DecodeString(s); err != nil {
			return nil, "", nil, sightline.Errorf(sightline.EINVALID, "The question in this link is damaged: it is not base64url.")
		}
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, "", nil, sightline.Errorf(sightline.EINVALID, "The question in this link is damaged: it is not a JSON object.")
	}
	if _, ok := probe["dataset_query"]; !ok {
		q, err := sightline.ParseQuery(raw)
		return q, "", nil, err
	}
	var st adHocState
	if err := json.Unmarshal(raw, &st); err != nil {
		return nil, "", nil, sightline.Errorf(sightline.EINVALID, "The question in this link is damaged: %v", err)
	}
	q, err := sightline.ParseQuery(st.Query)
	if err != nil {
		return nil, "", nil, err
	}
	st.Display, st.Settings = sightline.CanonicalDisplay(st.Display, st.Settings)
	if st.Display != "" && !validDisplay(st.Display) {
		return nil, "", nil, sightline.Errorf(sightline.EINVALID, "Unknown visualization %q.", st.Display)
	}
	if len(st.Settings) > 0 && !bytes.HasPrefix(bytes.TrimSpace(st.Settings), []byte("{")) {
		return nil, "", nil, sightline.Errorf(sightline.EINVALID, "Visualization settings must be a JSON object.")
	}
	return q, st.Display, st.Settings, nil
}

// encodeAdHoc is the inverse of decodeAdHoc, for links made on the server.
func encodeAdHoc(q *sightline.Query, display string) (string, error) {
	b, err := json.Marshal(map[string]any{"dataset_query": q, "display": display, "visualization_settings": json.RawMessage("{}")})
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// validDisplay reports whether d is a known visualization.
func validDisplay(d string) bool {
	for _, x := range sightline.Displays {
		if x == d {
			return true
		}
	}
	return false
}

// newQuestionPage serves GET /question/new: the notebook editor, or the SQL
// editor with ?type=native. ?db= and ?table= preselect the data.
func (s *Server) newQuestionPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	v := questionView{Title: "New question"}
	v.Mode = questionNew
	db, _ := strconv.ParseInt(r.URL.Query().Get("db"), 10, 64)
	v.TableID, _ = strconv.ParseInt(r.URL.Query().Get("table"), 10, 64)
	if v.TableID > 0 {
		t, err := s.app.Table(r.Context(), u, v.TableID)
		if err != nil {
			return err
		}
		db = t.DatabaseID
	}
	if r.URL.Query().Get("type") == sightline.QueryTypeNative {
		v.Title = "New SQL query"
		v.Query = &sightline.Query{Version: sightline.QueryVersion, Database: db, Type: sightline.QueryTypeNative, Native: &sightline.NativeQuery{}}
	}
	if v.Query == nil && db > 0 {
		v.Query = &sightline.Query{Version: sightline.QueryVersion, Database: db, Type: sightline.QueryTypeStructured,
			Structured: &sightline.StructuredQuery{SourceTable: v.TableID}}
	}
	return s.renderQuestion(w, r, v)
}

// adHocQuestionPage serves GET /question: an unsaved question whose state
// is in the URL (?q=, or the fragment, which only the script sees).
func (s *Server) adHocQuestionPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	v := questionView{Title: "Question"}
	v.Mode = questionAdHoc
	if enc := r.URL.Query().Get("q"); enc != "" {
		q, display, settings, err := decodeAdHoc(enc)
		if err != nil {
			return err
		}
		v.Query, v.Display, v.Settings = q, display, settings
	}
	return s.renderQuestion(w, r, v)
}

// questionPage serves GET /question/{id}, where {id} is "12" or
// "12-some-slug": a saved question with its chart.
func (s *Server) questionPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	id, err := idFromSlug(r, "id")
	if err != nil {
		return err
	}
	c, err := s.app.Card(r.Context(), u, id)
	if err != nil {
		return err
	}
	v := questionView{Title: c.Name, Info: s.editedLine(r, u, c)}
	v.Mode, v.Card, v.Query, v.Display, v.Settings = questionSaved, c, c.Query, c.Display, c.VizSettings
	return s.renderQuestion(w, r, v)
}

// editedLine is the "edited by" line of a saved question. The creator's
// name shows when the viewer may see it (themselves, or an admin).
func (s *Server) editedLine(r *http.Request, u *sightline.User, c *sightline.Card) string {
	when := c.UpdatedAt
	if when.IsZero() {
		when = c.CreatedAt
	}
	line := "Edited " + when.UTC().Format("Jan 2, 2006")
	if by, err := s.app.User(r.Context(), u, c.CreatorID); err == nil {
		line += " by " + by.CommonName()
	}
	return line
}

// renderQuestion renders the question page with the shell's flags passed
// on to the script, and the collections its save dialog offers: the
// question's own collection is preselected when the person may save
// there, else their personal collection.
func (s *Server) renderQuestion(w http.ResponseWriter, r *http.Request, v questionView) error {
	var current int64
	if v.Card != nil {
		current = v.Card.CollectionID
	}
	var err error
	if v.SaveCollections, v.SaveSelected, err = s.saveTargets(r, userFrom(r.Context()), current); err != nil {
		return err
	}
	if v.CanSave() {
		ds, err := s.app.WritableDashboards(r.Context(), userFrom(r.Context()))
		if err != nil {
			return err
		}
		for _, d := range ds {
			v.SaveDashboards = append(v.SaveDashboards, collectionOption{ID: d.ID, Name: d.Name})
		}
	}
	if v.Card != nil {
		// The save targets are the collections the person may write.
		for _, c := range v.SaveCollections {
			if c.ID == current {
				v.CanReplace = true
			}
		}
	}
	sh := s.embedShell(r, defaultShell("question"))
	v.ActionButtons = sh.ActionButtons && sh.Header
	if len(v.Settings) == 0 {
		v.Settings = json.RawMessage("{}")
	}
	v.State = v.questionState
	s.render(w, r, http.StatusOK, "question", pageData{Title: v.Title, Shell: defaultShell("question"), Data: v})
	return nil
}
