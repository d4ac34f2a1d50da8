package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"sightline"
	"sightline/internal/app"
)

// boolParam reads an optional "true"/"false" URL query parameter, as the
// reference vendor's API accepts them; anything else is a 400.
func boolParam(r *http.Request, name string) (bool, error) {
	switch v := r.URL.Query().Get(name); v {
	case "":
		return false, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	default:
		return false, sightline.Errorf(sightline.EINVALID, "The parameter %s must be true or false, not %q.", name, v)
	}
}

// intParam reads an optional positive whole-number URL query parameter
// (0 when absent).
func intParam(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, sightline.Errorf(sightline.EINVALID, "The parameter %s must be a whole number, not %q.", name, v)
	}
	return n, nil
}

// apiListCards serves GET /api/card?f=&model_id=: the saved questions the
// person may read.
func (s *Server) apiListCards(w http.ResponseWriter, r *http.Request) error {
	model, err := intParam(r, "model_id")
	if err != nil {
		return err
	}
	cards, err := s.app.Cards(r.Context(), userFrom(r.Context()), r.URL.Query().Get("f"), model)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, cards)
	return nil
}

// apiDeleteCard serves DELETE /api/card/{id}: the question is deleted for
// good (PUT with {"archived": true} moves it to the trash instead).
func (s *Server) apiDeleteCard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.DeleteCard(r.Context(), userFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// dashboardRef is a dashboard named in a list, as GET
// /api/card/{id}/dashboards answers.
type dashboardRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// apiCardDashboards serves GET /api/card/{id}/dashboards: the dashboards
// showing the question that the person may open.
func (s *Server) apiCardDashboards(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ds, err := s.app.CardDashboards(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	out := make([]dashboardRef, len(ds))
	for i, d := range ds {
		out[i] = dashboardRef{ID: d.ID, Name: d.Name}
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}

// queryMetadataJSON is the reference vendor's query_metadata shape.
func queryMetadataJSON(m *app.QueryMetadata) map[string]any {
	return map[string]any{"databases": m.Databases, "tables": m.Tables, "fields": []any{}, "cards": []any{}, "snippets": []any{}}
}

// apiCardQueryMetadata serves GET /api/card/{id}/query_metadata.
func (s *Server) apiCardQueryMetadata(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.app.CardQueryMetadata(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, queryMetadataJSON(m))
	return nil
}

// apiDashboardQueryMetadata serves GET /api/dashboard/{id}/query_metadata.
func (s *Server) apiDashboardQueryMetadata(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.app.DashboardQueryMetadata(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, queryMetadataJSON(m))
	return nil
}

// dashboardSummary is a dashboard in a list: without its cards, with
// empty lists as [].
func dashboardSummary(d *sightline.Dashboard) *sightline.Dashboard {
	c := *d
	c.Cards = []sightline.DashboardCard{}
	if c.Parameters == nil {
		c.Parameters = []sightline.DashboardParameter{}
	}
	if c.Tabs == nil {
		c.Tabs = []sightline.DashboardTab{}
	}
	return &c
}

// apiListDashboards serves GET /api/dashboard?f=all|mine|archived.
func (s *Server) apiListDashboards(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.app.Dashboards(r.Context(), userFrom(r.Context()), r.URL.Query().Get("f"))
	if err != nil {
		return err
	}
	out := make([]*sightline.Dashboard, len(ds))
	for i, d := range ds {
		out[i] = dashboardSummary(d)
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}

// apiDeleteDashboard serves DELETE /api/dashboard/{id}: the dashboard is
// deleted for good, its questions stay.
func (s *Server) apiDeleteDashboard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.DeleteDashboard(r.Context(), userFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// collectionJSON is a collection in the reference vendor's list shape.
type collectionJSON struct {
	ID              any               `json:"id"`
	Name            string            `json:"name"`
	Description     *string           `json:"description"`
	Archived        bool              `json:"archived"`
	Slug            string            `json:"slug,omitempty"`
	Location        *string           `json:"location"`
	ParentID        *int64            `json:"parent_id"`
	PersonalOwnerID *int64            `json:"personal_owner_id"`
	IsPersonal      bool              `json:"is_personal"`
	CanWrite        bool              `json:"can_write"`
	Namespace       *string           `json:"namespace"`
	AuthorityLevel  *string           `json:"authority_level"`
	CreatedAt       any               `json:"created_at,omitempty"`
	Children        []*collectionJSON `json:"children,omitempty"`
}

// toCollectionJSON shapes an entry (and, for a tree, its children).
func toCollectionJSON(e *app.CollectionEntry, tree bool) *collectionJSON {
	c := e.Collection
	out := &collectionJSON{Name: c.Name, Archived: c.Archived, CanWrite: e.CanWrite}
	if c.ID == 0 {
		out.ID = "root"
		return out
	}
	loc := e.Location
	desc := c.Description
	out.ID, out.Slug, out.Location, out.Description, out.CreatedAt = c.ID, sightline.Slug(c.Name), &loc, &desc, c.CreatedAt
	if c.PersonalOwnerID != 0 {
		owner := c.PersonalOwnerID
		out.PersonalOwnerID, out.IsPersonal = &owner, true
	}
	if c.ParentID != 0 {
		p := c.ParentID
		out.ParentID = &p
	}
	if tree {
		out.Children = []*collectionJSON{}
		for _, ch := range e.Children {
			out.Children = append(out.Children, toCollectionJSON(ch, true))
		}
	}
	return out
}

// apiListCollections serves GET /api/collection: every collection the
// person may read, each with can_write, the root first, with the
// parameters archived, personal-only and exclude-other-user-collections.
func (s *Server) apiListCollections(w http.ResponseWriter, r *http.Request) error {
	var o app.CollectionListOptions
	var err error
	if o.Archived, err = boolParam(r, "archived"); err != nil {
		return err
	}
	if o.PersonalOnly, err = boolParam(r, "personal-only"); err != nil {
		return err
	}
	if o.ExcludeOtherUsers, err = boolParam(r, "exclude-other-user-collections"); err != nil {
		return err
	}
	u := userFrom(r.Context())
	list, err := s.app.Collections(r.Context(), u, o)
	if err != nil {
		return err
	}
	out := []*collectionJSON{}
	if !o.Archived && !o.PersonalOnly {
		root, err := s.app.RootEntry(r.Context(), u)
		if err != nil {
			return err
		}
		out = append(out, toCollectionJSON(root, false))
	}
	for _, e := range list {
		out = append(out, toCollectionJSON(e, false))
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}

// apiCollectionTree serves GET /api/collection/tree: the collections the
// person may read, nested under "children", with the parameters
// exclude-archived and exclude-other-user-collections.
func (s *Server) apiCollectionTree(w http.ResponseWriter, r *http.Request) error {
	var o app.CollectionListOptions
	exclArchived, err := boolParam(r, "exclude-archived")
	if err != nil {
		return err
	}
	if o.ExcludeOtherUsers, err = boolParam(r, "exclude-other-user-collections"); err != nil {
		return err
	}
	u := userFrom(r.Context())
	tree, err := s.app.CollectionTree(r.Context(), u, o)
	if err != nil {
		return err
	}
	if !exclArchived {
		// Archived collections are listed too unless excluded, as the
		// reference vendor does; they come after the others.
		o.Archived = true
		archived, err := s.app.CollectionTree(r.Context(), u, o)
		if err != nil {
			return err
		}
		tree = append(tree, archived...)
	}
	out := []*collectionJSON{}
	for _, e := range tree {
		out = append(out, toCollectionJSON(e, true))
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}

// apiDownloadDashcard serves
// POST /api/dashboard/{id}/dashcard/{dashcard}/card/{card}/query/{format}:
// a dashboard card's results as a file, with the dashboard's filter values
// ({"parameters": [{"id": ..., "value": ...}]} as a JSON body, or that list
// in a "parameters" form field) applied as on the dashboard.
func (s *Server) apiDownloadDashcard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	dcID, cardID, err := dashcardPath(r)
	if err != nil {
		return err
	}
	format, err := downloadFormat(r)
	if err != nil {
		return err
	}
	values, err := downloadFilterValues(w, r)
	if err != nil {
		return err
	}
	dw := newDownloadWriter(w, format, "query_result")
	open := func(c *sightline.Card) app.RowWriter {
		dw.name = c.Name
		return dw
	}
	if _, err := s.app.DownloadDashcard(r.Context(), userFrom(r.Context()), id, dcID, cardID, values, open); err != nil {
		return dw.fail(err)
	}
	return dw.finish()
}

// downloadFilterValues reads the filter values of a dashboard card
// download: {"parameters": [{"id", "value"}]} in a JSON body, or that list
// in a "parameters" form field (a browser's form POST); none for an empty
// body.
func downloadFilterValues(w http.ResponseWriter, r *http.Request) ([]app.FilterValue, error) {
	var values []app.FilterValue
	if isForm(r) {
		raw, err := formValue(w, r, "parameters")
		if err != nil {
			return nil, err
		}
		if raw != "" {
			if err := json.Unmarshal([]byte(raw), &values); err != nil {
				return nil, sightline.Errorf(sightline.EINVALID, "The \"parameters\" field must be a JSON list of {\"id\", \"value\"} filter values.")
			}
		}
	} else if r.ContentLength != 0 {
		var body dashcardParametersBody
		if err := decodeJSON(r, &body); err != nil {
			return nil, err
		}
		values = body.Parameters
	}
	return values, nil
}
