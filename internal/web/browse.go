package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"sightline"
	"sightline/internal/app"
)

// browsePage serves GET /browse: the databases a person may explore.
func (s *Server) browsePage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	dbs, err := s.app.Databases(r.Context(), u)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "browse", pageData{Title: "Browse data", Shell: defaultShell("browse"), Data: map[string]any{"Databases": dbs}})
	return nil
}

// schemaGroup is one schema's tables on the database page.
type schemaGroup struct {
	Schema string
	Tables []sightline.Table
}

// browseDatabasePage serves GET /browse/{id}: a database's tables by schema.
func (s *Server) browseDatabasePage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.app.Database(r.Context(), u, id)
	if err != nil {
		return err
	}
	tables, err := s.app.Tables(r.Context(), u, id)
	if err != nil {
		return err
	}
	var groups []schemaGroup
	for _, t := range tables {
		if len(groups) == 0 || groups[len(groups)-1].Schema != t.Schema {
			found := false
			for i := range groups {
				if groups[i].Schema == t.Schema {
					groups[i].Tables = append(groups[i].Tables, t)
					found = true
				}
			}
			if found {
				continue
			}
			groups = append(groups, schemaGroup{Schema: t.Schema})
		}
		groups[len(groups)-1].Tables = append(groups[len(groups)-1].Tables, t)
	}
	s.render(w, r, http.StatusOK, "browse_database", pageData{Title: d.Name, Shell: defaultShell("browse"),
		Data: map[string]any{"Database": d, "Schemas": groups}})
	return nil
}

// pageSize is how many rows the table view shows at a time.
const pageSize = 50

// tableView is the table page's model.
type tableView struct {
	*app.BrowseResult
	Database  *sightline.Database
	Rows      [][]any
	Page      int
	Pages     int
	From, To  int
	Sort      int64
	Desc      bool
	Filters   map[int64]string
	BaseQuery string // the filters and sort, to build links
}

// tablePage serves GET /table/{id}: a table's rows, sorted, filtered and
// paginated, through the data door. A database that went away shows its
// error here while the rest of the app keeps working.
func (s *Server) tablePage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	o := app.BrowseOptions{Filters: map[int64]string{}}
	if v := q.Get("sort"); v != "" {
		o.SortField, _ = strconv.ParseInt(v, 10, 64)
		o.Desc = q.Get("desc") == "1"
	}
	for k, vs := range q {
		if fid, ok := strings.CutPrefix(k, "f_"); ok && len(vs) > 0 && vs[0] != "" {
			n, err := strconv.ParseInt(fid, 10, 64)
			if err != nil {
				return sightline.Errorf(sightline.EINVALID, "Unknown filter %q.", k)
			}
			o.Filters[n] = vs[0]
		}
	}
	t, err := s.app.Table(r.Context(), u, id)
	if err != nil {
		return err
	}
	d, err := s.app.Database(r.Context(), u, t.DatabaseID)
	if err != nil {
		return err
	}
	res, err := s.app.BrowseTable(r.Context(), u, id, o)
	if err != nil {
		code := sightline.ErrorCode(err)
		if code == sightline.EINVALID || code == sightline.EUNAVAILABLE || code == sightline.ETIMEOUT {
			s.render(w, r, statusOf(code), "table", pageData{Title: t.DisplayName, Shell: defaultShell("table"),
				Error: sightline.ErrorMessage(err), Data: tableView{BrowseResult: &app.BrowseResult{Table: t, Result: &app.Result{}}, Database: d, Filters: o.Filters}})
			return nil
		}
		return err
	}
	v := tableView{BrowseResult: res, Database: d, Sort: o.SortField, Desc: o.Desc, Filters: o.Filters}
	v.Pages = max(1, (len(res.Result.Rows)+pageSize-1)/pageSize)
	v.Page, _ = strconv.Atoi(q.Get("page"))
	v.Page = min(max(v.Page, 1), v.Pages)
	v.From = (v.Page - 1) * pageSize
	v.To = min(v.From+pageSize, len(res.Result.Rows))
	v.Rows = res.Result.Rows[v.From:v.To]
	keep := url.Values{}
	for fid, val := range o.Filters {
		keep.Set("f_"+strconv.FormatInt(fid, 10), val)
	}
	if o.SortField != 0 {
		keep.Set("sort", strconv.FormatInt(o.SortField, 10))
		if o.Desc {
			keep.Set("desc", "1")
		}
	}
	v.BaseQuery = keep.Encode()
	s.render(w, r, http.StatusOK, "table", pageData{Title: t.DisplayName, Shell: defaultShell("table"), Data: v})
	return nil
}

// sortLink is the URL that sorts the table view by a column, flipping the
// direction when it already sorts by it.
func (v tableView) SortLink(fieldID int64) string {
	q := url.Values{}
	for fid, val := range v.Filters {
		q.Set("f_"+strconv.FormatInt(fid, 10), val)
	}
	q.Set("sort", strconv.FormatInt(fieldID, 10))
	if v.Sort == fieldID && !v.Desc {
		q.Set("desc", "1")
	}
	return "?" + q.Encode()
}

// PageLink is the URL of another page of the same view.
func (v tableView) PageLink(page int) string {
	q, _ := url.ParseQuery(v.BaseQuery)
	q.Set("page", strconv.Itoa(page))
	return "?" + q.Encode()
}

// FilterValue is the quick-filter input's current text for a column.
func (v tableView) FilterValue(fieldID int64) string { return v.Filters[fieldID] }
