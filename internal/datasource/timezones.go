package datasource

import (
	"context"
	"sync"
	"time"

	"sightline"
)

// zoneProbe is the query that tells whether a MySQL/MariaDB server knows
// time zone names: CONVERT_TZ gives NULL for every named zone unless the
// server's time zone tables (mysql.time_zone*) are loaded, which a fresh
// installation does not do.
const zoneProbe = "SELECT CONVERT_TZ('2000-01-01 00:00:00', 'UTC', 'Asia/Tokyo') IS NOT NULL"

// zoneRecheck is how long a server found without its time zone tables is
// believed to lack them: loading them takes effect without a restart, so
// the answer is asked again after this long. A server that has them keeps
// them, and is not asked again.
const zoneRecheck = time.Minute

// zoneState caches the answer of zoneProbe for one source.
type zoneState struct {
	mu      sync.Mutex
	known   bool      // an answer was read
	ok      bool      // the answer: zone names convert
	checked time.Time // when the answer was read
}

// NamedTimeZones reports whether the database converts between named time
// zones (Europe/Berlin, America/New_York), as convertTimezone needs.
// PostgreSQL and SQLite (through Sightline's own function) always do; a
// MySQL/MariaDB server does once its time zone tables are loaded, which is
// asked of the server once and remembered (a negative answer for
// zoneRecheck). An error means the server could not be asked.
func (s *Source) NamedTimeZones(ctx context.Context) (bool, error) {
	if s.engine != sightline.EngineMySQL {
		return true, nil
	}
	z := &s.zones
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.known && (z.ok || time.Since(z.checked) < zoneRecheck) {
		return z.ok, nil
	}
	ctx, cancel := context.WithTimeout(ctx, min(s.timeout, TestTimeout))
	defer cancel()
	var ok bool
	if err := s.db.QueryRowContext(ctx, zoneProbe).Scan(&ok); err != nil {
		return false, s.scrubbed(err)
	}
	z.known, z.ok, z.checked = true, ok, time.Now()
	return ok, nil
}
