package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"sightline"
	"sightline/internal/app"
)

// databaseForm reads the add/edit database form. Only the fields the form
// posted are set, so an edit keeps the details the form does not show (and
// those of the other engines, whose fields the browser does not send).
func databaseForm(r *http.Request) (app.DatabaseEdit, error) {
	if err := r.ParseForm(); err != nil {
		return app.DatabaseEdit{}, sightline.Errorf(sightline.EINVALID, "The form could not be read.")
	}
	e := app.DatabaseEdit{Name: formString(r, "name"), Engine: formString(r, "engine")}
	d := &e.Details
	d.Path, d.Host, d.DBName, d.User = trimmed(r, "path"), trimmed(r, "host"), trimmed(r, "dbname"), trimmed(r, "user")
	d.Password, d.SSLMode = formString(r, "password"), trimmed(r, "ssl_mode")
	var err error
	if d.Port, err = formInt(r, "port", "Port"); err != nil {
		return e, err
	}
	if d.MaxOpenConns, err = formInt(r, "max_open_conns", "The connection pool size"); err != nil {
		return e, err
	}
	if d.QueryTimeoutMS, err = formMillis(r, "query_timeout", "The query timeout"); err != nil {
		return e, err
	}
	return e, nil
}

// formString returns a posted field as typed, or nil when it was not posted.
func formString(r *http.Request, name string) *string {
	if _, ok := r.PostForm[name]; !ok {
		return nil
	}
	v := r.PostForm.Get(name)
	return &v
}

// trimmed is formString without surrounding spaces.
func trimmed(r *http.Request, name string) *string {
	v := formString(r, name)
	if v != nil {
		*v = strings.TrimSpace(*v)
	}
	return v
}

// formInt reads an optional whole number: nil when not posted, 0 when left
// empty (the default).
func formInt(r *http.Request, name, label string) (*int, error) {
	v := trimmed(r, name)
	if v == nil || *v == "" {
		return zeroIfPosted(v), nil
	}
	n, err := strconv.Atoi(*v)
	if err != nil {
		return nil, sightline.Errorf(sightline.EINVALID, "%s must be a whole number, not %q.", label, *v)
	}
	return &n, nil
}

// formMillis reads an optional number of seconds as milliseconds.
func formMillis(r *http.Request, name, label string) (*int, error) {
	v := trimmed(r, name)
	if v == nil || *v == "" {
		return zeroIfPosted(v), nil
	}
	secs, err := strconv.ParseFloat(*v, 64)
	if err != nil || math.IsNaN(secs) || math.IsInf(secs, 0) {
		return nil, sightline.Errorf(sightline.EINVALID, "%s must be a number of seconds, not %q.", label, *v)
	}
	// Values out of range stay out of range, for the app's check to name.
	var ms int
	switch {
	case secs < 0:
		ms = -1
	case secs > math.MaxInt32/1000:
		ms = math.MaxInt32
	default:
		ms = int(math.Ceil(secs * 1000))
	}
	return &ms, nil
}

// zeroIfPosted is 0 for a field posted empty, nil for one not posted.
func zeroIfPosted(v *string) *int {
	if v == nil {
		return nil
	}
	n := 0
	return &n
}

// databaseFormView is what admin_database_form shows: the connection, and
// its limits as typed so that a rejected form keeps them.
type databaseFormView struct {
	*sightline.Database
	PoolSize, QueryTimeout       string
	DefaultPoolSize, MaxPoolSize int
	DefaultTimeout, MaxTimeout   string
}

// newDatabaseFormView shows d with its stored limits.
func newDatabaseFormView(d *sightline.Database) databaseFormView {
	v := databaseFormView{Database: d, DefaultPoolSize: app.DefaultPoolSize, MaxPoolSize: app.MaxPoolSize,
		DefaultTimeout: seconds(app.DefaultQueryTimeout.Milliseconds()), MaxTimeout: seconds(app.MaxQueryTimeout.Milliseconds())}
	if d.Details.MaxOpenConns != 0 {
		v.PoolSize = strconv.Itoa(d.Details.MaxOpenConns)
	}
	if d.Details.QueryTimeoutMS != 0 {
		v.QueryTimeout = seconds(int64(d.Details.QueryTimeoutMS))
	}
	return v
}

// seconds formats milliseconds as seconds without needless decimals.
func seconds(ms int64) string {
	return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)
}

// adminDatabasesPage serves GET /admin/databases.
func (s *Server) adminDatabasesPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireAdminUser(r)
	if err != nil {
		return err
	}
	dbs, err := s.app.Databases(r.Context(), u)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_databases", pageData{Title: "Databases", Shell: defaultShell("admin"),
		Flash: flashFrom(r), Data: map[string]any{"Databases": dbs}})
	return nil
}

// adminDatabaseFormPage serves GET /admin/databases/new and /admin/databases/{id}.
func (s *Server) adminDatabaseFormPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireAdminUser(r)
	if err != nil {
		return err
	}
	d := &sightline.Database{Engine: sightline.EnginePostgres}
	if r.PathValue("id") != "" {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if d, err = s.app.Database(r.Context(), u, id); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "admin_database_form", pageData{Title: "Database", Shell: defaultShell("admin"), Data: newDatabaseFormView(d)})
	return nil
}

// adminDatabaseSubmit serves POST /admin/databases and /admin/databases/{id}:
// the details are checked by connecting before anything is saved. An edit
// changes only what the form shows.
func (s *Server) adminDatabaseSubmit(w http.ResponseWriter, r *http.Request) error {
	u, err := requireAdminUser(r)
	if err != nil {
		return err
	}
	e, err := databaseForm(r)
	var d *sightline.Database
	if r.PathValue("id") != "" {
		id, perr := pathID(r, "id")
		if perr != nil {
			return perr
		}
		if err == nil {
			d, err = s.app.UpdateDatabase(r.Context(), u, id, e)
		}
		if err != nil {
			stored, serr := s.app.Database(r.Context(), u, id)
			if serr != nil {
				return serr
			}
			typed := e.Apply(*stored)
			return s.databaseFormError(w, r, err, &typed)
		}
	} else {
		if err == nil {
			d, err = s.app.AddDatabase(r.Context(), u, e.Input())
		}
		if err != nil {
			in := e.Input()
			return s.databaseFormError(w, r, err, &sightline.Database{Name: in.Name, Engine: in.Engine, Details: in.Details})
		}
	}
	seeOther(w, r, "/admin/databases", d.Name+" is connected; its tables are being read.")
	return nil
}

// databaseFormError shows the form again with err's message and what was
// typed, the limits exactly as typed.
func (s *Server) databaseFormError(w http.ResponseWriter, r *http.Request, err error, d *sightline.Database) error {
	code := sightline.ErrorCode(err)
	if code == sightline.EINTERNAL || code == sightline.EFORBIDDEN || code == sightline.EUNAUTHORIZED {
		return err
	}
	d.Details.Password = ""
	v := newDatabaseFormView(d)
	v.PoolSize, v.QueryTimeout = strings.TrimSpace(r.PostFormValue("max_open_conns")), strings.TrimSpace(r.PostFormValue("query_timeout"))
	s.render(w, r, statusOf(code), "admin_database_form", pageData{Title: "Database", Shell: defaultShell("admin"),
		Error: sightline.ErrorMessage(err), Data: v})
	return nil
}

// adminDatabaseSync serves POST /admin/databases/{id}/sync.
func (s *Server) adminDatabaseSync(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.RequestSync(r.Context(), userFrom(r.Context()), id); err != nil {
		return err
	}
	seeOther(w, r, "/admin/databases", "Sync started.")
	return nil
}

// adminDatabaseDelete serves POST /admin/databases/{id}/delete.
func (s *Server) adminDatabaseDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.DeleteDatabase(r.Context(), userFrom(r.Context()), id); err != nil {
		return err
	}
	seeOther(w, r, "/admin/databases", "Removed.")
	return nil
}

// adminDatamodelPage serves GET /admin/datamodel: every database's tables
// and, for ?table=ID, that table's fields to edit.
func (s *Server) adminDatamodelPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireAdminUser(r)
	if err != nil {
		return err
	}
	dbs, err := s.app.Databases(r.Context(), u)
	if err != nil {
		return err
	}
	dbID, _ := strconv.ParseInt(r.URL.Query().Get("db"), 10, 64)
	if dbID == 0 && len(dbs) > 0 {
		dbID = dbs[0].ID
	}
	var tables []sightline.Table
	var table *sightline.Table
	if dbID != 0 {
		if tables, err = s.app.AdminTables(r.Context(), u, dbID); err != nil {
			return err
		}
		tid, _ := strconv.ParseInt(r.URL.Query().Get("table"), 10, 64)
		for i := range tables {
			if tables[i].ID == tid {
				table = &tables[i]
			}
		}
	}
	s.render(w, r, http.StatusOK, "admin_datamodel", pageData{Title: "Table Metadata", Shell: defaultShell("admin"),
		Flash: flashFrom(r), Data: map[string]any{"Databases": dbs, "DatabaseID": dbID, "Tables": tables,
			"Table": table, "SemanticTypes": sightline.SemanticTypes}})
	return nil
}

func optional(r *http.Request, name string) *string {
	if _, ok := r.PostForm[name]; !ok {
		return nil
	}
	v := strings.TrimSpace(r.PostForm.Get(name))
	return &v
}

// adminTableEdit serves POST /admin/datamodel/table/{id}.
func (s *Server) adminTableEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return sightline.Errorf(sightline.EINVALID, "The form could not be read.")
	}
	e := sightline.TableEdit{DisplayName: optional(r, "display_name"), Description: optional(r, "description"), Visibility: optional(r, "visibility")}
	if err := s.app.EditTable(r.Context(), userFrom(r.Context()), id, e); err != nil {
		return err
	}
	http.Redirect(w, r, datamodelURL(r, id), http.StatusSeeOther)
	return nil
}

// adminFieldEdit serves POST /admin/datamodel/table/{table}/field/{id}.
func (s *Server) adminFieldEdit(w http.ResponseWriter, r *http.Request) error {
	tid, err := pathID(r, "table")
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return sightline.Errorf(sightline.EINVALID, "The form could not be read.")
	}
	e := sightline.FieldEdit{DisplayName: optional(r, "display_name"), Description: optional(r, "description"),
		SemanticType: optional(r, "semantic_type"), Visibility: optional(r, "visibility")}
	if err := s.app.EditField(r.Context(), userFrom(r.Context()), tid, id, e); err != nil {
		return err
	}
	http.Redirect(w, r, datamodelURL(r, tid), http.StatusSeeOther)
	return nil
}

// datamodelURL is the Table Metadata page of a table after a save. The
// database comes back from the form as typed, so it is kept only as a
// number: any other text would add its own parameters to the address.
func datamodelURL(r *http.Request, table int64) string {
	q := url.Values{"table": {strconv.FormatInt(table, 10)}}
	if id, err := strconv.ParseInt(r.PostForm.Get("db"), 10, 64); err == nil {
		q.Set("db", strconv.FormatInt(id, 10))
	}
	return flashURL(r, "/admin/datamodel", q, "Saved.")
}

// apiDatabases serves GET /api/database.
func (s *Server) apiDatabases(w http.ResponseWriter, r *http.Request) error {
	dbs, err := s.app.Databases(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	if dbs == nil {
		dbs = []*sightline.Database{}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"data": dbs, "total": len(dbs)})
	return nil
}

// apiDatabase serves GET /api/database/{id}; include=tables adds the tables
// the person may see, include=tables.fields their fields too.
func (s *Server) apiDatabase(w http.ResponseWriter, r *http.Request) error {
	if include := r.URL.Query().Get("include"); include != "" {
		return s.apiDatabaseWithTables(w, r, include)
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.app.Database(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, d)
	return nil
}

// apiCreateDatabase serves POST /api/database.
func (s *Server) apiCreateDatabase(w http.ResponseWriter, r *http.Request) error {
	var in app.DatabaseInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := s.app.AddDatabase(r.Context(), userFrom(r.Context()), in)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, d)
	return nil
}

// apiUpdateDatabase serves PUT /api/database/{id}: fields the body leaves
// out keep their values.
func (s *Server) apiUpdateDatabase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var e app.DatabaseEdit
	if err := decodeJSON(r, &e); err != nil {
		return err
	}
	d, err := s.app.UpdateDatabase(r.Context(), userFrom(r.Context()), id, e)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, d)
	return nil
}

// apiDeleteDatabase serves DELETE /api/database/{id}.
func (s *Server) apiDeleteDatabase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.DeleteDatabase(r.Context(), userFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiSyncDatabase serves POST /api/database/{id}/sync_schema.
func (s *Server) apiSyncDatabase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.RequestSync(r.Context(), userFrom(r.Context()), id); err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// apiDatabaseMetadata serves GET /api/database/{id}/metadata.
func (s *Server) apiDatabaseMetadata(w http.ResponseWriter, r *http.Request) error {
	d, tables, err := s.databaseTables(r)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"id": d.ID, "name": d.Name, "engine": d.Engine, "tables": tables})
	return nil
}

// databaseTables reads the database the path's {id} names and its tables
// (never nil), as the signed-in person may see them.
func (s *Server) databaseTables(r *http.Request) (*sightline.Database, []sightline.Table, error) {
	u := userFrom(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	d, err := s.app.Database(r.Context(), u, id)
	if err != nil {
		return nil, nil, err
	}
	tables, err := s.app.Tables(r.Context(), u, id)
	if err != nil {
		return nil, nil, err
	}
	if tables == nil {
		tables = []sightline.Table{}
	}
	return d, tables, nil
}

// apiTableMetadata serves GET /api/table/{id}/query_metadata and GET /api/table/{id}.
func (s *Server) apiTableMetadata(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := s.app.Table(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, t)
	return nil
}

// tableBody is the body of PUT /api/table/{id}; absent fields keep their values.
type tableBody struct {
	DisplayName *string `json:"display_name"`
	Description *string `json:"description"`
	Visibility  *string `json:"visibility_type"`
}

// apiUpdateTable serves PUT /api/table/{id}.
func (s *Server) apiUpdateTable(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in tableBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u := userFrom(r.Context())
	if err := s.app.EditTable(r.Context(), u, id, sightline.TableEdit{DisplayName: in.DisplayName, Description: in.Description, Visibility: in.Visibility}); err != nil {
		return err
	}
	t, err := s.app.Table(r.Context(), u, id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, t)
	return nil
}

// apiFieldValues serves GET /api/field/{id}/values: a field's distinct
// values for filter drop-downs, computed through the data door so that a
// person only ever sees values of rows they may see.
func (s *Server) apiFieldValues(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	vals, err := s.app.FieldValues(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	wrapped := make([][]any, len(vals))
	for i, v := range vals {
		wrapped[i] = []any{v}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"field_id": id, "values": wrapped, "has_more_values": len(vals) >= app.MaxFieldValues})
	return nil
}
