package web

import (
	"bytes"
	"context"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"sightline"
)

type ctxKey int

const (
	keyUser ctxKey = iota
	keySession
	keyToken
	// keyViewer holds the administrator behind a "view as" preview.
	keyViewer
)

// sessionCookie is the name of the session cookie.
const sessionCookie = "sightline.SESSION"

// userFrom returns the signed-in user, or nil.
func userFrom(ctx context.Context) *sightline.User {
	u, _ := ctx.Value(keyUser).(*sightline.User)
	return u
}

// sessionFrom returns the current session, or nil.
func sessionFrom(ctx context.Context) *sightline.Session {
	s, _ := ctx.Value(keySession).(*sightline.Session)
	return s
}

// statusWriter records the status code for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush lets streamed downloads reach the client as they are written.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// withLogging logs each request with log/slog and records metrics.
func (s *Server) withLogging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		d := time.Since(start)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		pattern := r.Pattern
		if pattern == "" {
			pattern = "unmatched"
		}
		s.metrics.observe(pattern, sw.status, d)
		if quietPath(r.URL.Path) {
			return
		}
		s.log.Log(r.Context(), requestLevel(sw.status, s.cfg.AccessLog, r.Context().Err() != nil), "request",
			"method", r.Method, "path", r.URL.Path, "status", sw.status,
			"bytes", sw.bytes, "duration_ms", float64(d.Microseconds())/1000)
	})
}

// requestLevel is the level of a request's log line: requests the client
// cancelled at debug, server errors at warn, client errors at info, and
// the rest at debug unless every request is logged (accessLog).
func requestLevel(status int, accessLog, cancelled bool) slog.Level {
	switch {
	case cancelled:
		return slog.LevelDebug
	case status >= 500:
		return slog.LevelWarn
	case status >= 400 || accessLog:
		return slog.LevelInfo
	}
	return slog.LevelDebug
}

// quietPath reports paths that need no log line: assets, the appearance
// stylesheet and logo, health and metrics.
func quietPath(p string) bool {
	return sessionless(p) || p == "/metrics"
}

// sessionless reports paths that need no session: assets, the appearance
// stylesheet and logo, and health. /metrics is not one: an administrator's
// session is one way in.
func sessionless(p string) bool {
	return strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/appearance") || p == "/api/health"
}

// withRecover turns a panic into a logged 500.
func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "value", v, "stack", string(debug.Stack()))
				s.writeError(w, r, sightline.Internal(nil))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// errNUL refuses text holding the NUL character: no name, value or search
// needs it, and PostgreSQL cannot store it in a text column or compare it.
var errNUL = sightline.Errorf(sightline.EINVALID, "The request holds the NUL character (U+0000), which no text may contain; remove it and send the request again.")

// withTextCheck refuses, before any handler reads it, a request whose path,
// query string, form body or JSON body holds the NUL character, and bounds
// a form body like a JSON body. readJSONBody checks a JSON body sent
// without a content type the same way.
func (s *Server) withTextCheck(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkText(r); err != nil {
			s.writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkText is withTextCheck's test of one request. A form or JSON body is
// read whole (at most maxBody) and handed on to the handler unchanged.
func checkText(r *http.Request) error {
	if strings.IndexByte(r.URL.Path, 0) >= 0 || urlEncodedNUL(r.URL.RawQuery) {
		return errNUL
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	var hasNUL func([]byte) bool
	switch mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt {
	case "application/x-www-form-urlencoded":
		hasNUL = func(b []byte) bool { return urlEncodedNUL(string(b)) }
	case "application/json":
		hasNUL = jsonHasNUL
	default:
		return nil
	}
	data, err := readBody(r)
	if err != nil {
		return err
	}
	r.Body = &checkedBody{Reader: bytes.NewReader(data), data: data}
	if hasNUL(data) {
		return errNUL
	}
	return nil
}

// checkedBody is a request body checkText has read whole; readBody takes
// its bytes rather than copying them again.
type checkedBody struct {
	*bytes.Reader
	data []byte
}

// Close does nothing: the body is in memory.
func (*checkedBody) Close() error { return nil }

// urlEncodedNUL reports whether URL-encoded text (a query string or a form
// body) decodes to text holding the NUL character.
func urlEncodedNUL(s string) bool {
	return strings.Contains(s, "%00") || strings.IndexByte(s, 0) >= 0
}

// withSecurityHeaders sets the strict Content-Security-Policy (no inline
// script; frame-ancestors from the embedding settings) and friends.
func (s *Server) withSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "+
			"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "+
			"form-action 'self'; frame-ancestors "+s.frameAncestors(r))
		next.ServeHTTP(w, r)
	})
}

// Headers a client outside a browser signs in with: the session id that
// POST /api/session returned (under the reference vendor's name or
// Sightline's), or an API key.
const (
	headerSession      = "X-Metabase-Session"
	headerSessionAlias = "X-Sightline-Session"
	headerAPIKey       = "X-API-Key"
)

// clientCredential is what a request names in the client headers.
type clientCredential struct {
	session, apiKey string
	// conflict is set when the headers name more than one credential.
	conflict bool
}

// headerCredential reads the client headers. ok is false when none of them
// is present, and the request is a browser's, signed in by cookie if at all.
func headerCredential(r *http.Request) (c clientCredential, ok bool) {
	a, b, k := r.Header.Values(headerSession), r.Header.Values(headerSessionAlias), r.Header.Values(headerAPIKey)
	if len(a)+len(b)+len(k) == 0 {
		return c, false
	}
	sessions := append(slices.Clone(a), b...)
	for _, v := range sessions {
		if v != sessions[0] {
			c.conflict = true
		}
	}
	if len(k) > 1 || (len(k) == 1 && len(sessions) > 0) {
		c.conflict = true
	}
	if len(sessions) > 0 {
		c.session = sessions[0]
	}
	if len(k) > 0 {
		c.apiKey = k[0]
	}
	return c, true
}

// withOriginCheck refuses cross-origin browser writes (prot) except for
// requests signed in by a client header: a browser sends such a header
// cross-site only after a CORS preflight that Sightline never allows, so
// they cannot be forged by another site. Cookie requests keep the check.
func withOriginCheck(prot *http.CrossOriginProtection, next http.Handler) http.Handler {
	checked := prot.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := headerCredential(r); ok {
			next.ServeHTTP(w, r)
			return
		}
		checked.ServeHTTP(w, r)
	})
}

// writeUnauthenticated answers a request whose client header names no live
// session or key as the reference vendor does: 401 "Unauthenticated".
func writeUnauthenticated(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write([]byte("Unauthenticated"))
}

// headerSignIn signs in a request by its client header. The cookie, if
// any, is never consulted: a header naming an unknown or expired session
// or key is refused rather than served as the cookie's user.
func (s *Server) headerSignIn(w http.ResponseWriter, r *http.Request, c clientCredential, writes map[string]bool, next http.Handler) {
	if c.conflict {
		writeUnauthenticated(w)
		return
	}
	ctx := r.Context()
	if c.apiKey != "" {
		u, err := s.app.AuthenticateAPIKey(ctx, c.apiKey)
		if err != nil {
			if sightline.ErrorCode(err) == sightline.EUNAUTHORIZED {
				writeUnauthenticated(w)
				return
			}
			s.writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, keyUser, u)))
		return
	}
	sess, u, err := s.app.Authenticate(ctx, c.session)
	if err != nil {
		if sightline.ErrorCode(err) == sightline.EUNAUTHORIZED {
			writeUnauthenticated(w)
			return
		}
		s.writeError(w, r, err)
		return
	}
	ctx = context.WithValue(ctx, keyUser, u)
	ctx = context.WithValue(ctx, keySession, sess)
	ctx = context.WithValue(ctx, keyToken, c.session)
	r = r.WithContext(ctx)
	if r, err = s.viewAs(w, r, writes); err != nil {
		s.writeError(w, r, err)
		return
	}
	next.ServeHTTP(w, r)
}

// withSession loads the session named by a client header or else by the
// cookie, if any, and an administrator's "view as" preview. Pages decide
// for themselves whether they need a user.
func (s *Server) withSession(next http.Handler) http.Handler {
	writes := previewWrites(s.routes())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sessionless(r.URL.Path) || tokenOnly(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		if c, ok := headerCredential(r); ok {
			s.headerSignIn(w, r, c, writes, next)
			return
		}
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		sess, u, err := s.app.Authenticate(r.Context(), c.Value)
		if err != nil {
			if sightline.ErrorCode(err) != sightline.EUNAUTHORIZED {
				s.writeError(w, r, err)
				return
			}
			s.clearSessionCookie(w, r)
			next.ServeHTTP(w, r)
			return
		}
		if refreshesCookie(r) {
			s.refreshSessionCookie(w, r, c.Value, sess.ExpiresAt)
		}
		ctx := context.WithValue(r.Context(), keyUser, u)
		ctx = context.WithValue(ctx, keySession, sess)
		ctx = context.WithValue(ctx, keyToken, c.Value)
		r = r.WithContext(ctx)
		if r, err = s.viewAs(w, r, writes); err != nil {
			s.writeError(w, r, err)
			return
		}
		s.keepEmbedOptions(r, sess)
		next.ServeHTTP(w, r)
	})
}

// setSessionCookie sends the session cookie with the SameSite mode from the
// session-cookie-samesite setting. SameSite=None needs Secure, and Chromium
// keeps a third-party cookie in an iframe only when it is also Partitioned.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, s.cookie(r, token, int(sightline.SessionTTL.Seconds())))
}

// refreshSessionCookie sends the session cookie again, to last as long as
// the session does now. The session's expiry slides while it is used, but
// a cookie keeps the lifetime it was sent with, so without this the browser
// would drop an active session's cookie SessionTTL after sign-in.
func (s *Server) refreshSessionCookie(w http.ResponseWriter, r *http.Request, token string, expires time.Time) {
	maxAge := int(time.Until(expires) / time.Second)
	if maxAge <= 0 {
		return
	}
	http.SetCookie(w, s.cookie(r, token, maxAge))
}

// refreshesCookie reports whether a signed-in request refreshes the session
// cookie: page loads do, which is often enough to keep it alive. API calls
// (a page's many card requests) do not, nor do the sign-in and sign-out
// routes, which set or clear the cookie themselves.
func refreshesCookie(r *http.Request) bool {
	p := r.URL.Path
	return r.Method == http.MethodGet && !strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/auth/") && p != "/favicon.ico"
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, s.cookie(r, "", -1))
}

func (s *Server) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	c := &http.Cookie{Name: sessionCookie, Value: value, Path: "/", HttpOnly: true, MaxAge: maxAge}
	c.Secure = strings.HasPrefix(s.siteURL(r), "https://") || r.TLS != nil
	switch s.app.Settings().String(r.Context(), sightline.SettingSessionSameSite) {
	case "strict":
		c.SameSite = http.SameSiteStrictMode
	case "none":
		c.SameSite = http.SameSiteNoneMode
		c.Secure = true
		c.Partitioned = true
	default:
		c.SameSite = http.SameSiteLaxMode
	}
	return c
}

// siteURL is the configured public URL, or the one this request came to.
func (s *Server) siteURL(r *http.Request) string {
	if v := s.app.Settings().String(r.Context(), sightline.SettingSiteURL); v != "" {
		return strings.TrimRight(v, "/")
	}
	if s.cfg.SiteURL != "" {
		return s.cfg.SiteURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// frameAncestors is the CSP frame-ancestors source list for this request.
func (s *Server) frameAncestors(r *http.Request) string {
	return s.frameSources(r)
}
