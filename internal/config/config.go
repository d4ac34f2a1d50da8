// Package config reads Sightline's start-up configuration from command-line
// flags and environment variables. Flags win over the environment; nothing is
// kept in package-level variables, so every caller passes its Config along.
package config

import (
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the process-level configuration. Admin settings that live in the
// app database (site name, embedding, JWT, ...) are not here.
type Config struct {
	Host          string        // SIGHTLINE_HOST, listen host; "" means all interfaces
	Port          int           // SIGHTLINE_PORT, default 3000
	SiteURL       string        // SIGHTLINE_SITE_URL, public base URL
	DBURL         string        // SIGHTLINE_DB_URL; "" means an SQLite file in DataDir
	DataDir       string        // SIGHTLINE_DATA_DIR, default ./data
	EncryptionKey string        // SIGHTLINE_ENCRYPTION_KEY, encrypts secrets at rest
	LogFormat     string        // SIGHTLINE_LOG_FORMAT: text or json
	LogLevel      string        // SIGHTLINE_LOG_LEVEL: debug, info, warn, error
	AccessLog     bool          // SIGHTLINE_ACCESS_LOG, log every request at info, not only at debug
	AdminEmail    string        // SIGHTLINE_ADMIN_EMAIL, first administrator for unattended installs
	AdminPassword string        // SIGHTLINE_ADMIN_PASSWORD
	SampleDB      bool          // SIGHTLINE_SAMPLE_DB, create and register the Sample Database
	SyncInterval  time.Duration // SIGHTLINE_SYNC_INTERVAL, metadata sync schedule; 0 turns it off
	ShutdownGrace time.Duration // SIGHTLINE_SHUTDOWN_GRACE, time in-flight requests get on SIGTERM
	CacheURL      string        // SIGHTLINE_CACHE_URL, Redis shared by several instances; "" keeps caches in process
	MemoryLimit   int64         // SIGHTLINE_MEMORY_LIMIT, soft limit in bytes on the Go runtime's memory; 0 leaves Go's own
}

// Addr is the listen address.
func (c *Config) Addr() string {
	return net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
}

// AppDBPath is the SQLite file used when DBURL is empty or an sqlite: URL.
func (c *Config) AppDBPath() string {
	if strings.HasPrefix(c.DBURL, "sqlite:") {
		return strings.TrimPrefix(strings.TrimPrefix(c.DBURL, "sqlite:"), "//")
	}
	return filepath.Join(c.DataDir, "sightline.db")
}

// IsPostgres reports whether the app database is PostgreSQL.
func (c *Config) IsPostgres() bool {
	return strings.HasPrefix(c.DBURL, "postgres://") || strings.HasPrefix(c.DBURL, "postgresql://")
}

// Var is one environment variable Load reads.
type Var struct {
	Name, Flag, Default, Meaning string
}

// Vars lists every environment variable Load reads, in the order the
// configuration reference documents them.
var Vars = []Var{
	{"SIGHTLINE_HOST", "host", "", "listen host; empty means all interfaces"},
	{"SIGHTLINE_PORT", "port", "3000", "listen port"},
	{"SIGHTLINE_SITE_URL", "site-url", "", "public base URL (http or https), used for absolute links, cookies and the return_to check"},
	{"SIGHTLINE_DB_URL", "db-url", "", "app database: postgres://... or sqlite:PATH; empty means DATA_DIR/sightline.db"},
	{"SIGHTLINE_DATA_DIR", "data-dir", "data", "directory for the SQLite app database and the Sample Database"},
	{"SIGHTLINE_ENCRYPTION_KEY", "encryption-key", "", "key that encrypts secrets at rest (database passwords, the JWT key)"},
	{"SIGHTLINE_LOG_FORMAT", "log-format", "text", "text or json"},
	{"SIGHTLINE_LOG_LEVEL", "log-level", "info", "debug, info, warn or error"},
	{"SIGHTLINE_ACCESS_LOG", "access-log", "false", "log every request at info; otherwise successful ones are logged at debug only"},
	{"SIGHTLINE_ADMIN_EMAIL", "admin-email", "", "first administrator's email, for unattended installs"},
	{"SIGHTLINE_ADMIN_PASSWORD", "admin-password", "", "first administrator's password, for unattended installs"},
	{"SIGHTLINE_SAMPLE_DB", "sample-db", "true", "create and register the Sample Database on first start"},
	{"SIGHTLINE_SYNC_INTERVAL", "sync-interval", "1h", "metadata sync schedule; 0 turns it off"},
	{"SIGHTLINE_SHUTDOWN_GRACE", "shutdown-grace", "15s", "time in-flight requests get to finish on SIGTERM"},
	{"SIGHTLINE_CACHE_URL", "cache-url", "", "Redis (redis://HOST:PORT/DB) that several instances share for query results, cache invalidation and failed sign-in counts; empty keeps caches in each process"},
	{"SIGHTLINE_MEMORY_LIMIT", "memory-limit", "0", "soft limit on the memory the Go runtime manages, like 256MiB or 1GiB; the garbage collector works harder near it; 0 or off leaves Go's own (GOMEMLIMIT, else none)"},
}

// Load parses args (without the program and subcommand names) over the
// environment read through getenv.
func Load(args []string, getenv func(string) string, stderr io.Writer) (*Config, error) {
	fs := flag.NewFlagSet("sightline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	vals := make(map[string]*string, len(Vars))
	for _, v := range Vars {
		def := v.Default
		if e := getenv(v.Name); e != "" {
			def = e
		}
		vals[v.Name] = fs.String(v.Flag, def, v.Meaning+" (env "+v.Name+")")
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	get := func(name string) string { return strings.TrimSpace(*vals[name]) }
	c := &Config{
		Host:          get("SIGHTLINE_HOST"),
		SiteURL:       get("SIGHTLINE_SITE_URL"),
		DBURL:         get("SIGHTLINE_DB_URL"),
		DataDir:       get("SIGHTLINE_DATA_DIR"),
		EncryptionKey: *vals["SIGHTLINE_ENCRYPTION_KEY"],
		LogFormat:     get("SIGHTLINE_LOG_FORMAT"),
		LogLevel:      get("SIGHTLINE_LOG_LEVEL"),
		AdminEmail:    get("SIGHTLINE_ADMIN_EMAIL"),
		AdminPassword: *vals["SIGHTLINE_ADMIN_PASSWORD"],
		CacheURL:      get("SIGHTLINE_CACHE_URL"),
	}
	var err error
	if c.Port, err = strconv.Atoi(get("SIGHTLINE_PORT")); err != nil || c.Port < 0 || c.Port > 65535 {
		return nil, fmt.Errorf("port must be a number from 0 to 65535, not %q", get("SIGHTLINE_PORT"))
	}
	if c.AccessLog, err = strconv.ParseBool(get("SIGHTLINE_ACCESS_LOG")); err != nil {
		return nil, fmt.Errorf("access-log must be true or false, not %q", get("SIGHTLINE_ACCESS_LOG"))
	}
	if c.SampleDB, err = strconv.ParseBool(get("SIGHTLINE_SAMPLE_DB")); err != nil {
		return nil, fmt.Errorf("sample-db must be true or false, not %q", get("SIGHTLINE_SAMPLE_DB"))
	}
	if c.SyncInterval, err = parseDuration(get("SIGHTLINE_SYNC_INTERVAL")); err != nil {
		return nil, fmt.Errorf("sync-interval must be a duration like 1h, not %q", get("SIGHTLINE_SYNC_INTERVAL"))
	}
	if c.ShutdownGrace, err = parseDuration(get("SIGHTLINE_SHUTDOWN_GRACE")); err != nil {
		return nil, fmt.Errorf("shutdown-grace must be a duration like 15s, not %q", get("SIGHTLINE_SHUTDOWN_GRACE"))
	}
	if c.MemoryLimit, err = parseBytes(get("SIGHTLINE_MEMORY_LIMIT")); err != nil {
		return nil, fmt.Errorf("memory-limit must be a size like 256MiB or 1GiB, or 0 or off, not %q", get("SIGHTLINE_MEMORY_LIMIT"))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return nil, fmt.Errorf("log-format must be text or json, not %q", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return nil, fmt.Errorf("log-level must be debug, info, warn or error, not %q", c.LogLevel)
	}
	if c.SiteURL != "" {
		u, err := url.Parse(c.SiteURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("site-url must be an absolute http(s) URL, not %q", c.SiteURL)
		}
		c.SiteURL = strings.TrimRight(c.SiteURL, "/")
	}
	if c.DBURL != "" && !c.IsPostgres() && !strings.HasPrefix(c.DBURL, "sqlite:") {
		return nil, fmt.Errorf("db-url must start with postgres:// or sqlite:, not %q", redact(c.DBURL))
	}
	if c.CacheURL != "" && !strings.HasPrefix(c.CacheURL, "redis://") && !strings.HasPrefix(c.CacheURL, "rediss://") && !strings.HasPrefix(c.CacheURL, "unix://") {
		return nil, fmt.Errorf("cache-url must start with redis://, rediss:// or unix://, not %q", redact(c.CacheURL))
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		return nil, fmt.Errorf("SIGHTLINE_ADMIN_EMAIL and SIGHTLINE_ADMIN_PASSWORD must be set together")
	}
	return c, nil
}

func parseDuration(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	return time.ParseDuration(s)
}

// parseBytes reads a size as GOMEMLIMIT writes it: a whole number of bytes
// with an optional unit B, KiB, MiB, GiB or TiB; 0 and off are 0.
func parseBytes(s string) (int64, error) {
	if s == "off" {
		return 0, nil
	}
	num, mult := s, int64(1)
	for i, unit := range []string{"TiB", "GiB", "MiB", "KiB", "B"} {
		if n, ok := strings.CutSuffix(s, unit); ok {
			num, mult = n, int64(1)<<(10*(4-i))
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}

// redact hides a password in a URL for messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
