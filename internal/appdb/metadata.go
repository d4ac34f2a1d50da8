package appdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"sightline"
)

// SaveSync merges what a metadata sync found into the stored tables and
// fields of database dbID, in one transaction. Admin edits (display names,
// descriptions, semantic types, visibility) survive; tables and fields that
// disappeared are marked inactive rather than deleted, so saved questions
// that use them fail with a clear error instead of pointing at nothing.
func (db *DB) SaveSync(ctx context.Context, dbID int64, tables []sightline.Table) error {
	return db.tx(ctx, func(q querier) error {
		type key struct{ schema, name string }
		existing := map[key]int64{}
		rows, err := q.QueryContext(ctx, db.rebind("SELECT id, schema_name, name FROM tables WHERE database_id = ?"), dbID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var k key
			if err := rows.Scan(&id, &k.schema, &k.name); err != nil {
				rows.Close()
				return err
			}
			existing[k] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, db.rebind("UPDATE tables SET active = ? WHERE database_id = ?"), false, dbID); err != nil {
			return err
		}
		// fieldIDs resolves foreign keys once every table is in.
		type colKey struct{ schema, table, column string }
		fieldIDs := map[colKey]int64{}
		type pendingFK struct {
			field  int64
			target sightline.ColumnRef
		}
		var fks []pendingFK
		for _, t := range tables {
			id, ok := existing[key{t.Schema, t.Name}]
			if ok {
				_, err = q.ExecContext(ctx, db.rebind(`UPDATE tables SET
					display_name = CASE WHEN edited_display_name THEN display_name ELSE ? END,
					description = CASE WHEN edited_description OR ? = '' THEN description ELSE ? END,
					is_view = ?, row_count = ?, active = ? WHERE id = ?`),
					t.DisplayName, t.Description, t.Description, t.IsView, t.RowCount, true, id)
			} else {
				id, err = db.insertID(ctx, q, `INSERT INTO tables (database_id, schema_name, name, display_name, description,
					visibility, is_view, row_count, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					dbID, t.Schema, t.Name, t.DisplayName, t.Description, sightline.VisibilityNormal, t.IsView, t.RowCount, true)
			}
			if err != nil {
				return fmt.Errorf("save table %s: %w", t.Name, err)
			}
			ids, err := db.saveFields(ctx, q, id, t.Fields)
			if err != nil {
				return fmt.Errorf("save fields of %s: %w", t.Name, err)
			}
			for i, f := range t.Fields {
				fieldIDs[colKey{t.Schema, t.Name, f.Name}] = ids[i]
				if f.FKTarget != nil {
					fks = append(fks, pendingFK{ids[i], *f.FKTarget})
				}
			}
		}
		for _, fk := range fks {
			target, ok := fieldIDs[colKey{fk.target.Schema, fk.target.Table, fk.target.Column}]
			if !ok {
				continue
			}
			if _, err := q.ExecContext(ctx, db.rebind("UPDATE fields SET fk_target_field_id = ? WHERE id = ?"), target, fk.field); err != nil {
				return err
			}
		}
		return nil
	})
}

// saveFields upserts one table's fields and returns their ids in order.
func (db *DB) saveFields(ctx context.Context, q querier, tableID int64, fields []sightline.Field) ([]int64, error) {
	existing := map[string]int64{}
	rows, err := q.QueryContext(ctx, db.rebind("SELECT id, name FROM fields WHERE table_id = ?"), tableID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, err
		}
		existing[name] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if _, err := q.ExecContext(ctx, db.rebind("UPDATE fields SET active = ?, fk_target_field_id = NULL WHERE table_id = ?"), false, tableID); err != nil {
		return nil, err
	}
	ids := make([]int64, len(fields))
	now := db.Now()
	for i, f := range fields {
		id, ok := existing[f.Name]
		if ok {
			_, err = q.ExecContext(ctx, db.rebind(`UPDATE fields SET
				display_name = CASE WHEN edited_display_name THEN display_name ELSE ? END,
				description = CASE WHEN edited_description OR ? = '' THEN description ELSE ? END,
				semantic_type = CASE WHEN edited_semantic_type THEN semantic_type ELSE ? END,
				database_type = ?, base_type = ?, position = ?, nullable = ?, distinct_count = ?, active = ? WHERE id = ?`),
				f.DisplayName, f.Description, f.Description, f.SemanticType, f.DatabaseType, f.BaseType, f.Position,
				f.Nullable, f.DistinctCount, true, id)
		} else {
			id, err = db.insertID(ctx, q, `INSERT INTO fields (table_id, name, display_name, description, database_type,
				base_type, semantic_type, position, nullable, visibility, distinct_count, active)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				tableID, f.Name, f.DisplayName, f.Description, f.DatabaseType, f.BaseType, f.SemanticType, f.Position,
				f.Nullable, sightline.VisibilityNormal, f.DistinctCount, true)
		}
		if err != nil {
			return nil, err
		}
		ids[i] = id
		if len(f.Values) > 0 {
			b, err := json.Marshal(f.Values)
			if err != nil {
				return nil, err
			}
			if _, err := q.ExecContext(ctx, db.rebind(`INSERT INTO field_values (field_id, vals, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (field_id) DO UPDATE SET vals = excluded.vals, updated_at = excluded.updated_at`), id, string(b), now); err != nil {
				return nil, err
			}
		} else if _, err := q.ExecContext(ctx, db.rebind("DELETE FROM field_values WHERE field_id = ?"), id); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

const tableColumns = `t.id, t.database_id, t.schema_name, t.name, t.display_name, t.description, t.visibility, t.is_view,
	t.row_count, t.edited_display_name, t.edited_description`

func scanTable(sc interface{ Scan(...any) error }, t *sightline.Table) error {
	return sc.Scan(&t.ID, &t.DatabaseID, &t.Schema, &t.Name, &t.DisplayName, &t.Description, &t.Visibility, &t.IsView,
		&t.RowCount, &t.EditedDisplayName, &t.EditedDescription)
}

const fieldColumns = `f.id, f.table_id, f.name, f.display_name, f.description, f.database_type, f.base_type, f.semantic_type,
	f.position, f.nullable, f.fk_target_field_id, f.visibility, f.distinct_count, f.edited_display_name, f.edited_description,
	f.edited_semantic_type`

func scanField(sc interface{ Scan(...any) error }, f *sightline.Field) error {
	var fk sql.NullInt64
	err := sc.Scan(&f.ID, &f.TableID, &f.Name, &f.DisplayName, &f.Description, &f.DatabaseType, &f.BaseType, &f.SemanticType,
		&f.Position, &f.Nullable, &fk, &f.Visibility, &f.DistinctCount, &f.EditedDisplayName, &f.EditedDescription,
		&f.EditedSemanticType)
	f.FKTargetFieldID = fk.Int64
	return err
}

// Tables returns the active tables of a database, each with its active
// fields, in two queries whatever the number of tables.
func (db *DB) Tables(ctx context.Context, dbID int64) ([]sightline.Table, error) {
	rows, err := db.r.QueryContext(ctx, db.rebind("SELECT "+tableColumns+" FROM tables t WHERE t.database_id = ? AND t.active = ? ORDER BY LOWER(t.display_name)"), dbID, true)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	var out []sightline.Table
	index := map[int64]int{}
	for rows.Next() {
		var t sightline.Table
		if err := scanTable(rows, &t); err != nil {
			return nil, err
		}
		index[t.ID] = len(out)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	frows, err := db.r.QueryContext(ctx, db.rebind(`SELECT `+fieldColumns+` FROM fields f JOIN tables t ON t.id = f.table_id
		WHERE t.database_id = ? AND t.active = ? AND f.active = ? ORDER BY f.table_id, f.position`), dbID, true, true)
	if err != nil {
		return nil, fmt.Errorf("list fields: %w", err)
	}
	defer frows.Close()
	for frows.Next() {
		var f sightline.Field
		if err := scanField(frows, &f); err != nil {
			return nil, err
		}
		if i, ok := index[f.TableID]; ok {
			out[i].Fields = append(out[i].Fields, f)
		}
	}
	return out, frows.Err()
}

// Table returns one table with its fields; inactive tables are not found.
func (db *DB) Table(ctx context.Context, id int64) (*sightline.Table, error) {
	t := &sightline.Table{}
	err := scanTable(db.r.QueryRowContext(ctx, db.rebind("SELECT "+tableColumns+" FROM tables t WHERE t.id = ? AND t.active = ?"), id, true), t)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Table")
	}
	if err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, db.rebind("SELECT "+fieldColumns+" FROM fields f WHERE f.table_id = ? AND f.active = ? ORDER BY f.position"), id, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f sightline.Field
		if err := scanField(rows, &f); err != nil {
			return nil, err
		}
		t.Fields = append(t.Fields, f)
	}
	return t, rows.Err()
}

// FieldValues returns the cached distinct values of a field (nil when none).
func (db *DB) FieldValues(ctx context.Context, fieldID int64) ([]any, error) {
	var s string
	err := db.r.QueryRowContext(ctx, db.rebind("SELECT vals FROM field_values WHERE field_id = ?"), fieldID).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var vals []any
	if err := json.Unmarshal([]byte(s), &vals); err != nil {
		return nil, fmt.Errorf("field %d values: %w", fieldID, err)
	}
	return vals, nil
}

// edit is one column an admin edit may change; marked columns are flagged
// as edited so that re-sync keeps them.
type edit struct {
	column string
	value  *string
	marked bool
}

// applyEdits updates the given columns of one row of table.
func (db *DB) applyEdits(ctx context.Context, table, what string, id int64, edits ...edit) error {
	var sets []string
	var args []any
	for _, e := range edits {
		if e.value == nil {
			continue
		}
		sets = append(sets, e.column+" = ?")
		args = append(args, *e.value)
		if e.marked {
			sets = append(sets, "edited_"+e.column+" = ?")
			args = append(args, true)
		}
	}
	if len(sets) == 0 {
		return nil
	}
	res, err := db.w.ExecContext(ctx, db.rebind("UPDATE "+table+" SET "+strings.Join(sets, ", ")+" WHERE id = ?"), append(args, id)...)
	if err != nil {
		return fmt.Errorf("update %s: %w", strings.ToLower(what), err)
	}
	return mustAffect(res, what)
}

// UpdateTable applies an admin edit and marks edited values so that re-sync
// keeps them.
func (db *DB) UpdateTable(ctx context.Context, id int64, e sightline.TableEdit) error {
	return db.applyEdits(ctx, "tables", "Table", id,
		edit{"display_name", e.DisplayName, true}, edit{"description", e.Description, true}, edit{"visibility", e.Visibility, false})
}

// UpdateField applies an admin edit and marks edited values so that re-sync
// keeps them.
func (db *DB) UpdateField(ctx context.Context, id int64, e sightline.FieldEdit) error {
	return db.applyEdits(ctx, "fields", "Field", id,
		edit{"display_name", e.DisplayName, true}, edit{"description", e.Description, true},
		edit{"semantic_type", e.SemanticType, true}, edit{"visibility", e.Visibility, false})
}
