package app

import (
	"context"
	"sort"
	"time"

	"sightline"
	"sightline/internal/datasource"
)

// AllTables lists every table the actor may see, across every database they
// may see, shaped as Tables shapes them (no statistics for non-admins, a
// sandbox's hidden columns left out), with those databases shaped as
// Databases shapes them.
func (a *App) AllTables(ctx context.Context, actor *sightline.User) ([]sightline.Table, []*sightline.Database, error) {
	dbs, err := a.Databases(ctx, actor)
	if err != nil {
		return nil, nil, err
	}
	out := []sightline.Table{}
	for _, d := range dbs {
		ts, err := a.Tables(ctx, actor, d.ID)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, ts...)
	}
	return out, dbs, nil
}

// Schemas lists the names of the schemas of a database that hold a table the
// actor may see, sorted. A schema whose tables are all out of the actor's
// reach is not named.
func (a *App) Schemas(ctx context.Context, actor *sightline.User, dbID int64) ([]string, error) {
	ts, err := a.Tables(ctx, actor, dbID)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := []string{}
	for _, t := range ts {
		if !seen[t.Schema] {
			seen[t.Schema] = true
			out = append(out, t.Schema)
		}
	}
	sort.Strings(out)
	return out, nil
}

// SchemaTables lists the tables of one schema of a database that the actor
// may see. A schema with no such table is not found, whether it does not
// exist or the actor may not see it.
func (a *App) SchemaTables(ctx context.Context, actor *sightline.User, dbID int64, schema string) ([]sightline.Table, error) {
	ts, err := a.Tables(ctx, actor, dbID)
	if err != nil {
		return nil, err
	}
	out := []sightline.Table{}
	for _, t := range ts {
		if t.Schema == schema {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, notFoundErr("Schema")
	}
	return out, nil
}

// Field returns one field with the table it belongs to, as the actor may see
// them: a field of a table they may not see, a hidden table's field for a
// non-admin, and a column a sandbox leaves out are all not found.
func (a *App) Field(ctx context.Context, actor *sightline.User, id int64) (*sightline.Field, *sightline.Table, error) {
	if actor == nil {
		return nil, nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	t, err := a.tableOfField(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	st, err := a.Table(ctx, actor, t.ID)
	if err != nil {
		if sightline.ErrorCode(err) == sightline.ENOTFOUND {
			return nil, nil, notFoundErr("Field")
		}
		return nil, nil, err
	}
	for i := range st.Fields {
		if st.Fields[i].ID == id {
			f := st.Fields[i]
			return &f, st, nil
		}
	}
	return nil, nil, notFoundErr("Field")
}

// EditFieldByID applies an admin's edit of a field found by its id alone.
func (a *App) EditFieldByID(ctx context.Context, actor *sightline.User, id int64, e sightline.FieldEdit) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	t, err := a.tableOfField(ctx, id)
	if err != nil {
		return err
	}
	return a.EditField(ctx, actor, t.ID, id, e)
}

// ForeignKey is a foreign key that points at a table: the field holding it
// and the field it points at.
type ForeignKey struct {
	Origin      sightline.Field
	OriginTable sightline.Table
	Destination sightline.Field
}

// TableForeignKeys lists the foreign keys of other tables (or the same one)
// that point at a field of table id. Only keys held by tables the actor may
// see are listed, so the list never names a table out of their reach.
func (a *App) TableForeignKeys(ctx context.Context, actor *sightline.User, id int64) ([]ForeignKey, error) {
	t, err := a.Table(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	targets := map[int64]sightline.Field{}
	for _, f := range t.Fields {
		targets[f.ID] = f
	}
	tables, err := a.Tables(ctx, actor, t.DatabaseID)
	if err != nil {
		return nil, err
	}
	out := []ForeignKey{}
	for _, ot := range tables {
		for _, f := range ot.Fields {
			dest, ok := targets[f.FKTargetFieldID]
			if f.FKTargetFieldID == 0 || !ok {
				continue
			}
			table := ot
			table.Fields = nil
			out = append(out, ForeignKey{Origin: f, OriginTable: table, Destination: dest})
		}
	}
	return out, nil
}

// healthcheckTimeout bounds a health check's connection attempt.
const healthcheckTimeout = 10 * time.Second

// DatabaseHealth connects to a database the actor may see and reports
// whether it answers: nil when it does. The error an administrator gets
// names the driver's reason; anyone else gets a sentence that quotes no
// connection detail.
func (a *App) DatabaseHealth(ctx context.Context, actor *sightline.User, id int64) error {
	if _, err := a.Database(ctx, actor, id); err != nil {
		return err
	}
	d, err := a.meta.Database(ctx, id)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	if err := datasource.Test(ctx, *d); err != nil {
		if actor.IsAdmin {
			msg := sightline.ErrorMessage(err)
			if sightline.ErrorCode(err) == sightline.EINTERNAL {
				msg = err.Error()
			}
			return sightline.Errorf(sightline.EUNAVAILABLE, "%s", msg)
		}
		return sightline.Errorf(sightline.EUNAVAILABLE, "The database %q does not answer; an administrator can see why.", d.Name)
	}
	return nil
}

// RescanValues reads again, in the background, the distinct values cached
// for a database's category fields; they are read by its metadata sync.
func (a *App) RescanValues(ctx context.Context, actor *sightline.User, id int64) error {
	if err := a.RequestSync(ctx, actor, id); err != nil {
		return err
	}
	a.audit(ctx, actor, "database-rescan-values", jsonDetail(map[string]any{"database_id": id}))
	return nil
}
