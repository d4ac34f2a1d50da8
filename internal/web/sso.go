package web

import (
	"net/http"
	"net/url"

	"sightline"
	"sightline/internal/auth"
)

// maxSSOForm bounds the body of POST /auth/sso; a real token is well under
// 16 KB, which auth.VerifyJWT enforces on its own.
const maxSSOForm = 64 << 10

// ssoGet serves GET /auth/sso. Without a jwt parameter it sends the person
// to the identity provider (the host app's SSO route), passing the page they
// wanted (redirect) on as return_to; with one it signs them in and redirects
// to return_to.
func (s *Server) ssoGet(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if tok := q.Get("jwt"); tok != "" {
		s.ssoSignIn(w, r, tok, q.Get("return_to"), http.StatusFound)
		return nil
	}
	ctx := r.Context()
	if !s.app.SSOEnabled(ctx) {
		s.ssoError(w, r, sightline.Errorf(sightline.EINVALID, "SSO has not been enabled and/or configured"))
		return nil
	}
	idp := s.app.SSOIdentityProvider(ctx)
	if idp == "" {
		s.ssoError(w, r, sightline.Errorf(sightline.EINVALID,
			"SSO has not been enabled and/or configured: no identity provider URI is set, so there is nowhere to sign in."))
		return nil
	}
	redirect := q.Get("redirect")
	if redirect == "" {
		redirect = q.Get("return_to")
	}
	// Only a place Sightline would accept back is passed on.
	if _, err := auth.SafeReturnTo(redirect, s.siteURL(r)); err != nil {
		redirect = ""
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, auth.IdentityProviderURL(idp, redirect), http.StatusFound)
	return nil
}

// ssoPost serves POST /auth/sso with the form fields jwt and return_to, for
// hosts whose tokens are too long for a URL.
func (s *Server) ssoPost(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxSSOForm)
	if err := r.ParseForm(); err != nil {
		s.ssoError(w, r, sightline.Errorf(sightline.EINVALID, "The sign-in form could not be read."))
		return nil
	}
	s.ssoSignIn(w, r, r.PostForm.Get("jwt"), r.PostForm.Get("return_to"), http.StatusSeeOther)
	return nil
}

// ssoSignIn signs in with a token, replaces any previous session of this
// browser and redirects with status.
func (s *Server) ssoSignIn(w http.ResponseWriter, r *http.Request, token, returnTo string, status int) {
	session, next, err := s.app.SignInSSO(r.Context(), token, returnTo)
	if err != nil {
		s.ssoError(w, r, err)
		return
	}
	if old, _ := r.Context().Value(keyToken).(string); old != "" {
		if err := s.app.SignOut(r.Context(), old); err != nil {
			s.log.Warn("end the previous session at SSO sign-in", "err", err)
		}
	}
	s.setSessionCookie(w, r, session)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, next, status)
}

// ssoError answers a failed SSO request: JSON for API clients, otherwise a
// page that says what went wrong (never the sign-in page, which would hide
// the reason from the host's developer). Refusals are logged at info level
// because they are how a host developer debugs their token.
func (s *Server) ssoError(w http.ResponseWriter, r *http.Request, err error) {
	code := sightline.ErrorCode(err)
	status := statusOf(code)
	msg := sightline.ErrorMessage(err)
	if code == sightline.EINTERNAL {
		s.log.Error("SSO sign-in", "err", err)
	} else {
		s.log.Info("SSO sign-in refused", "status", status, "reason", msg)
	}
	if wantsJSON(r) {
		s.writeJSON(w, status, apiError{Status: status, Code: code, Message: msg})
		return
	}
	s.render(w, r, status, "sso_error", pageData{Title: "Single sign-on failed", Shell: shell{Bare: true},
		Data: map[string]any{"Status": status, "Message": msg}})
}

// signInURL is where an unauthenticated page request is sent: to /auth/sso
// with the page as redirect when JWT sign-in is enabled and has an identity
// provider (so the host app signs the person in and they come back to the
// same page, even inside an iframe), otherwise to the sign-in page.
func (s *Server) signInURL(r *http.Request) string {
	if s.app.SSOIdentityProvider(r.Context()) != "" {
		return "/auth/sso?redirect=" + url.QueryEscape(r.URL.RequestURI())
	}
	return loginURL(r)
}
