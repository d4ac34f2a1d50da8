package web

import (
	"net/http"
	"net/url"
	"strings"

	"sightline"
	"sightline/internal/app"
	"sightline/internal/embed"
)

// isAdminPath reports whether p is an admin page, which is never framed.
func isAdminPath(p string) bool {
	return p == "/admin" || strings.HasPrefix(p, "/admin/")
}

// frameSources is the CSP frame-ancestors source list for r: the authorized
// origins when interactive embedding is on and origins are set, otherwise
// 'none'; admin pages are always 'none'. Static embed and public-link pages
// follow embedding-static-origins instead, and previews only 'self'. An invalid entry (possible only
// through the environment, since the admin form refuses them) is skipped
// with a warning rather than opening or closing the whole list.
func (s *Server) frameSources(r *http.Request) string {
	if isAdminPath(r.URL.Path) {
		return "'none'"
	}
	ctx := r.Context()
	switch staticPageKind(r.URL.Path) {
	case staticPagePreview:
		// A preview runs with an administrator's session: only
		// Sightline's own pages (the Embed panel) may frame it.
		return "'self'"
	case staticPageEmbed, staticPagePublic:
		origins, bad := parseOriginList(s.app.Settings().String(ctx, sightline.SettingEmbeddingStaticOrigins))
		for _, msg := range bad {
			s.log.Warn("static embedding origins", "err", msg)
		}
		return embed.FrameAncestors(origins)
	}
	if !s.app.Settings().Bool(ctx, sightline.SettingEmbeddingEnabled) {
		return "'none'"
	}
	origins, bad := parseOriginList(s.app.Settings().String(ctx, sightline.SettingEmbeddingOrigins))
	for _, msg := range bad {
		s.log.Warn("authorized origins", "err", msg)
	}
	return embed.FrameAncestors(origins)
}

// parseOriginList parses each space-separated entry on its own, so that the
// admin form can name every bad entry and not only the first.
func parseOriginList(s string) ([]embed.Origin, []string) {
	var origins []embed.Origin
	var bad []string
	for _, entry := range strings.Fields(s) {
		o, err := embed.ParseOrigins(entry)
		if err != nil {
			bad = append(bad, sightline.ErrorMessage(err))
			continue
		}
		origins = append(origins, o...)
	}
	return origins, bad
}

// isPagePath reports whether p serves pages that may carry UI-hiding
// parameters (not the API, assets or the sign-in routes).
func isPagePath(p string) bool {
	for _, prefix := range []string{"/api/", "/static/", "/auth/"} {
		if strings.HasPrefix(p, prefix) {
			return false
		}
	}
	return true
}

// keepEmbedOptions reads the UI-hiding parameters from a page request of an
// embedded session (or of any session, when the browser says the page loads
// in an iframe) and keeps them in the session, so that they hold while the
// person follows links inside the frame. Parameters replace the kept ones
// only when the request carries at least one of them; the query is read as
// a whole, so "?a=1?logo=false" works.
func (s *Server) keepEmbedOptions(r *http.Request, sess *sightline.Session) {
	if sess == nil || r.Method != http.MethodGet || r.URL.RawQuery == "" || r.Header.Get("HX-Request") == "true" ||
		!isPagePath(r.URL.Path) {
		return
	}
	if _, embedded := app.DecodeEmbed(sess.Embed); !embedded && r.Header.Get("Sec-Fetch-Dest") != "iframe" {
		return
	}
	o, present := embed.ParseOptions(r.URL.RawQuery)
	if !present {
		return
	}
	if err := s.app.SetSessionEmbed(r.Context(), sess, app.EncodeEmbed(o)); err != nil {
		s.log.Warn("keep embedding options", "err", err)
	}
}

// embedShell applies the embedded session's UI options to a page's shell.
// A top-level page load (Sec-Fetch-Dest: document) shows the whole app even
// in a session that started in an iframe, for instance after "Sign in with
// SSO" on the sign-in page.
func (s *Server) embedShell(r *http.Request, sh shell) shell {
	if sh.Bare {
		return sh
	}
	sess := sessionFrom(r.Context())
	if sess == nil || r.Header.Get("Sec-Fetch-Dest") == "document" {
		return sh
	}
	o, embedded := app.DecodeEmbed(sess.Embed)
	if !embedded {
		return sh
	}
	return applyEmbed(sh, o)
}

// applyEmbed hides the parts of a shell that the options turn off. A part
// the page itself does not show stays hidden; side_nav=true and false
// override the page's own choice, and false also removes the toggle.
func applyEmbed(sh shell, o embed.Options) shell {
	sh.Embedded = true
	sh.TopNav = sh.TopNav && o.ShowTopBar()
	sh.Logo = sh.Logo && o.Logo
	sh.Search = sh.Search && o.Search
	sh.NewButton = sh.NewButton && o.NewButton
	sh.Breadcrumbs = sh.Breadcrumbs && o.Breadcrumbs
	sh.Header = sh.Header && o.Header
	sh.AdditionalInfo = sh.AdditionalInfo && o.AdditionalInfo
	sh.ActionButtons = sh.ActionButtons && o.ActionButtons
	switch o.SideNav {
	case embed.SideNavShow:
		sh.SideNav = true
	case embed.SideNavHide:
		sh.SideNav, sh.NoSideNav = false, true
	}
	return sh
}

// embeddingData is what the Embedding settings page shows.
type embeddingData struct {
	Enabled, Origins, SameSite adminField
	// OriginsValue is the text in the origins box (as typed after an error).
	OriginsValue string
	// Problems lists every invalid origin entry.
	Problems []string
	// Warning is shown when SameSite=None is chosen without an https site URL.
	Warning string
	SiteURL string
	// SiteOrigin is scheme://host[:port] of the site, for the snippet.
	SiteOrigin string
}

// adminField is a setting as an admin form shows it.
type adminField struct{ app.Setting }

// EnvName is the environment variable that can set the field.
func (f adminField) EnvName() string { return sightline.EnvName(f.Key) }

func (s *Server) embeddingData(r *http.Request) (*embeddingData, error) {
	all, err := s.app.AdminSettings(r.Context(), userFrom(r.Context()))
	if err != nil {
		return nil, err
	}
	d := &embeddingData{SiteURL: s.siteURL(r)}
	if u, err := url.Parse(d.SiteURL); err == nil {
		d.SiteOrigin = u.Scheme + "://" + u.Host
	}
	for _, st := range all {
		switch st.Key {
		case sightline.SettingEmbeddingEnabled:
			d.Enabled = adminField{st}
		case sightline.SettingEmbeddingOrigins:
			d.Origins = adminField{st}
		case sightline.SettingSessionSameSite:
			d.SameSite = adminField{st}
		}
	}
	d.OriginsValue = d.Origins.Value
	d.Warning = sameSiteWarning(d.SameSite.Value, d.SiteURL)
	return d, nil
}

// sameSiteWarning explains why SameSite=None needs an https site.
func sameSiteWarning(sameSite, siteURL string) string {
	if sameSite != "none" || strings.HasPrefix(strings.ToLower(siteURL), "https://") {
		return ""
	}
	return "SameSite=None cookies must be Secure, and browsers keep Secure cookies only over https (except on localhost). " +
		"Your site URL " + siteURL + " is not https, so embedded sign-ins will not stay signed in for most visitors. Serve Sightline over https and set the site URL accordingly."
}

// adminEmbeddingPage serves GET /admin/settings/embedding.
func (s *Server) adminEmbeddingPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.embeddingData(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_embedding", pageData{Title: "Embedding", Shell: defaultShell("admin"),
		Flash: r.URL.Query().Get("flash"), Data: d})
	return nil
}

// adminEmbeddingSubmit serves POST /admin/settings/embedding: interactive
// embedding on or off, the authorized origins (each entry checked, every bad
// one named) and the SameSite mode of the session cookie.
func (s *Server) adminEmbeddingSubmit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.embeddingData(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return sightline.Errorf(sightline.EINVALID, "The form could not be read.")
	}
	kv := map[string]string{}
	if !d.Enabled.FromEnv {
		kv[sightline.SettingEmbeddingEnabled] = boolField(r, sightline.SettingEmbeddingEnabled)
	}
	if !d.Origins.FromEnv {
		d.OriginsValue = r.PostForm.Get(sightline.SettingEmbeddingOrigins)
		_, d.Problems = parseOriginList(d.OriginsValue)
		kv[sightline.SettingEmbeddingOrigins] = strings.Join(strings.Fields(d.OriginsValue), " ")
	}
	if v := r.PostForm.Get(sightline.SettingSessionSameSite); v != "" && !d.SameSite.FromEnv {
		kv[sightline.SettingSessionSameSite] = v
	}
	if len(d.Problems) == 0 {
		err = s.app.UpdateSettings(r.Context(), userFrom(r.Context()), kv)
		if err == nil {
			http.Redirect(w, r, "/admin/settings/embedding?flash=Saved.", http.StatusSeeOther)
			return nil
		}
		if sightline.ErrorCode(err) != sightline.EINVALID {
			return err
		}
		d.Problems = []string{sightline.ErrorMessage(err)}
	}
	s.render(w, r, http.StatusBadRequest, "admin_embedding", pageData{Title: "Embedding", Shell: defaultShell("admin"),
		Error: "Nothing was saved: please fix the problems below.", Data: d})
	return nil
}

// boolField reads a checkbox: "true" when ticked, "false" otherwise.
func boolField(r *http.Request, key string) string {
	if r.PostForm.Get(key) == "true" {
		return "true"
	}
	return "false"
}
