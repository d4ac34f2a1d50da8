package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"sightline"
	"sightline/internal/app"
)

// viewAsCookie holds an administrator's preview of the app as another user:
// the user's id and a tag that binds it to the administrator's session.
const viewAsCookie = "sightline.VIEW_AS"

// stopViewAsPath ends a preview; it stays open while the preview is on.
const stopViewAsPath = "/admin/view-as/stop"

// viewerFrom returns the administrator who previews the app as the
// request's user, or nil outside a preview.
func viewerFrom(ctx context.Context) *sightline.User {
	u, _ := ctx.Value(keyViewer).(*sightline.User)
	return u
}

// viewingAs returns the user an administrator previews the app as, or nil
// outside a preview.
func viewingAs(ctx context.Context) *sightline.User {
	if viewerFrom(ctx) == nil {
		return nil
	}
	return userFrom(ctx)
}

// viewAsTag authenticates a preview cookie with the session token as the
// key: a cookie is honoured only in the session that started the preview,
// cannot be made without that session's token, and dies with the session.
func viewAsTag(sessionToken string, userID int64) string {
	m := hmac.New(sha256.New, []byte(sessionToken))
	m.Write([]byte("sightline view-as " + strconv.FormatInt(userID, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// viewAsValue is the preview cookie's value for userID in a session.
func viewAsValue(sessionToken string, userID int64) string {
	return strconv.FormatInt(userID, 10) + "." + viewAsTag(sessionToken, userID)
}

// parseViewAs returns the user id of a preview cookie value made in the
// session of sessionToken; ok is false for anything else.
func parseViewAs(sessionToken, v string) (userID int64, ok bool) {
	idText, tag, found := strings.Cut(v, ".")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !found || err != nil || id <= 0 || sessionToken == "" {
		return 0, false
	}
	if !hmac.Equal([]byte(tag), []byte(viewAsTag(sessionToken, id))) {
		return 0, false
	}
	return id, true
}

// previewWrites lists the routes that a preview leaves open although their
// method changes state: the data routes, which run queries by POST, ending
// the preview and signing out.
func previewWrites(routes []route) map[string]bool {
	open := map[string]bool{
		"POST " + stopViewAsPath: true,
		"POST /auth/logout":      true,
		"DELETE /api/session":    true,
	}
	for _, rt := range routes {
		if rt.data {
			open[rt.pattern] = true
		}
	}
	return open
}

// previewAllows reports whether a preview lets a request through: reading
// is always allowed, changing state only on the routes in writes.
func previewAllows(method, pattern string, writes map[string]bool) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	return writes[pattern]
}

// viewAs applies a preview to a signed-in request: when the preview cookie
// belongs to this session and the signed-in user is still an administrator,
// the request continues as the previewed user (every permission and sandbox
// is then that user's, through the same code), with the administrator kept
// for the banner. Changes are refused while previewing. A preview that is no
// longer allowed ends quietly and the request continues as the signed-in
// user.
func (s *Server) viewAs(w http.ResponseWriter, r *http.Request, writes map[string]bool) (*http.Request, error) {
	c, err := r.Cookie(viewAsCookie)
	if err != nil || c.Value == "" {
		return r, nil
	}
	ctx := r.Context()
	token, _ := ctx.Value(keyToken).(string)
	id, ok := parseViewAs(token, c.Value)
	if !ok {
		s.clearViewAsCookie(w, r)
		return r, nil
	}
	admin := userFrom(ctx)
	target, err := s.app.ViewAs(ctx, admin, id)
	if err != nil {
		if sightline.ErrorCode(err) == sightline.EINTERNAL {
			return r, err
		}
		s.clearViewAsCookie(w, r)
		return r, nil
	}
	ctx = context.WithValue(ctx, keyUser, target)
	ctx = context.WithValue(ctx, keyViewer, admin)
	ctx = app.AsPreview(ctx)
	r = r.WithContext(ctx)
	if _, pattern := s.mux.Handler(r); !previewAllows(r.Method, pattern, writes) {
		name := s.app.Settings().String(ctx, sightline.SettingApplicationName)
		return r, sightline.Errorf(sightline.EFORBIDDEN, "You are viewing %s as %s: changes are turned off. Stop viewing as %s to make changes.",
			name, target.CommonName(), target.CommonName())
	}
	return r, nil
}

// setViewAsCookie and clearViewAsCookie send the preview cookie with the
// session cookie's attributes; it lasts as long as the browser session.
func (s *Server) setViewAsCookie(w http.ResponseWriter, r *http.Request, value string) {
	c := s.cookie(r, value, 0)
	c.Name = viewAsCookie
	http.SetCookie(w, c)
}

func (s *Server) clearViewAsCookie(w http.ResponseWriter, r *http.Request) {
	c := s.cookie(r, "", -1)
	c.Name = viewAsCookie
	http.SetCookie(w, c)
}

// startViewAs serves POST /admin/people/{id}/view-as: an administrator
// starts previewing the app as that user, read-only, from the home page.
func (s *Server) startViewAs(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	if _, err := s.app.StartViewAs(ctx, userFrom(ctx), id); err != nil {
		return err
	}
	token, _ := ctx.Value(keyToken).(string)
	s.setViewAsCookie(w, r, viewAsValue(token, id))
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// stopViewAs serves POST /admin/view-as/stop: the preview ends and the
// administrator goes back to Admin > People.
func (s *Server) stopViewAs(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	s.clearViewAsCookie(w, r)
	admin := viewerFrom(ctx)
	if admin == nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	target := userFrom(ctx)
	if err := s.app.StopViewAs(ctx, admin, target); err != nil {
		return err
	}
	seeOther(w, r, "/admin/people", "You stopped viewing as "+target.CommonName()+".")
	return nil
}
