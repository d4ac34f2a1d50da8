package app

import (
	"context"

	"sightline"
	"sightline/internal/query"
)

// RowWriter receives a download as it streams from the user's database.
// Begin is called once, before the first row (or after the query ended when
// there are no rows), so that a writer can hold back its headers until the
// query is known to run: an error before Begin leaves nothing written.
type RowWriter interface {
	Begin(cols []Column) error
	Row(row []any) error
}

// Download runs q through the data door, with the same access checks and
// compilation as RunQuery, and streams up to MaxDownloadRows rows to w
// without holding them in memory. The query is cancelled when ctx ends (the
// client went away) or when w returns an error, which Download returns as
// is. It returns the number of rows written.
func (a *App) Download(ctx context.Context, actor *sightline.User, q *sightline.Query, w RowWriter) (int, error) {
	n, err := a.download(ctx, actor, q, w)
	if err != nil {
		return n, a.unreachableFor(ctx, actor, q, err)
	}
	return n, nil
}

// download is Download with errors as the data source gives them.
func (a *App) download(ctx context.Context, actor *sightline.User, q *sightline.Query, w RowWriter) (int, error) {
	p, err := a.prepare(ctx, actor, q, MaxDownloadRows)
	if err != nil {
		return 0, err
	}
	done, err := a.turn(ctx, p.person)
	if err != nil {
		return 0, err
	}
	defer done()
	cols := compiledColumns(p.compiled.Columns)
	if cols == nil {
		// Only the driver knows a SQL question's columns, and it tells them
		// after the last row; a one-row run names them first. It also brings
		// an engine error out before anything is written.
		probe := p.opts
		probe.MaxRows = 1
		a.queries.Add(1)
		res, err := p.src.Exec(ctx, p.compiled.SQL, p.compiled.Args, probe)
		if err != nil {
			return 0, err
		}
		cols = resultColumns(nil, res.Columns)
	}
	begun := false
	n := 0
	a.queries.Add(1)
	driverCols, err := p.src.Stream(ctx, p.compiled.SQL, p.compiled.Args, p.opts, func(row []any) error {
		if !begun {
			begun = true
			if err := w.Begin(cols); err != nil {
				return err
			}
		}
		n++
		return w.Row(row)
	})
	if err != nil {
		return n, err
	}
	if !begun {
		if err := w.Begin(resultColumns(p.compiled.Columns, driverCols)); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// DownloadCard streams a saved question's results like Download, with
// optional parameter values, and returns the question for naming the file.
func (a *App) DownloadCard(ctx context.Context, actor *sightline.User, id int64, params []sightline.Parameter, w RowWriter) (*sightline.Card, int, error) {
	c, err := a.Card(ctx, actor, id)
	if err != nil {
		return nil, 0, err
	}
	if c.Archived {
		return c, 0, sightline.Errorf(sightline.EINVALID, "The question %q is archived.", c.Name)
	}
	if err := a.checkParams(ctx, actor, c.Query, params); err != nil {
		return c, 0, err
	}
	q := *c.Query
	if len(params) > 0 {
		q.Parameters = append(append([]sightline.Parameter{}, q.Parameters...), params...)
	}
	// Card checked that the question's collection is readable.
	n, err := a.Download(asSavedQuestion(ctx), actor, &q, w)
	return c, n, err
}

// compiledColumns describes the columns the compiler promises, or nil when
// it cannot tell (native SQL).
func compiledColumns(cc []query.Column) []Column {
	if len(cc) == 0 {
		return nil
	}
	out := make([]Column, len(cc))
	for i, c := range cc {
		out[i] = Column{Name: c.Name, DisplayName: c.DisplayName, BaseType: c.BaseType, SemanticType: c.SemanticType,
			FieldID: c.FieldID, Source: c.Source, Unit: c.Unit}
	}
	return out
}
