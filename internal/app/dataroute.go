package app

import (
	"context"
	"fmt"

	"sightline"
)

// ctxFlag is a mark a request's context carries for the data door.
type ctxFlag int

const (
	// flagSavedQuestion: the door runs a saved question the user may read
	// (see asSavedQuestion).
	flagSavedQuestion ctxFlag = iota + 1
	// flagPreview: the request belongs to a "view as" preview (AsPreview).
	flagPreview
	// flagNoData: the request is served by a route not declared as
	// returning rows or column values (WithoutData).
	flagNoData
	// flagEmbedUnfiltered: a static embed runs a card that none of the
	// token's locked values filters (see embedUnfiltered).
	flagEmbedUnfiltered
)

func withFlag(ctx context.Context, f ctxFlag) context.Context { return context.WithValue(ctx, f, true) }

func hasFlag(ctx context.Context, f ctxFlag) bool {
	v, _ := ctx.Value(f).(bool)
	return v
}

// WithoutData marks ctx as serving a route that is not declared as
// returning data: the data door then refuses to run anything for it. The
// web layer marks every such route, so that a route which starts returning
// rows without being declared (and so without being in the leak matrix that
// checks every declared route as every kind of person) fails at once
// instead of slipping past the matrix.
func WithoutData(ctx context.Context) context.Context {
	return withFlag(ctx, flagNoData)
}

// checkDataRoute refuses to run a query for a route not declared as a data
// route.
func checkDataRoute(ctx context.Context) error {
	if hasFlag(ctx, flagNoData) {
		return sightline.Internal(fmt.Errorf("a route not declared as returning data reached the data door: declare it (data: true) so that the leak matrix checks it"))
	}
	return nil
}
