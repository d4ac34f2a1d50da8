package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startServer serves h through newHTTPServer with the given read timeout
// and returns its address.
func startServer(t *testing.T, h http.Handler, read time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(h, read, slog.New(slog.DiscardHandler))
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// TestSlowBodyIsCutOff sends a body one byte at a time, far slower than
// the read timeout allows: the server stops reading it and closes the
// connection instead of waiting for the client.
func TestSlowBodyIsCutOff(t *testing.T) {
	const read = 300 * time.Millisecond
	readErr := make(chan error, 1)
	addr := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		readErr <- err
		if err != nil {
			http.Error(w, "body not read", http.StatusBadRequest)
		}
	}), read)

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const size = 100
	fmt.Fprintf(conn, "POST /api/dataset HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", addr, size)
	start := time.Now()
	closed := make(chan struct{})
	var closedAfter time.Duration
	go func() {
		// The server closes the connection; reading sees the end of it.
		io.Copy(io.Discard, conn)
		closedAfter = time.Since(start)
		close(closed)
	}()
	// Send a byte every 100ms: the whole body would take 10s.
	for sent := 0; sent < size; sent++ {
		if _, err := conn.Write([]byte("{")); err != nil {
			break
		}
		select {
		case <-closed:
			sent = size
		case <-time.After(100 * time.Millisecond):
		}
	}
	select {
	case err := <-readErr:
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("the handler read the slow body with error %v, want a timeout", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the handler was still reading the slow body after 5s")
	}
	select {
	case <-closed:
		if closedAfter > 3*time.Second {
			t.Errorf("the server closed the connection after %v, want about %v", closedAfter, read)
		}
		t.Logf("connection closed after %v", closedAfter)
	case <-time.After(5 * time.Second):
		t.Error("the server kept the slow client's connection open")
	}
}

// TestLongHandlerIsNotCutOff checks that the read timeout bounds reading
// the request only: a handler that works longer than it (a slow query)
// still answers.
func TestLongHandlerIsNotCutOff(t *testing.T) {
	const read = 200 * time.Millisecond
	addr := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		select {
		case <-time.After(3 * read):
			io.WriteString(w, "done")
		case <-r.Context().Done():
			http.Error(w, "cancelled", http.StatusServiceUnavailable)
		}
	}), read)
	res, err := http.Post("http://"+addr+"/api/dataset", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || string(b) != "done" {
		t.Errorf("a handler working past the read timeout = %d %q, want 200 \"done\"", res.StatusCode, b)
	}
}

// TestRequestBodyBounded checks that every body, whatever the route reads
// it with, stops at maxRequestBytes.
func TestRequestBodyBounded(t *testing.T) {
	addr := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		fmt.Fprint(w, n)
	}), readTimeout)
	tests := []struct {
		size int
		want int
	}{
		{maxRequestBytes, http.StatusOK},
		{maxRequestBytes + 1, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		// Chunked, so that the size is unknown until the body is read.
		fmt.Fprintf(conn, "POST /upload HTTP/1.1\r\nHost: %s\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n", addr, tt.size)
		go func() {
			conn.Write([]byte(strings.Repeat("x", tt.size)))
			conn.Write([]byte("\r\n0\r\n\r\n"))
		}()
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%d bytes: %v", tt.size, err)
		}
		res.Body.Close()
		conn.Close()
		if res.StatusCode != tt.want {
			t.Errorf("a body of %d bytes = %d, want %d", tt.size, res.StatusCode, tt.want)
		}
	}
}

// TestServerReadBounds checks the bounds the server runs with.
func TestServerReadBounds(t *testing.T) {
	srv := newHTTPServer(http.NotFoundHandler(), readTimeout, slog.New(slog.DiscardHandler))
	if srv.ReadTimeout <= 0 || srv.ReadTimeout > time.Minute {
		t.Errorf("ReadTimeout = %v, want a bound of at most a minute", srv.ReadTimeout)
	}
	if srv.ReadHeaderTimeout <= 0 || srv.ReadHeaderTimeout > srv.ReadTimeout {
		t.Errorf("ReadHeaderTimeout = %v, want a bound within ReadTimeout %v", srv.ReadHeaderTimeout, srv.ReadTimeout)
	}
}
