package app

import (
	"context"
	"fmt"

	"sightline"
)

// noDataKey marks a request served by a route that is not declared as
// returning rows or column values.
type noDataKey struct{}

// WithoutData marks ctx as serving a route that is not declared as
// returning data: the data door then refuses to run anything for it. The
// web layer marks every such route, so that a route which starts returning
// rows without being declared (and so without being in the leak matrix that
// checks every declared route as every kind of person) fails at once
// instead of slipping past the matrix.
func WithoutData(ctx context.Context) context.Context {
	return context.WithValue(ctx, noDataKey{}, true)
}

// checkDataRoute refuses to run a query for a route not declared as a data
// route.
func checkDataRoute(ctx context.Context) error {
	if v, _ := ctx.Value(noDataKey{}).(bool); v {
		return sightline.Internal(fmt.Errorf("a route not declared as returning data reached the data door: declare it (data: true) so that the leak matrix checks it"))
	}
	return nil
}
