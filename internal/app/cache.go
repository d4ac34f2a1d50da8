package app

import (
	"context"
	"strconv"
	"time"

	"sightline"
)

// savedRunCache returns opts set up for the run of a saved question or a
// dashboard card by a signed-in person. Nothing is cached unless
// enable-query-caching is on. Then a result is kept for the first of
// hours (the question's, then the dashboard's cache_ttl) that is
// positive; without one, for query-caching-ttl-ratio times as long as its
// run took, when that run took at least query-caching-min-ttl seconds.
// Results over query-caching-max-kb are never kept. The cache key holds
// the compiled SQL and its bound arguments (filters, sandbox values), so
// a result is only ever served to runs that would read the same rows.
func (a *App) savedRunCache(ctx context.Context, opts RunOptions, hours ...int) RunOptions {
	if !a.settings.Bool(ctx, sightline.SettingQueryCaching) {
		return opts
	}
	maxBytes := int64(a.intSetting(ctx, sightline.SettingQueryCachingMaxKB)) * 1024
	var fixed time.Duration
	for _, h := range hours {
		if h > 0 {
			fixed = time.Duration(h) * time.Hour
			break
		}
	}
	minRun := time.Duration(a.intSetting(ctx, sightline.SettingQueryCachingMinTTL)) * time.Second
	ratio := time.Duration(a.intSetting(ctx, sightline.SettingQueryCachingTTLRatio))
	opts.keep = func(r *Result, size int64) time.Duration {
		switch {
		case size > maxBytes:
			return 0
		case fixed > 0:
			return fixed
		case r.Duration >= minRun:
			return ratio * r.Duration
		}
		return 0
	}
	return opts
}

// intSetting reads an integer setting; a value that is not one reads as 0.
func (a *App) intSetting(ctx context.Context, key string) int {
	n, err := strconv.Atoi(a.settings.String(ctx, key))
	if err != nil {
		return 0
	}
	return n
}

// hoursOf reads an item's optional cache_ttl.
func hoursOf(h *int) int {
	if h == nil {
		return 0
	}
	return *h
}
