package hostapp

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Session cookie of the host app, and how long a session lasts.
const (
	cookieName = "hostapp_session"
	sessionTTL = 12 * time.Hour
	// tokenTTL is the exp the walkthrough uses: 10 minutes.
	tokenTTL = 10 * time.Minute
)

// session is one browser's state: who signed in, and the page they asked
// for before signing in.
type session struct {
	user     *User
	returnTo string
	expires  time.Time
}

type server struct {
	cfg   Config
	pages *template.Template

	mu       sync.Mutex
	sessions map[string]*session
}

// New returns the host app's handler. Routes:
//
//	GET  /                home page
//	GET  /login           sign-in form
//	POST /login           sign in, then back to the page that asked
//	GET  /logout          sign out of the host app and of Sightline
//	GET  /analytics       the embedded Sightline (signed-in users)
//	GET  /analytics/static a dashboard embedded statically, locked to the person's account
//	GET  /sso/sightline   sign a JWT and send the browser to Sightline's /auth/sso
//	GET  /static/         resize.js and style.css
func New(cfg Config) (http.Handler, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	pages, err := template.ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	s := &server{cfg: cfg, pages: pages, sessions: map[string]*session{}}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("GET /logout", s.logout)
	mux.HandleFunc("POST /logout", s.logout)
	mux.Handle("GET /analytics", s.restrict(http.HandlerFunc(s.analytics)))
	mux.Handle("GET /analytics/static", s.restrict(http.HandlerFunc(s.staticAnalytics)))
	mux.Handle("GET /sso/sightline", s.restrict(http.HandlerFunc(s.ssoSightline)))
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	return http.NewCrossOriginProtection().Handler(s.headers(mux)), nil
}

// headers sets the host app's own security headers. The CSP allows scripts
// only from the app's origin; the iframe may show the app itself (it starts
// at /sso/sightline, and shows /login when the session has ended) and
// Sightline; the app's pages may be framed only by the app; forms may
// post to the app, whose sign-in can redirect on to Sightline (browsers
// check form-action on redirects too).
func (s *server) headers(next http.Handler) http.Handler {
	sl := s.cfg.sightlineOrigin()
	csp := "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"frame-src 'self' " + sl + "; frame-ancestors 'self'; form-action 'self' " + sl + "; base-uri 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// restrict lets signed-in people through; others are sent to the sign-in
// page after the requested URL is remembered, as in the walkthrough.
func (s *server) restrict(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, sess := s.session(r)
		if sess != nil && sess.user != nil {
			next.ServeHTTP(w, r)
			return
		}
		if sess == nil {
			sess = s.newSession(w, r, nil)
		}
		s.mu.Lock()
		sess.returnTo = r.URL.RequestURI()
		s.mu.Unlock()
		http.Redirect(w, r, "/login", http.StatusFound)
	})
}

func (s *server) home(w http.ResponseWriter, r *http.Request) {
	_, sess := s.session(r)
	s.render(w, "home.html", map[string]any{"User": sessUser(sess)})
}

func (s *server) loginForm(w http.ResponseWriter, r *http.Request) {
	_, sess := s.session(r)
	data := map[string]any{
		"Users":    s.cfg.Users,
		"Password": DemoPassword,
		"Error":    r.URL.Query().Get("error") != "",
	}
	if sess != nil {
		s.mu.Lock()
		data["Denied"] = sess.returnTo != ""
		s.mu.Unlock()
	}
	s.render(w, "login.html", data)
}

// login checks the form and starts a fresh session (a new id, so that a
// session id planted before sign-in is worthless), keeping the remembered URL.
func (s *server) login(w http.ResponseWriter, r *http.Request) {
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	password := r.PostFormValue("password")
	var user *User
	for i := range s.cfg.Users {
		u := &s.cfg.Users[i]
		if strings.EqualFold(u.Email, email) && subtle.ConstantTimeCompare([]byte(u.Password), []byte(password)) == 1 {
			user = u
		}
	}
	if user == nil {
		http.Redirect(w, r, "/login?error=1", http.StatusSeeOther)
		return
	}
	oldID, old := s.session(r)
	returnTo := "/"
	if old != nil {
		s.mu.Lock()
		if localPath(old.returnTo) {
			returnTo = old.returnTo
		}
		delete(s.sessions, oldID)
		s.mu.Unlock()
	}
	s.newSession(w, r, user)
	http.Redirect(w, r, returnTo, http.StatusSeeOther)
}

// logout ends the host session and loads Sightline's /auth/logout in a
// hidden iframe so the embedded session ends too.
func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	if id, sess := s.session(r); sess != nil {
		s.mu.Lock()
		delete(s.sessions, id)
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	s.render(w, "logout.html", map[string]any{
		"SightlineLogout": strings.TrimRight(s.cfg.SiteURL, "/") + "/auth/logout",
	})
}

// analytics shows the embedded Sightline. The iframe starts at the app's own
// /sso/sightline, which signs the person in to Sightline and lands on the
// dashboard; ?hide_ui= is passed on.
func (s *server) analytics(w http.ResponseWriter, r *http.Request) {
	q := url.Values{"return_to": {s.cfg.DashboardPath}}
	if v := r.URL.Query().Get("hide_ui"); v != "" {
		q.Set("hide_ui", v)
	}
	_, sess := s.session(r)
	s.render(w, "analytics.html", map[string]any{
		"User":            sessUser(sess),
		"IframeSrc":       "/sso/sightline?" + q.Encode(),
		"SightlineOrigin": s.cfg.sightlineOrigin(),
	})
}

// staticAnalytics embeds the configured dashboard statically: it signs a
// token with the embedding secret key naming the dashboard and locking
// account_id to the signed-in person's account, valid 10 minutes, and
// frames Sightline's /embed/dashboard/TOKEN. No Sightline session or
// cookie is involved.
func (s *server) staticAnalytics(w http.ResponseWriter, r *http.Request) {
	if s.cfg.EmbeddingSecret == "" {
		http.Error(w, "Static embedding is not configured: set SIGHTLINE_EMBEDDING_SECRET_KEY to Sightline's embedding secret key.", http.StatusServiceUnavailable)
		return
	}
	_, sess := s.session(r)
	user := sessUser(sess)
	token, err := SignStaticToken(s.cfg.StaticDashboardID, user.AccountID, s.cfg.EmbeddingSecret, s.cfg.Now())
	if err != nil {
		log.Printf("hostapp: sign static token: %v", err)
		http.Error(w, "could not sign the token", http.StatusInternalServerError)
		return
	}
	s.render(w, "analytics_static.html", map[string]any{
		"User":            user,
		"IframeSrc":       strings.TrimRight(s.cfg.SiteURL, "/") + "/embed/dashboard/" + token + "#bordered=false&titled=true",
		"SightlineOrigin": s.cfg.sightlineOrigin(),
	})
}

// SignStaticToken returns the static embedding token of the reference
// vendor's shape for a dashboard with account_id locked to accountID:
// {resource: {dashboard: id}, params: {account_id: n}, exp: now + 10 min},
// HS256 with the UTF-8 bytes of secret.
func SignStaticToken(dashboardID, accountID int, secret string, now time.Time) (string, error) {
	claims := jwt.MapClaims{
		"resource": map[string]any{"dashboard": dashboardID},
		"params":   map[string]any{"account_id": accountID},
		"exp":      now.Add(tokenTTL).Unix(),
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
}

// ssoSightline signs a JWT for the signed-in person and redirects to
// SITE_URL/auth/sso?jwt=...&return_to=..., as the walkthrough's
// /sso/metabase route does. Sightline also sends people here (its JWT
// identity provider URI) when its own session has ended.
func (s *server) ssoSightline(w http.ResponseWriter, r *http.Request) {
	_, sess := s.session(r)
	user := sessUser(sess)
	returnTo := r.URL.Query().Get("return_to")
	if returnTo == "" {
		returnTo = "/"
	}
	hide := s.cfg.HideUI
	if v := r.URL.Query().Get("hide_ui"); v != "" {
		if b, err := strconv.ParseBool(v); err == nil {
			hide = b
		}
	}
	if hide {
		sep := "?"
		if strings.Contains(returnTo, "?") {
			sep = "&"
		}
		returnTo += sep + "logo=false&top_nav=false"
	}
	token, err := SignToken(*user, s.cfg.Secret, s.cfg.Now())
	if err != nil {
		log.Printf("hostapp: sign token: %v", err)
		http.Error(w, "could not sign the token", http.StatusInternalServerError)
		return
	}
	target := strings.TrimRight(s.cfg.SiteURL, "/") + "/auth/sso?" +
		url.Values{"jwt": {token}, "return_to": {returnTo}}.Encode()
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusFound)
}

// SignToken returns the HS256 JWT for u: email, first_name, last_name,
// groups, account_id and an exp 10 minutes after now, signed with the UTF-8
// bytes of secret.
func SignToken(u User, secret string, now time.Time) (string, error) {
	claims := jwt.MapClaims{
		"email":      u.Email,
		"first_name": u.FirstName,
		"last_name":  u.LastName,
		"groups":     u.Groups,
		"account_id": u.AccountID,
		"exp":        now.Add(tokenTTL).Unix(),
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
}

func (s *server) render(w http.ResponseWriter, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, name, data); err != nil {
		log.Printf("hostapp: render %s: %v", name, err)
		http.Error(w, "could not render the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if _, err := buf.WriteTo(w); err != nil {
		log.Printf("hostapp: write %s: %v", name, err)
	}
}

// session returns the live session of the request's cookie, if any.
func (s *server) session(r *http.Request) (string, *session) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return "", nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.sessions[c.Value]
	if sess == nil {
		return "", nil
	}
	if s.cfg.Now().After(sess.expires) {
		delete(s.sessions, c.Value)
		return "", nil
	}
	return c.Value, sess
}

// newSession starts a session for user (nil before sign-in) and sets its
// cookie, dropping expired sessions on the way.
func (s *server) newSession(w http.ResponseWriter, r *http.Request, user *User) *session {
	id := rand.Text()
	now := s.cfg.Now()
	sess := &session{user: user, expires: now.Add(sessionTTL)}
	s.mu.Lock()
	for k, v := range s.sessions {
		if now.After(v.expires) {
			delete(s.sessions, k)
		}
	}
	s.sessions[id] = sess
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: id, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode, MaxAge: int(sessionTTL.Seconds()),
	})
	return sess
}

func sessUser(sess *session) *User {
	if sess == nil {
		return nil
	}
	return sess.user
}

// localPath accepts only paths on this app, so the remembered URL cannot
// send a person elsewhere.
func localPath(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.HasPrefix(p, `/\`)
}
