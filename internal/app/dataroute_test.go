package app

import (
	"context"
	"testing"

	"sightline"
)

func TestDataDoorRefusesUndeclaredRoutes(t *testing.T) {
	a, _, admin, sample := sampleApp(t)
	ctx := context.Background()
	tables, err := a.Tables(ctx, admin, sample.ID)
	if err != nil {
		t.Fatal(err)
	}
	q := &sightline.Query{Database: sample.ID, Type: sightline.QueryTypeStructured, Structured: &sightline.StructuredQuery{
		SourceTable: tableByName(t, tables, "INVOICES").ID, Aggregations: []sightline.Aggregation{{Op: sightline.AggCount}}}}
	if _, err := a.RunQuery(ctx, admin, q, RunOptions{}); err != nil {
		t.Fatalf("RunQuery outside any route = %v", err)
	}
	if res, err := a.RunQuery(WithoutData(ctx), admin, q, RunOptions{}); sightline.ErrorCode(err) != sightline.EINTERNAL {
		t.Errorf("RunQuery for a route not declared as returning data = %v, %v; want an internal error", res, err)
	}
	var sink countingWriter
	if _, err := a.Download(WithoutData(ctx), admin, q, &sink); sightline.ErrorCode(err) != sightline.EINTERNAL || sink.rows != 0 {
		t.Errorf("Download for a route not declared as returning data = %v (%d rows), want an internal error", err, sink.rows)
	}
}
