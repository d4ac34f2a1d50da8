package app

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"time"

	"sightline"
)

// healthTimeout bounds the app database check behind /api/health, so a
// hung database makes the check fail rather than hang the prober.
const healthTimeout = 2 * time.Second

// CheckHealth reports whether the app database answers within a short
// timeout. The error is EUNAVAILABLE with a message fit for anyone; the
// cause is logged, since it may name hosts or files.
func (a *App) CheckHealth(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	if err := a.store.Ping(ctx); err != nil {
		a.log.Error("health check: app database", "err", err)
		return sightline.Errorf(sightline.EUNAVAILABLE, "The app database is not answering.")
	}
	return nil
}

// AuthorizeMetrics decides who may read the server's metrics: an
// administrator, or a caller presenting the metrics-token setting as a
// bearer token. Without a configured token only administrators may.
func (a *App) AuthorizeMetrics(ctx context.Context, actor *sightline.User, bearer string) error {
	if actor != nil && actor.IsAdmin {
		return nil
	}
	if want := a.settings.String(ctx, sightline.SettingMetricsToken); want != "" && bearer != "" {
		// Comparing digests keeps the comparison constant-time whatever
		// the lengths.
		w, g := sha256.Sum256([]byte(want)), sha256.Sum256([]byte(bearer))
		if subtle.ConstantTimeCompare(w[:], g[:]) == 1 {
			return nil
		}
		return sightline.Errorf(sightline.EUNAUTHORIZED, "The metrics token is not valid.")
	}
	if actor == nil {
		return sightline.Errorf(sightline.EUNAUTHORIZED, "Metrics are only for administrators or callers with the metrics token.")
	}
	return sightline.Errorf(sightline.EFORBIDDEN, "Metrics are only for administrators or callers with the metrics token.")
}
