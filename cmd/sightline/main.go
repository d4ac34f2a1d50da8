// Command sightline is the Sightline analytics server: one binary that serves
// the web app and its API, keeps its own metadata in SQLite or PostgreSQL and
// queries users' databases.
//
// Usage:
//
//	sightline [serve] [flags]     run the server (the default)
//	sightline migrate [flags]     apply app-database migrations and exit
//	sightline sample [flags] URL  load the Sample Database into PostgreSQL or MySQL
//	sightline bench-load [flags]  load-test a dashboard and print the figures
//	sightline version             print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"sightline"
	"sightline/internal/app"
	"sightline/internal/appdb"
	"sightline/internal/cachebus"
	"sightline/internal/config"
	"sightline/internal/datasource"
	"sightline/internal/sampledata"
	"sightline/internal/web"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sightline:", err)
		os.Exit(1)
	}
}

// run dispatches the subcommand. It is main without the process globals, so
// tests can start a whole server in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		cfg, err := config.Load(args, getenv, stderr)
		if err != nil {
			return err
		}
		return serve(ctx, cfg, getenv, stdout, nil)
	case "migrate":
		cfg, err := config.Load(args, getenv, stderr)
		if err != nil {
			return err
		}
		db, err := openAppDB(ctx, cfg, newLogger(cfg, stdout))
		if err != nil {
			return err
		}
		v, err := db.Version(ctx)
		db.Close()
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "app database at migration version %d\n", v)
		return nil
	case "sample":
		return runSample(ctx, args, stdout, stderr)
	case "bench-load":
		return runBenchLoad(ctx, args, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "sightline", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, "usage: sightline [serve|migrate|sample|bench-load|version] [flags]; sightline serve -h lists the flags")
		return nil
	}
	return fmt.Errorf("unknown command %q (serve, migrate, sample, bench-load, version)", cmd)
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func openAppDB(ctx context.Context, cfg *config.Config, log *slog.Logger) (*appdb.DB, error) {
	o := appdb.Options{Path: cfg.AppDBPath(), EncryptionKey: cfg.EncryptionKey, Logger: log}
	if cfg.IsPostgres() {
		o.URL = cfg.DBURL
	}
	return appdb.Open(ctx, o)
}

// cacheKeyPrefix starts every key Sightline writes to the shared cache.
const cacheKeyPrefix = "sightline:"

// openCache connects to the Redis that instances share. A server that does
// not answer yet is no reason to refuse to start: queries run uncached and
// caches keep short lifetimes until it does.
func openCache(ctx context.Context, url string, log *slog.Logger) (*cachebus.Redis, error) {
	r, err := cachebus.Open(url, cacheKeyPrefix, log)
	if err != nil {
		return nil, err
	}
	if err := r.Ping(ctx); err != nil {
		log.Warn("shared cache unreachable at start; running uncached until it answers", "err", err)
	} else {
		log.Info("shared cache answers")
	}
	return r, nil
}

// serve runs the server until ctx ends. The listener opens first, so that
// /api/health can answer 503 while migrations run; ready, when not nil,
// receives the bound address once the server answers.
func serve(ctx context.Context, cfg *config.Config, getenv func(string) string, logw io.Writer, ready chan<- string) error {
	log := newLogger(cfg, logw)
	if cfg.MemoryLimit > 0 {
		debug.SetMemoryLimit(cfg.MemoryLimit)
		log.Info("soft memory limit", "bytes", cfg.MemoryLimit)
	}
	ln, err := net.Listen("tcp", cfg.Addr())
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr(), err)
	}
	var handler atomic.Pointer[http.Handler]
	starting := startingHandler()
	handler.Store(&starting)
	srv := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*handler.Load()).ServeHTTP(w, r) }), readTimeout, log)
	srvErr := make(chan error, 1)
	go func() { srvErr <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "version", version)

	shutdown := func() error {
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
		defer cancel()
		return srv.Shutdown(sctx)
	}

	db, err := openAppDB(ctx, cfg, log)
	if err != nil {
		shutdown()
		return err
	}
	defer func() {
		if err := db.Close(); err != nil {
			log.Error("close app database", "err", err)
		}
	}()
	opts := app.Options{Store: db, Meta: db, Content: db, Search: db, Permissions: db, AuditLog: db, Getenv: getenv, Logger: log}
	if !cfg.IsPostgres() {
		// The app database's own file is never a data source.
		opts.Pool = datasource.NewPool(cfg.AppDBPath())
	}
	if cfg.CacheURL != "" {
		shared, err := openCache(ctx, cfg.CacheURL, log)
		if err != nil {
			shutdown()
			return err
		}
		defer shared.Close()
		opts.Bus, opts.SharedResults, opts.SharedFailures = shared, shared, shared
	}
	a := app.New(opts)
	defer func() {
		if err := a.Close(); err != nil {
			log.Error("close connections", "err", err)
		}
	}()
	if cfg.AdminEmail != "" {
		if err := a.EnsureAdmin(ctx, cfg.AdminEmail, cfg.AdminPassword); err != nil {
			shutdown()
			return fmt.Errorf("create the first administrator from the environment: %w", err)
		}
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	ws, err := web.New(a, log, reg, web.Config{SiteURL: cfg.SiteURL, Version: version, AccessLog: cfg.AccessLog})
	if err != nil {
		shutdown()
		return err
	}
	ws.SetReady(true)
	h := ws.Handler()
	handler.Store(&h)
	log.Info("ready", "url", "http://"+displayAddr(ln.Addr()))
	if ready != nil {
		ready <- ln.Addr().String()
	}

	// Work that must not delay the first answer: the Sample Database (about
	// half a second to generate on first start), the syncs an earlier
	// process left unfinished, and the sync schedule. It runs as the app's
	// background work, which a.Close cancels and waits for before the app
	// database closes.
	a.Go(func(bgCtx context.Context) {
		if cfg.SampleDB {
			if err := a.EnsureSampleDatabase(bgCtx, cfg.DataDir); err != nil && bgCtx.Err() == nil {
				log.Error("Sample Database", "err", err)
			}
		}
		a.ResumeSyncs(bgCtx)
		a.RunSyncSchedule(bgCtx, cfg.SyncInterval)
	})

	select {
	case err := <-srvErr:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests", "grace", cfg.ShutdownGrace)
	if err := shutdown(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// Bounds on reading every request, whatever its route.
const (
	// readHeaderTimeout bounds reading a request's headers.
	readHeaderTimeout = 10 * time.Second
	// readTimeout bounds reading a whole request, body included, so that a
	// client sending its body slowly cannot hold a connection and a
	// goroutine for long. Writing the response is not bounded here: a long
	// query or download is bounded by the query timeout of its database.
	readTimeout = 30 * time.Second
	// maxRequestBytes bounds every request body, forms and uploads
	// included; the JSON API refuses bodies over a smaller bound.
	maxRequestBytes = 8 << 20
)

// newHTTPServer returns the server for h: request headers must arrive
// within readHeaderTimeout and the whole request within read, and bodies
// over maxRequestBytes are cut off.
func newHTTPServer(h http.Handler, read time.Duration, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil {
				// A shallow copy: the server keeps its own request, whose
				// body it checks after the handler to close a connection
				// whose body was not read to the end (a slow client).
				r = r.WithContext(r.Context())
				r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
			}
			h.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: min(readHeaderTimeout, read),
		ReadTimeout:       read,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// startingHandler answers every request, /api/health included, with 503
// until migrations have run and the real handler takes over.
func startingHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"status":"starting"}`+"\n")
	})
}

func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil || host == "::" || host == "0.0.0.0" || host == "" {
		return "localhost:" + port
	}
	return net.JoinHostPort(host, port)
}

// runSample loads the Sample Database into a PostgreSQL or MySQL/MariaDB
// database: sightline sample [-scale N] [-anchor YYYY-MM-DD] [-replace] URL.
// The database records the anchor date and scale of its rows, so re-running
// it inserts nothing new, an interrupted load resumes with the same rows on
// any later day, and asking for other rows is refused unless -replace.
func runSample(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sample", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scale := fs.Int("scale", 0, "multiply every table's row count (default: the recorded scale, or 1 on a first load)")
	anchor := fs.String("anchor", "", "the date the generated data is relative to, YYYY-MM-DD (default: the recorded anchor, or today on a first load)")
	replace := fs.Bool("replace", false, "drop the sample tables and load them again if they hold another anchor date or scale")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sightline sample [-scale N] [-anchor YYYY-MM-DD] [-replace] postgres://... | mysql://user:pass@host:port/db")
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "Loads the Sample Database and records its anchor date and scale in the table "+sampledata.InfoTable+".")
		fmt.Fprintln(stderr, "Running it again completes an interrupted load with the same rows, on any day; asking for")
		fmt.Fprintln(stderr, "another -anchor or -scale than the recorded ones is refused unless -replace is given.")
		fmt.Fprintln(stderr, "")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("sample: give exactly one database URL")
	}
	o := sampledata.LoadOptions{Scale: *scale, Replace: *replace, Progress: stderr}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if given["scale"] && *scale < 1 {
		return errors.New("sample: -scale must be at least 1")
	}
	if *anchor != "" {
		at, err := time.Parse("2006-01-02", *anchor)
		if err != nil {
			return fmt.Errorf("sample: -anchor must be a date like 2026-01-31, not %q", *anchor)
		}
		o.Anchor = at
	}
	start := time.Now()
	opts, err := sampledata.LoadURLWith(ctx, fs.Arg(0), o)
	switch {
	case errors.Is(err, sampledata.ErrOtherGeneration):
		return fmt.Errorf("sample: %s Run again without -anchor and -scale to complete the rows there, or with -replace to drop the sample tables and load them again.",
			sightline.ErrorMessage(err))
	case sightline.ErrorCode(err) == sightline.ECONFLICT:
		return fmt.Errorf("sample: %s Run again with -replace to drop the sample tables and load them again.", sightline.ErrorMessage(err))
	case err != nil:
		return fmt.Errorf("sample: %w", err)
	}
	fmt.Fprintf(stdout, "Sample Database loaded (scale %d, anchor %s) in %s\n", opts.Scale, opts.Anchor.Format("2006-01-02"), time.Since(start).Round(time.Millisecond))
	return nil
}
