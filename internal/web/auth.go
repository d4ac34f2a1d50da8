package web

import (
	"net/http"
	"strings"

	"sightline"
	"sightline/internal/app"
)

// health serves GET /api/health: 200 once migrations ran and while the app
// database answers, 503 with a JSON status and message otherwise.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		s.writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "starting"})
		return
	}
	if err := s.app.CheckHealth(r.Context()); err != nil {
		s.writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "message": sightline.ErrorMessage(err)})
		return
	}
	s.writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// setupPage serves GET /setup: the first-run form, only while no user exists.
func (s *Server) setupPage(w http.ResponseWriter, r *http.Request) error {
	need, err := s.app.NeedsSetup(r.Context())
	if err != nil {
		return err
	}
	if !need {
		http.Redirect(w, r, "/auth/login", http.StatusFound)
		return nil
	}
	s.render(w, r, http.StatusOK, "setup", pageData{Title: "Welcome", Shell: shell{Bare: true}, Data: app.SetupInput{SiteName: "Sightline"}})
	return nil
}

// setupSubmit serves POST /setup.
func (s *Server) setupSubmit(w http.ResponseWriter, r *http.Request) error {
	in := app.SetupInput{
		FirstName: r.PostFormValue("first_name"), LastName: r.PostFormValue("last_name"),
		Email: r.PostFormValue("email"), Password: r.PostFormValue("password"), SiteName: r.PostFormValue("site_name"),
	}
	if r.PostFormValue("password") != r.PostFormValue("password_confirm") {
		s.render(w, r, http.StatusBadRequest, "setup", pageData{Title: "Welcome", Shell: shell{Bare: true}, Error: "The passwords do not match.", Data: in})
		return nil
	}
	token, _, err := s.app.Setup(r.Context(), in)
	if err != nil {
		if code := sightline.ErrorCode(err); code == sightline.EINVALID || code == sightline.ECONFLICT {
			in.Password = ""
			s.render(w, r, statusOf(code), "setup", pageData{Title: "Welcome", Shell: shell{Bare: true}, Error: sightline.ErrorMessage(err), Data: in})
			return nil
		}
		return err
	}
	s.setSessionCookie(w, r, token)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// apiSetup serves POST /api/setup with {"user": {...}, "prefs": {"site_name"}}
// or a flat SetupInput.
func (s *Server) apiSetup(w http.ResponseWriter, r *http.Request) error {
	var in app.SetupInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	token, u, err := s.app.Setup(r.Context(), in)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, token)
	s.writeJSON(w, http.StatusOK, map[string]any{"id": token, "user": userJSON(u)})
	return nil
}

// loginPage serves GET /auth/login.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if need, err := s.app.NeedsSetup(r.Context()); err != nil {
		return err
	} else if need {
		http.Redirect(w, r, "/setup", http.StatusFound)
		return nil
	}
	if userFrom(r.Context()) != nil {
		http.Redirect(w, r, safeLocalPath(r.URL.Query().Get("redirect")), http.StatusFound)
		return nil
	}
	s.render(w, r, http.StatusOK, "login", pageData{Title: "Sign in", Shell: shell{Bare: true}, Data: s.loginData(r, "")})
	return nil
}

type loginData struct {
	Email    string
	Redirect string
	SSO      bool
}

func (s *Server) loginData(r *http.Request, email string) loginData {
	ctx := r.Context()
	sso := s.app.Settings().Bool(ctx, sightline.SettingJWTEnabled) &&
		s.app.Settings().String(ctx, sightline.SettingJWTSharedSecret) != "" &&
		s.app.Settings().String(ctx, sightline.SettingJWTIdentityProvider) != ""
	return loginData{Email: email, Redirect: safeLocalPath(r.FormValue("redirect")), SSO: sso}
}

// loginSubmit serves POST /auth/login.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	email := r.PostFormValue("email")
	token, _, err := s.app.SignIn(r.Context(), email, r.PostFormValue("password"), clientAddr(r))
	if err != nil {
		code := sightline.ErrorCode(err)
		if code == sightline.EINTERNAL {
			return err
		}
		s.render(w, r, statusOf(code), "login", pageData{Title: "Sign in", Shell: shell{Bare: true},
			Error: sightline.ErrorMessage(err), Data: s.loginData(r, email)})
		return nil
	}
	s.setSessionCookie(w, r, token)
	http.Redirect(w, r, safeLocalPath(r.PostFormValue("redirect")), http.StatusSeeOther)
	return nil
}

// logout serves GET and POST /auth/logout: it ends the session (loading it in
// a hidden iframe works too) and goes to the sign-in page.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if tok, _ := r.Context().Value(keyToken).(string); tok != "" {
		if err := s.app.SignOut(r.Context(), tok); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/auth/login", http.StatusSeeOther)
	return nil
}

// signInBody is the body of POST /api/session; username is the vendor's name for email.
type signInBody struct {
	Email    string `json:"email"`
	Username string `json:"username"`
	Password string `json:"password"`
}

// apiSignIn serves POST /api/session with {"email" or "username", "password"}.
func (s *Server) apiSignIn(w http.ResponseWriter, r *http.Request) error {
	var in signInBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Email == "" {
		in.Email = in.Username
	}
	token, _, err := s.app.SignIn(r.Context(), in.Email, in.Password, clientAddr(r))
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, token)
	s.writeJSON(w, http.StatusOK, map[string]string{"id": token})
	return nil
}

// apiSignOut serves DELETE /api/session.
func (s *Server) apiSignOut(w http.ResponseWriter, r *http.Request) error {
	if tok, _ := r.Context().Value(keyToken).(string); tok != "" {
		if err := s.app.SignOut(r.Context(), tok); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// safeLocalPath keeps only same-site relative paths for redirects after
// sign-in; anything else goes home.
func safeLocalPath(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, `/\`) ||
		strings.ContainsAny(p, "\r\n\t") {
		return "/"
	}
	return p
}

// clientAddr is the client's address for throttling: the connection's
// remote host (a proxy's X-Forwarded-For is not trusted by default).
func clientAddr(r *http.Request) string {
	h := r.RemoteAddr
	if i := strings.LastIndexByte(h, ':'); i > 0 {
		h = h[:i]
	}
	return h
}

// requireUser returns the signed-in user or an EUNAUTHORIZED error.
func requireUser(r *http.Request) (*sightline.User, error) {
	u := userFrom(r.Context())
	if u == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	return u, nil
}

// userAndID returns the signed-in user (an administrator when admin is
// set) and the request's {id} path value, or an error.
func userAndID(r *http.Request, admin bool) (*sightline.User, int64, error) {
	need := requireUser
	if admin {
		need = requireAdminUser
	}
	u, err := need(r)
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, 0, err
	}
	return u, id, nil
}

// requireAdminUser returns the signed-in administrator, or an error.
func requireAdminUser(r *http.Request) (*sightline.User, error) {
	u, err := requireUser(r)
	if err != nil {
		return nil, err
	}
	if !u.IsAdmin {
		return nil, sightline.Errorf(sightline.EFORBIDDEN, "Only administrators can do that.")
	}
	return u, nil
}
