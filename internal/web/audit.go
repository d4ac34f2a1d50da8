package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"sightline"
	"sightline/internal/app"
)

// auditPerPage is how many entries a page of the audit log shows, in the
// admin area and in the API.
const auditPerPage = 50

// maxAuditPage bounds the page number so that the offset stays sensible.
const maxAuditPage = 1_000_000

// auditDetailMax is how many characters of an entry's detail the log shows
// before cutting it.
const auditDetailMax = 160

// auditPage is the data of Admin > Audit log.
type auditPage struct {
	Rows []auditRow
	// Topics are the kinds of change offered by the filter; Topic is the
	// chosen one, "" for every kind.
	Topics []app.AuditTopic
	Topic  string
	// Page counts from 1; Prev and Next are 0 when there is no such page.
	Page, Prev, Next int
}

// auditRow is one line of the audit log page.
type auditRow struct {
	Entry sightline.AuditEntry
	// Lines are the entry's detail in words, one change or fact a line.
	Lines []auditDetail
}

// auditDetail is an entry's detail as the page shows it.
type auditDetail struct {
	// Full is the detail as compact JSON; Short is its beginning when Cut.
	Full, Short string
	Cut         bool
}

// auditSlice is one page of the audit log and whether an older page exists.
type auditSlice struct {
	Entries []sightline.AuditEntry
	Topic   string
	Page    int
	More    bool
}

// adminAuditPage serves GET /admin/audit?page=N&topic=prefix: the audit log
// of permission, sandbox, group, people and setting changes, newest first.
func (s *Server) adminAuditPage(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.auditSlice(r)
	if err != nil {
		return err
	}
	p := auditPage{Topics: auditTopicChoices(sl.Topic), Topic: sl.Topic, Page: sl.Page}
	if sl.Page > 1 {
		p.Prev = sl.Page - 1
	}
	if sl.More {
		p.Next = sl.Page + 1
	}
	for _, e := range sl.Entries {
		p.Rows = append(p.Rows, auditRow{Entry: e, Lines: auditLines(e.Topic, e.Detail)})
	}
	s.render(w, r, http.StatusOK, "admin_audit", pageData{Title: "Audit log", Shell: defaultShell("admin"), Data: p})
	return nil
}

// apiAudit serves GET /api/audit?page=N&topic=prefix: one page of the audit
// log, newest first, for administrators' scripts. next_page is null on the
// last page.
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.auditSlice(r)
	if err != nil {
		return err
	}
	data := make([]map[string]any, 0, len(sl.Entries))
	for _, e := range sl.Entries {
		data = append(data, auditJSON(e))
	}
	var next any
	if sl.More {
		next = sl.Page + 1
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"data": data, "page": sl.Page, "per_page": auditPerPage,
		"next_page": next, "topic": sl.Topic})
	return nil
}

// auditSlice reads the page and topic parameters and loads that page, asking
// for one entry more than a page holds to learn whether an older page exists.
func (s *Server) auditSlice(r *http.Request) (auditSlice, error) {
	u, err := requireAdminUser(r)
	if err != nil {
		return auditSlice{}, err
	}
	page, err := parseAuditPage(r.URL.Query().Get("page"))
	if err != nil {
		return auditSlice{}, err
	}
	topic := r.URL.Query().Get("topic")
	entries, err := s.app.AuditLog(r.Context(), u, (page-1)*auditPerPage, auditPerPage+1, topic)
	if err != nil {
		return auditSlice{}, err
	}
	sl := auditSlice{Entries: entries, Topic: topic, Page: page}
	if len(entries) > auditPerPage {
		sl.Entries, sl.More = entries[:auditPerPage], true
	}
	return sl, nil
}

// parseAuditPage parses the page parameter: empty means the first page.
func parseAuditPage(s string) (int, error) {
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxAuditPage {
		return 0, sightline.Errorf(sightline.EINVALID, "The page must be a whole number from 1 to %d.", maxAuditPage)
	}
	return n, nil
}

// auditTopicChoices returns the topics the filter offers, with the chosen
// one added when it is not a known kind (a script may filter more finely).
func auditTopicChoices(chosen string) []app.AuditTopic {
	topics := app.AuditTopics()
	if chosen == "" {
		return topics
	}
	for _, t := range topics {
		if t.Prefix == chosen {
			return topics
		}
	}
	return append(topics, app.AuditTopic{Prefix: chosen, Label: chosen})
}

// auditLines describes an entry's detail in words, one line each: for a
// settings entry "Changed jwt-group-sync from false to true" per setting,
// for other entries "name: value" per field, nested values as compact
// JSON. Long lines are cut (see formatAuditDetail); a detail that is not a
// JSON object is one line as it is; an empty one gives no line.
func auditLines(topic, detail string) []auditDetail {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(detail), &m); err != nil {
		if strings.TrimSpace(detail) == "" {
			return nil
		}
		return []auditDetail{formatAuditDetail(detail)}
	}
	var previous map[string]string
	if topic == "settings" {
		if json.Unmarshal(m["previous"], &previous) == nil {
			delete(m, "previous")
		}
	}
	var lines []string
	if k, ok := m["by_api_key"]; ok {
		var key struct{ Name string }
		if json.Unmarshal(k, &key) == nil && key.Name != "" {
			lines = append(lines, "Made with the API key “"+key.Name+"”")
		}
		delete(m, "by_api_key")
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		var text string
		if topic == "settings" && json.Unmarshal(m[k], &text) == nil {
			lines = append(lines, settingChange(k, text, previous))
			continue
		}
		lines = append(lines, k+": "+auditValue(m[k]))
	}
	out := make([]auditDetail, len(lines))
	for i, l := range lines {
		out[i] = cutDetail(l)
	}
	return out
}

// settingChange says how setting key changed to v; previous holds the
// values replaced, when the entry recorded them.
func settingChange(key, v string, previous map[string]string) string {
	if v == "(secret)" {
		return "Changed " + key + " (a secret: its value is not recorded)"
	}
	old, ok := previous[key]
	switch {
	case !ok:
		return "Set " + key + " to " + settingWord(v)
	case v == "":
		return "Cleared " + key + " (was " + settingWord(old) + ")"
	case old == "":
		return "Set " + key + " to " + settingWord(v)
	}
	return "Changed " + key + " from " + settingWord(old) + " to " + settingWord(v)
}

// settingWord is a setting's value as a sentence shows it: booleans and
// numbers bare, text in quotes, nothing as "empty".
func settingWord(v string) string {
	if v == "" {
		return "empty"
	}
	if v == "true" || v == "false" {
		return v
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v
	}
	return "“" + v + "”"
}

// auditValue is a field's value on one line: a string as it is, anything
// else as compact JSON.
func auditValue(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) == nil {
		return b.String()
	}
	return string(raw)
}

// cutDetail cuts a line to auditDetailMax characters.
func cutDetail(line string) auditDetail {
	d := auditDetail{Full: line, Short: line}
	if utf8.RuneCountInString(line) > auditDetailMax {
		d.Short, d.Cut = string([]rune(line)[:auditDetailMax])+"…", true
	}
	return d
}

// formatAuditDetail compacts a detail's JSON and cuts it to auditDetailMax
// characters; a detail that is not JSON is shown as it is.
func formatAuditDetail(detail string) auditDetail {
	d := auditDetail{Full: detail}
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(detail)); err == nil {
		d.Full = b.String()
	}
	return cutDetail(d.Full)
}

// auditJSON is an audit entry in the API; details is the recorded JSON
// object itself, or a string when the record is not JSON.
func auditJSON(e sightline.AuditEntry) map[string]any {
	var details any = e.Detail
	if json.Valid([]byte(e.Detail)) {
		details = json.RawMessage(e.Detail)
	}
	return map[string]any{
		"id":        e.ID,
		"timestamp": e.At,
		"topic":     e.Topic,
		"details":   details,
		"user_id":   e.UserID,
		"user": map[string]any{
			"id":          e.UserID,
			"email":       e.Email,
			"first_name":  e.FirstName,
			"last_name":   e.LastName,
			"common_name": e.Who(),
		},
	}
}
