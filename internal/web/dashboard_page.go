package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"sightline"
	"sightline/internal/app"
)

// dashRowHeight is the height in pixels of one row of the dashboard grid;
// dashboard.css and dashboard.js use the same value.
const dashRowHeight = 56

// dashcardView is one box of the server-rendered dashboard grid.
type dashcardView struct {
	ID, CardID int64
	Row, Col   int
	SizeX      int
	SizeY      int
	// Virtual is "text" or "heading" for cards without a question.
	Virtual string
	Text    string
	Title   string
	URL     string
	Display string
	// Error is shown instead of loading the card (a missing question).
	Error string
}

// Style places the box on the 24-column CSS grid.
func (c dashcardView) Style() template.CSS {
	return template.CSS("grid-column: " + strconv.Itoa(c.Col+1) + " / span " + strconv.Itoa(c.SizeX) +
		"; grid-row: " + strconv.Itoa(c.Row+1) + " / span " + strconv.Itoa(c.SizeY) + ";")
}

// tabLink is one tab of a dashboard with tabs.
type tabLink struct {
	ID     int64
	Name   string
	URL    string
	Active bool
}

// filterView is one filter of the filter bar with its current values.
type filterView struct {
	sightline.DashboardParameter
	Values []string
}

// Value is the first current value, or "".
func (f filterView) Value() string {
	if len(f.Values) == 0 {
		return ""
	}
	return f.Values[0]
}

// Second is the second current value (the upper end of a between), or "".
func (f filterView) Second() string {
	if len(f.Values) < 2 {
		return ""
	}
	return f.Values[1]
}

// choice is one option of a drop-down.
type choice struct{ Value, Label string }

// relativeChoices are the relative dates a date/relative filter offers
// without JavaScript, in the words of dashboard.js's date labels.
var relativeChoices = []choice{
	{"today", "Today"}, {"yesterday", "Yesterday"}, {"past7days", "Previous 7 days"}, {"past30days", "Previous 30 days"},
	{"thisweek", "This week"}, {"lastweek", "Last week"}, {"thismonth", "This month"}, {"lastmonth", "Last month"},
	{"past3months", "Previous 3 months"}, {"past12months", "Previous 12 months"}, {"thisyear", "This year"}, {"lastyear", "Last year"},
}

// Choices are the options of a relative date filter.
func (f filterView) Choices() []choice { return relativeChoices }

// Widget names the input the filter bar shows for the filter's type.
func (f filterView) Widget() string {
	switch {
	case f.Type == "date/single":
		return "date"
	case f.Type == "date/range":
		return "date-range"
	case f.Type == "date/relative":
		return "relative"
	case f.Type == "date/month-year":
		return "month"
	case f.Type == "date/quarter-year":
		return "quarter"
	case strings.HasPrefix(f.Type, "date"):
		return "text"
	case f.Type == "number/between":
		return "number-range"
	case strings.HasPrefix(f.Type, "number"):
		return "number"
	case f.Type == "category":
		return "category"
	}
	return "text"
}

// dashboardView is what dashboard.html renders.
type dashboardView struct {
	Dashboard  *sightline.Dashboard
	Collection *app.CollectionView
	Cards      []dashcardView
	Tabs       []tabLink
	Filters    []filterView
	// GridRows is the number of grid rows the visible cards use.
	GridRows int
	// RefreshChoices are the auto-refresh periods in minutes.
	RefreshChoices []int
	// Config is handed to dashboard.js in a JSON script block.
	Config dashboardConfig
	// New, when set, makes the page the form that creates a dashboard.
	New *newDashboardForm
}

// newDashboardForm is the form of GET /dashboard/new.
type newDashboardForm struct {
	Name, Description string
	Collections       []collectionOption
	Selected          int64
}

// collectionOption is a collection a save form offers.
type collectionOption struct {
	ID   int64
	Name string
}

// saveTargets lists the collections the person may save into, for a
// form's select, and the one to preselect (want if they may save there,
// else their personal collection).
func (s *Server) saveTargets(r *http.Request, u *sightline.User, want int64) ([]collectionOption, int64, error) {
	list, selected, err := s.app.SaveTargets(r.Context(), u, want)
	if err != nil {
		return nil, 0, err
	}
	out := make([]collectionOption, len(list))
	for i, e := range list {
		out[i] = collectionOption{ID: e.Collection.ID, Name: e.Collection.Name}
	}
	return out, selected, nil
}

// dashboardConfig is the page's data for dashboard.js.
type dashboardConfig struct {
	Dashboard *sightline.Dashboard `json:"dashboard"`
	Values    []app.FilterValue    `json:"values"`
	Tab       int64                `json:"tab"`
	RowHeight int                  `json:"row_height"`
	// CanEdit is whether the person may change the dashboard (write its
	// collection): only then does the page offer Edit and Duplicate.
	CanEdit bool `json:"can_edit"`
}

// dashboardPage serves GET /dashboard/{id}: the ID alone or ID-slug. The
// filter values come from the URL (one query parameter per filter slug).
func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	id, err := idFromSlug(r, "id")
	if err != nil {
		return err
	}
	d, err := s.app.Dashboard(r.Context(), u, id)
	if err != nil {
		return err
	}
	if d.Archived {
		return sightline.Errorf(sightline.ENOTFOUND, "This dashboard is in the trash. Restore it from the trash to open it.")
	}
	q := r.URL.Query()
	v := &dashboardView{Dashboard: d, RefreshChoices: []int{1, 5, 10, 15, 30, 60}}
	canEdit := false
	if cv, err := s.app.CollectionPath(r.Context(), u, d.CollectionID); err == nil {
		v.Collection, canEdit = cv, cv.CanWrite
	}
	tab := activeTab(d, q.Get("tab"))
	for _, t := range d.Tabs {
		tq := url.Values{}
		for k, vs := range q {
			tq[k] = vs
		}
		tq.Set("tab", strconv.FormatInt(t.ID, 10))
		v.Tabs = append(v.Tabs, tabLink{ID: t.ID, Name: t.Name, URL: "?" + tq.Encode(), Active: t.ID == tab})
	}
	for _, dc := range d.Cards {
		if !onTab(d, dc, tab) {
			continue
		}
		v.Cards = append(v.Cards, newDashcardView(dc))
		v.GridRows = max(v.GridRows, dc.Row+dc.SizeY)
	}
	for _, p := range d.Parameters {
		v.Filters = append(v.Filters, filterView{DashboardParameter: p, Values: urlFilterValues(p, q)})
	}
	v.Config = dashboardConfig{Dashboard: d, Values: filterValues(d.Parameters, q), Tab: tab, RowHeight: dashRowHeight, CanEdit: canEdit}
	s.render(w, r, http.StatusOK, "dashboard", pageData{Title: d.Name, Shell: defaultShell("dashboard"), Data: v})
	return nil
}

// activeTab is the tab named in the URL if the dashboard has it, else the
// first tab, else 0 (no tabs).
func activeTab(d *sightline.Dashboard, want string) int64 {
	if len(d.Tabs) == 0 {
		return 0
	}
	id, _ := strconv.ParseInt(want, 10, 64)
	for _, t := range d.Tabs {
		if t.ID == id {
			return id
		}
	}
	return d.Tabs[0].ID
}

// onTab reports whether a card shows on the tab; cards without a tab, or
// on a tab the dashboard no longer has, show on the first one (as
// dashboard.js places them), so that no card is ever out of reach.
func onTab(d *sightline.Dashboard, dc sightline.DashboardCard, tab int64) bool {
	if tab == 0 || dc.TabID == tab {
		return true
	}
	if len(d.Tabs) == 0 || d.Tabs[0].ID != tab {
		return false
	}
	for _, t := range d.Tabs {
		if t.ID == dc.TabID {
			return false
		}
	}
	return true
}

// virtualCard reads the visualization settings of a text or heading card.
type virtualCard struct {
	VirtualCard struct {
		Display string `json:"display"`
	} `json:"virtual_card"`
	Text string `json:"text"`
}

func newDashcardView(dc sightline.DashboardCard) dashcardView {
	v := dashcardView{ID: dc.ID, CardID: dc.CardID, Row: dc.Row, Col: dc.Col, SizeX: dc.SizeX, SizeY: dc.SizeY}
	if dc.CardID == 0 {
		var vc virtualCard
		if len(dc.VizSettings) > 0 {
			json.Unmarshal(dc.VizSettings, &vc) // a malformed setting shows an empty text card
		}
		v.Virtual, v.Text = vc.VirtualCard.Display, vc.Text
		if v.Virtual == "" {
			v.Virtual = "text"
		}
		return v
	}
	v.URL = "/question/" + strconv.FormatInt(dc.CardID, 10)
	switch c := dc.Card; {
	case c == nil:
		v.Title, v.Error = "Missing question", "This card's question no longer exists."
	case c.Query == nil:
		// A question the viewer may not read (see app.Dashboard).
		v.Title, v.Error = "Restricted question", app.CardRestrictedMessage
	case c.Archived:
		v.Title, v.Display, v.Error = c.Name, c.Display, "The question \u201c"+c.Name+"\u201d was archived."
	default:
		v.Title, v.Display = c.Name, c.Display
		v.URL += "-" + sightline.Slug(c.Name)
	}
	if t := cardTitle(dc.VizSettings); t != "" {
		v.Title = t
	}
	return v
}

// cardTitle is a dashcard's own title ("card.title"), if set.
func cardTitle(viz json.RawMessage) string {
	var s struct {
		Title string `json:"card.title"`
	}
	if len(viz) > 0 && json.Unmarshal(viz, &s) == nil {
		return s.Title
	}
	return ""
}

// urlFilterValues are a filter's values in the URL, or its default when
// the URL does not name it. A name with an empty value clears the filter.
func urlFilterValues(p sightline.DashboardParameter, q url.Values) []string {
	vs, ok := q[p.Slug]
	if !ok {
		return defaultValues(p.Default)
	}
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// defaultValues flattens a filter's default (a value or a list) to text.
func defaultValues(d any) []string {
	switch x := d.(type) {
	case nil:
		return nil
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, defaultValues(e)...)
		}
		return out
	case string:
		if x == "" {
			return nil
		}
		return []string{x}
	case float64:
		return []string{strconv.FormatFloat(x, 'f', -1, 64)}
	case json.Number:
		return []string{x.String()}
	case bool:
		return []string{strconv.FormatBool(x)}
	}
	return nil
}

// filterValues turns the URL's filter values into the API's form: a date
// filter takes one string (two range ends become "A~B"), number/between a
// pair of numbers, and the other types a list of values.
func filterValues(params []sightline.DashboardParameter, q url.Values) []app.FilterValue {
	out := []app.FilterValue{}
	for _, p := range params {
		vs := urlFilterValues(p, q)
		if len(vs) == 0 {
			continue
		}
		var v any
		switch {
		case p.Type == "date/range" && len(vs) >= 2:
			v = vs[0] + "~" + vs[1]
		case strings.HasPrefix(p.Type, "date"):
			v = vs[0]
		case strings.HasPrefix(p.Type, "number/"), p.Type == "number":
			nums := make([]any, 0, len(vs))
			for _, s := range vs {
				if n, err := strconv.ParseFloat(s, 64); err == nil {
					nums = append(nums, n)
				}
			}
			if len(nums) == 0 {
				continue
			}
			v = nums
		default:
			list := make([]any, len(vs))
			for i, s := range vs {
				list[i] = s
			}
			v = list
		}
		out = append(out, app.FilterValue{ID: p.ID, Value: v})
	}
	return out
}

// newDashboardPage serves GET /dashboard/new: a name, a description and a
// collection among those the person may save into (the one ?collection=
// names, by default the root, when they may save there, else their
// personal collection).
func (s *Server) newDashboardPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	want, _ := strconv.ParseInt(r.URL.Query().Get("collection"), 10, 64)
	colls, selected, err := s.saveTargets(r, u, want)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "dashboard", pageData{Title: "New dashboard", Shell: defaultShell("collection"),
		Data: &dashboardView{New: &newDashboardForm{Collections: colls, Selected: selected}}})
	return nil
}

// newDashboardSubmit serves POST /dashboard: it creates an empty dashboard
// and opens it in edit mode.
func (s *Server) newDashboardSubmit(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	coll, _ := strconv.ParseInt(r.PostFormValue("collection_id"), 10, 64)
	d := &sightline.Dashboard{Name: r.PostFormValue("name"), Description: strings.TrimSpace(r.PostFormValue("description")), CollectionID: coll}
	d, err = s.app.CreateDashboard(r.Context(), u, d)
	if err != nil {
		if sightline.ErrorCode(err) != sightline.EINVALID {
			return err
		}
		colls, selected, rerr := s.saveTargets(r, u, coll)
		if rerr != nil {
			return rerr
		}
		s.render(w, r, http.StatusBadRequest, "dashboard", pageData{Title: "New dashboard", Shell: defaultShell("collection"),
			Error: sightline.ErrorMessage(err), Data: &dashboardView{New: &newDashboardForm{Collections: colls, Selected: selected,
				Name: r.PostFormValue("name"), Description: r.PostFormValue("description")}}})
		return nil
	}
	http.Redirect(w, r, dashboardURL(d)+"#edit", http.StatusSeeOther)
	return nil
}

// dashboardURL is a dashboard's page: /dashboard/ID-slug.
func dashboardURL(d *sightline.Dashboard) string {
	u := "/dashboard/" + strconv.FormatInt(d.ID, 10)
	if slug := sightline.Slug(d.Name); slug != "" {
		u += "-" + slug
	}
	return u
}

// xrayPage serves GET /auto/dashboard/table/{id}: the X-ray of a table, an
// unsaved generated dashboard that dashboard.js loads from
// GET /api/automagic-dashboards/table/{id} and runs card by card.
func (s *Server) xrayPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	id, err := idFromSlug(r, "id")
	if err != nil {
		return err
	}
	if !s.app.Settings().Bool(r.Context(), sightline.SettingEnableXrays) {
		return sightline.Errorf(sightline.ENOTFOUND, "X-rays are turned off. An administrator can turn them on in Admin settings.")
	}
	t, err := s.app.Table(r.Context(), u, id)
	if err != nil {
		return err
	}
	db, err := s.app.Database(r.Context(), u, t.DatabaseID)
	if err != nil {
		return err
	}
	name := t.DisplayName
	if name == "" {
		name = sightline.HumanizeName(t.Name)
	}
	s.render(w, r, http.StatusOK, "xray", pageData{Title: "A look at your " + name + " table", Shell: defaultShell("dashboard"),
		Data: map[string]any{"Table": t, "Database": db, "Name": name, "RowHeight": dashRowHeight, "CanSave": s.app.CanSaveXRay(r.Context(), u)}})
	return nil
}
