package appdb

import (
	"context"
	"fmt"
	"testing"

	"sightline"
)

// TestCardOverLimitsStillReads stores a question over the size limits of
// queries, as one saved before they existed: it still reads back (so the
// collections that hold it still list), while running it stays refused.
func TestCardOverLimitsStillReads(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		s := &sightline.StructuredQuery{SourceTable: 1, Expressions: []sightline.NamedExpr{{Name: "c0", Expr: &sightline.FieldRef{ID: 1}}}}
		for i := 1; i < 22; i++ {
			prev := &sightline.ExpressionRef{Name: fmt.Sprintf("c%d", i-1)}
			s.Expressions = append(s.Expressions, sightline.NamedExpr{Name: fmt.Sprintf("c%d", i), Expr: &sightline.Arithmetic{Op: "+", Args: []sightline.Expr{prev, prev}}})
		}
		c := &sightline.Card{Name: "Doubling", Display: "table", DatabaseID: 1, CreatorID: 1,
			Query: &sightline.Query{Version: sightline.QueryVersion, Database: 1, Type: sightline.QueryTypeStructured, Structured: s}}
		if err := db.CreateCard(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := db.Card(ctx, c.ID)
		if err != nil {
			t.Fatalf("Card(%d) = %v, want the saved question", c.ID, err)
		}
		if n := len(got.Query.Structured.Expressions); n != 22 {
			t.Errorf("the saved question has %d custom columns, want 22", n)
		}
		if err := got.Query.Validate(); sightline.ErrorCode(err) != sightline.EINVALID {
			t.Errorf("Validate = %v, want the limits to refuse it", err)
		}
	})
}
