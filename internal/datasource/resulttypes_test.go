package datasource

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

// TestNativeResultBaseTypes checks that the columns of a SQL result typed by
// hand (a date, a count, a name) come back with base types a chart can use
// on every engine, also where the driver knows no type (SQLite expressions),
// and that their values are converted to match.
func TestNativeResultBaseTypes(t *testing.T) {
	day := map[string]string{
		sightline.EngineSQLite:   "date(created_at)",
		sightline.EnginePostgres: "CAST(created_at AS date)",
		sightline.EngineMySQL:    "DATE(created_at)",
	}
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			s := open(t, e.setup(t, fixtureSchema(e.name)))
			tests := []struct {
				name  string
				query string
				want  []string
				row   []any
			}{
				{
					name:  "columns",
					query: "SELECT born AS date, seats AS count, email AS name FROM accounts WHERE id = 1",
					want:  []string{sightline.BaseDate, sightline.BaseBigInt, sightline.BaseText},
					row:   []any{time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), int64(3), "a@example.com"},
				},
				{
					name: "expressions",
					query: "SELECT " + day[e.name] + " AS date, COUNT(*) AS count, MAX(email) AS name, AVG(latitude) AS mean FROM accounts " +
						"WHERE created_at IS NOT NULL GROUP BY " + day[e.name] + " ORDER BY 1",
					row: []any{time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC), int64(1), "b@example.com", -33.75},
				},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					res, err := s.Exec(context.Background(), tt.query, nil, Options{})
					if err != nil {
						t.Fatalf("Exec(%s) = %v", tt.query, err)
					}
					var got []string
					for _, c := range res.Columns {
						got = append(got, c.BaseType)
					}
					if tt.want != nil {
						if diff := cmp.Diff(tt.want, got); diff != "" {
							t.Errorf("Exec(%s) base types mismatch (-want +got):\n%s", tt.query, diff)
						}
					}
					// Whatever the engine's exact width, each column must be a
					// date, an integer, a text and a number.
					kinds := []map[string]bool{
						{sightline.BaseDate: true},
						{sightline.BaseInteger: true, sightline.BaseBigInt: true},
						{sightline.BaseText: true},
						{sightline.BaseFloat: true, sightline.BaseDecimal: true},
					}
					for i, b := range got {
						if !kinds[i][b] {
							t.Errorf("Exec(%s) column %s base type = %s, want one of %v", tt.query, res.Columns[i].Name, b, kinds[i])
						}
					}
					if len(res.Rows) == 0 {
						t.Fatalf("Exec(%s) returned no rows", tt.query)
					}
					if diff := cmp.Diff(tt.row, res.Rows[0]); diff != "" {
						t.Errorf("Exec(%s) first row mismatch (-want +got):\n%s", tt.query, diff)
					}
				})
			}
		})
	}
}

func TestInferTypes(t *testing.T) {
	u := sightline.BaseUnknown
	tests := []struct {
		name string
		rows [][]any
		want string
		out  []any
	}{
		{"integers", [][]any{{int64(1)}, {nil}, {int64(0)}}, sightline.BaseInteger, []any{int64(1), nil, int64(0)}},
		{"mixed numbers", [][]any{{int64(1)}, {2.5}}, sightline.BaseFloat, []any{1.0, 2.5}},
		{"days", [][]any{{"2024-01-31"}, {"2024-02-01"}}, sightline.BaseDate, []any{time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)}},
		{"timestamps", [][]any{{"2024-01-31 10:20:30"}}, sightline.BaseDateTime, []any{time.Date(2024, 1, 31, 10, 20, 30, 0, time.UTC)}},
		{"text", [][]any{{"2024-01-31"}, {"Widget"}}, sightline.BaseText, []any{"2024-01-31", "Widget"}},
		{"mixed kinds", [][]any{{int64(1)}, {"a"}}, u, []any{int64(1), "a"}},
		{"only nulls", [][]any{{nil}}, u, []any{nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols := []Column{{Name: "c", BaseType: u}}
			inferTypes(cols, tt.rows)
			if cols[0].BaseType != tt.want {
				t.Errorf("inferTypes(%v) base type = %s, want %s", tt.rows, cols[0].BaseType, tt.want)
			}
			var got []any
			for _, r := range tt.rows {
				got = append(got, r[0])
			}
			if diff := cmp.Diff(tt.out, got); diff != "" {
				t.Errorf("inferTypes values mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
