package web

import (
	"net/http"
	"strings"

	"sightline"
)

// apiTable is a table as the data-model list endpoints show it: without its
// fields, with the database it belongs to.
type apiTable struct {
	sightline.Table
	DB *sightline.Database `json:"db,omitempty"`
}

// tablesWithoutFields drops the fields of each table, for list endpoints.
func tablesWithoutFields(ts []sightline.Table, db *sightline.Database) []apiTable {
	out := make([]apiTable, 0, len(ts))
	for _, t := range ts {
		t.Fields = nil
		out = append(out, apiTable{Table: t, DB: db})
	}
	return out
}

// apiListTables serves GET /api/table: every table the person may see.
func (s *Server) apiListTables(w http.ResponseWriter, r *http.Request) error {
	ts, dbs, err := s.app.AllTables(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	byID := map[int64]*sightline.Database{}
	for _, d := range dbs {
		byID[d.ID] = d
	}
	out := make([]apiTable, 0, len(ts))
	for _, t := range ts {
		t.Fields = nil
		out = append(out, apiTable{Table: t, DB: byID[t.DatabaseID]})
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}

// apiDatabaseSchemas serves GET /api/database/{id}/schemas.
func (s *Server) apiDatabaseSchemas(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	names, err := s.app.Schemas(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, names)
	return nil
}

// apiDatabaseSchema serves GET /api/database/{id}/schema/{schema}: the
// tables of one schema, without their fields.
func (s *Server) apiDatabaseSchema(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ts, err := s.app.SchemaTables(r.Context(), userFrom(r.Context()), id, r.PathValue("schema"))
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, tablesWithoutFields(ts, nil))
	return nil
}

// databaseWithTables is a database with its tables, for ?include=tables.
type databaseWithTables struct {
	*sightline.Database
	Tables []sightline.Table `json:"tables"`
}

// apiDatabaseWithTables serves GET /api/database/{id} with include=tables
// or include=tables.fields.
func (s *Server) apiDatabaseWithTables(w http.ResponseWriter, r *http.Request, include string) error {
	if include != "tables" && include != "tables.fields" {
		return sightline.Errorf(sightline.EINVALID, "include must be tables or tables.fields, not %q.", include)
	}
	d, ts, err := s.databaseTables(r)
	if err != nil {
		return err
	}
	for i := range ts {
		if include == "tables" {
			ts[i].Fields = nil
		} else if ts[i].Fields == nil {
			ts[i].Fields = []sightline.Field{}
		}
	}
	s.writeJSON(w, http.StatusOK, databaseWithTables{Database: d, Tables: ts})
	return nil
}

// apiDatabaseHealth serves GET /api/database/{id}/healthcheck: {"status":
// "ok"} when the database answers, else {"status": "error", "message": ...}
// with status 200, as the reference API answers.
func (s *Server) apiDatabaseHealth(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = s.app.DatabaseHealth(r.Context(), userFrom(r.Context()), id)
	if sightline.ErrorCode(err) == sightline.EUNAVAILABLE {
		s.writeJSON(w, http.StatusOK, map[string]string{"status": "error", "message": sightline.ErrorMessage(err)})
		return nil
	}
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// apiRescanValues serves POST /api/database/{id}/rescan_values.
func (s *Server) apiRescanValues(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.RescanValues(r.Context(), userFrom(r.Context()), id); err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// apiField is a field as GET /api/field/{id} shows it: with its table (no
// fields) and how filter widgets offer its values.
type apiField struct {
	sightline.Field
	Table          apiTable `json:"table"`
	HasFieldValues string   `json:"has_field_values"`
}

// hasFieldValues is how a filter widget offers a field's values: a list
// for categories, whose distinct values sync caches, else none.
func hasFieldValues(f sightline.Field) string {
	if f.SemanticType == sightline.SemanticCategory {
		return "list"
	}
	return "none"
}

// fieldHasValues lists the values has_field_values may take.
func fieldHasValues() []string { return []string{"list", "search", "none", "auto-list"} }

// apiGetField serves GET /api/field/{id}.
func (s *Server) apiGetField(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.writeField(w, r, id)
}

// writeField writes field id as the actor sees it.
func (s *Server) writeField(w http.ResponseWriter, r *http.Request, id int64) error {
	f, t, err := s.app.Field(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	tt := *t
	tt.Fields = nil
	s.writeJSON(w, http.StatusOK, apiField{Field: *f, Table: apiTable{Table: tt}, HasFieldValues: hasFieldValues(*f)})
	return nil
}

// fieldBody is what PUT /api/field/{id} reads. has_field_values is derived
// from the semantic type in Sightline: a valid value is accepted and kept
// as derived, so that a field read and sent back changes nothing.
type fieldBody struct {
	DisplayName    *string `json:"display_name"`
	Description    *string `json:"description"`
	SemanticType   *string `json:"semantic_type"`
	Visibility     *string `json:"visibility_type"`
	HasFieldValues *string `json:"has_field_values"`
}

// apiUpdateField serves PUT /api/field/{id} (administrators).
func (s *Server) apiUpdateField(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in fieldBody
	if err := decodeJSONLoose(r, &in); err != nil {
		return err
	}
	if v := in.HasFieldValues; v != nil {
		ok := false
		for _, k := range fieldHasValues() {
			ok = ok || *v == k
		}
		if !ok {
			return sightline.Errorf(sightline.EINVALID, "has_field_values must be one of %s, not %q.", strings.Join(fieldHasValues(), ", "), *v)
		}
	}
	e := sightline.FieldEdit{DisplayName: in.DisplayName, Description: in.Description, SemanticType: in.SemanticType, Visibility: in.Visibility}
	if err := s.app.EditFieldByID(r.Context(), userFrom(r.Context()), id, e); err != nil {
		return err
	}
	return s.writeField(w, r, id)
}

// apiForeignKey is one entry of GET /api/table/{id}/fks.
type apiForeignKey struct {
	OriginID      int64       `json:"origin_id"`
	Origin        originField `json:"origin"`
	DestinationID int64       `json:"destination_id"`
	Destination   any         `json:"destination"`
	Relationship  string      `json:"relationship"`
}

// originField is the field holding a foreign key, with its table.
type originField struct {
	sightline.Field
	Table sightline.Table `json:"table"`
}

// apiTableFKs serves GET /api/table/{id}/fks: the foreign keys that point
// at the table, from tables the person may see.
func (s *Server) apiTableFKs(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fks, err := s.app.TableForeignKeys(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	out := make([]apiForeignKey, 0, len(fks))
	for _, fk := range fks {
		out = append(out, apiForeignKey{OriginID: fk.Origin.ID, Origin: originField{Field: fk.Origin, Table: fk.OriginTable},
			DestinationID: fk.Destination.ID, Destination: fk.Destination, Relationship: "Mt1"})
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}
