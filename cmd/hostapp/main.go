// Command hostapp is a sample host application that embeds Sightline with
// JWT single sign-on, written as a third party would write it (see package
// sightline/cmd/hostapp/hostapp). Configure it with SIGHTLINE_SITE_URL,
// SIGHTLINE_JWT_SHARED_SECRET, SIGHTLINE_DASHBOARD_PATH, SIGHTLINE_EMBEDDING_SECRET_KEY,
// SIGHTLINE_STATIC_DASHBOARD_ID, HOSTAPP_ADDR and
// HOSTAPP_HIDE_UI; -addr overrides HOSTAPP_ADDR.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"sightline/cmd/hostapp/hostapp"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hostapp:", err)
		os.Exit(1)
	}
}

// run serves the host app until ctx is done. It prints the URL it listens on
// (with the configured host name, so "localhost:0" prints the chosen port
// on localhost, which matters because localhost and 127.0.0.1 are different
// sites for cookies).
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := hostapp.LoadConfig(getenv)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address (HOSTAPP_ADDR)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	handler, err := hostapp.New(cfg)
	if err != nil {
		return err
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return err
	}
	_, port, err := net.SplitHostPort(ln.Addr().String())
	if err != nil {
		return err
	}
	if host == "" {
		host = "localhost"
	}
	fmt.Fprintf(stdout, "hostapp listening on http://%s\n", net.JoinHostPort(host, port))

	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
