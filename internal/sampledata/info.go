package sampledata

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"sightline"
)

// InfoTable is the one-row table in which Load records which generation of
// the Sample Database a PostgreSQL or MySQL database holds. It is Load's
// bookkeeping, not sample data: a metadata sync leaves it out.
const InfoTable = "SIGHTLINE_SAMPLE_INFO"

// GeneratorVersion numbers the generator's output. It changes whenever the
// same Options would give different rows, so that a database loaded by an
// older generator is never completed with rows of a newer one.
const GeneratorVersion = 1

// Generation identifies the rows of one copy of the Sample Database: the
// same Generation always gives the same rows.
type Generation struct {
	Anchor  time.Time // a date at midnight UTC
	Scale   int
	Version int
}

// generationOf returns the generation opts make with this generator.
func generationOf(opts Options) Generation {
	y, m, d := opts.Anchor.Date()
	return Generation{Anchor: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), Scale: normScale(opts.Scale), Version: GeneratorVersion}
}

func (g Generation) String() string {
	return fmt.Sprintf("anchor date %s, scale %d, generator version %d", g.Anchor.Format(dateLayout), g.Scale, g.Version)
}

// infoDef describes InfoTable; its single row has ID 1.
var infoDef = TableDef{
	Name:        InfoTable,
	Description: "Which generation of the Sample Database the sample tables hold, recorded by sightline sample so that re-runs complete the same rows.",
	Columns: []Column{
		id("Always 1: the table has one row."),
		{Name: "ANCHOR", Kind: Text, Size: 10, Description: "The date the sample data is generated as of, YYYY-MM-DD."},
		{Name: "SCALE", Kind: Integer, Description: "The factor every table's row count is multiplied by."},
		{Name: "GENERATOR_VERSION", Kind: Integer, Description: "The version of the generator that made the rows."},
	},
}

// readInfo returns the generation recorded in db, and false when none is.
// InfoTable must exist.
func readInfo(ctx context.Context, db *sql.DB, dialect string) (Generation, bool, error) {
	q := func(s string) string { return quote(dialect, s) }
	var anchor string
	var g Generation
	err := db.QueryRowContext(ctx, "SELECT "+q("ANCHOR")+", "+q("SCALE")+", "+q("GENERATOR_VERSION")+
		" FROM "+q(InfoTable)+" WHERE "+q("ID")+" = 1").Scan(&anchor, &g.Scale, &g.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return Generation{}, false, nil
	}
	if err != nil {
		return Generation{}, false, fmt.Errorf("sample data: read %s: %w", InfoTable, err)
	}
	if g.Anchor, err = time.Parse(dateLayout, anchor); err != nil {
		return Generation{}, false, sightline.Errorf(sightline.EINVALID, "The anchor date %q recorded in %s is not a date.", anchor, InfoTable)
	}
	return g, true, nil
}

// writeInfo records g in db.
func writeInfo(ctx context.Context, db *sql.DB, dialect string, g Generation) error {
	_, err := db.ExecContext(ctx, insertStatement(dialect, infoDef, 1),
		int64(1), g.Anchor.Format(dateLayout), int64(g.Scale), int64(g.Version))
	if err != nil {
		return fmt.Errorf("sample data: record the generation in %s: %w", InfoTable, err)
	}
	return nil
}

// dropTables drops the sample tables, children first, and deletes the
// record of their generation.
func dropTables(ctx context.Context, db *sql.DB, dialect string) error {
	tables := Tables()
	slices.Reverse(tables)
	for _, t := range tables {
		if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+quote(dialect, t.Name)); err != nil {
			return fmt.Errorf("sample data: drop %s: %w", t.Name, err)
		}
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM "+quote(dialect, InfoTable)); err != nil {
		return fmt.Errorf("sample data: clear %s: %w", InfoTable, err)
	}
	return nil
}

// Causes of a refused load, under an ECONFLICT error, so that a caller can
// say which way out there is.
var (
	// ErrOtherGeneration: the sample tables hold rows of another anchor date
	// or scale than asked for, which a load without them would complete.
	ErrOtherGeneration = errors.New("sample data: the tables hold another anchor date or scale")
	// ErrNotCompletable: the sample tables hold rows this generator cannot
	// complete (made by another version of it, or with no record of how);
	// only dropping them helps.
	ErrNotCompletable = errors.New("sample data: the tables hold rows this generator cannot complete")
)

// errUnrecorded refuses to complete sample tables whose generation is not
// recorded.
var errUnrecorded = &sightline.Error{Code: sightline.ECONFLICT, Err: ErrNotCompletable,
	Message: "The sample tables already hold rows, but no record of the anchor date and scale they were generated with; loading would mix rows of two generations."}

// conflictError explains why a load was refused: the database holds
// another generation than the one asked for.
func conflictError(have Generation, want Generation) error {
	if have.Version != want.Version {
		return &sightline.Error{Code: sightline.ECONFLICT, Err: ErrNotCompletable, Message: fmt.Sprintf(
			"The sample tables were loaded by version %d of the generator, which makes other rows than version %d; they can only be dropped and loaded again.",
			have.Version, want.Version)}
	}
	var diff string
	switch {
	case !have.Anchor.Equal(want.Anchor) && have.Scale != want.Scale:
		diff = "anchor date " + want.Anchor.Format(dateLayout) + " and scale " + strconv.Itoa(want.Scale)
	case !have.Anchor.Equal(want.Anchor):
		diff = "anchor date " + want.Anchor.Format(dateLayout)
	default:
		diff = "scale " + strconv.Itoa(want.Scale)
	}
	return &sightline.Error{Code: sightline.ECONFLICT, Err: ErrOtherGeneration, Message: fmt.Sprintf(
		"The sample tables hold the Sample Database generated with anchor date %s at scale %d, not with %s; loading would mix rows of both.",
		have.Anchor.Format(dateLayout), have.Scale, diff)}
}
