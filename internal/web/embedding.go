package web

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"

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

// embeddingData is what the Embedding settings page shows. The fields hold
// what the administrator typed when the page comes back from a post, so
// that one action (a failed save, a new key, an unpublished item) never
// loses the rest of the form.
type embeddingData struct {
	Enabled, Origins, SameSite adminField
	// Static, Key and PublicSharing are the static embedding and public
	// link settings; Key.Value is never rendered.
	Static, Key, PublicSharing adminField
	// KeySet is true when an embedding secret key is set; KeyHint is its
	// masked form (its last four characters).
	KeySet  bool
	KeyHint string
	// OriginsValue is the text in the origins box (as typed after an error).
	OriginsValue string
	// Problems lists every invalid origin entry.
	Problems []string
	// Warning explains a SameSite choice that breaks embedded sign-in.
	Warning string
	SiteURL string
	// SiteOrigin is scheme://host[:port] of the site, for the snippet.
	SiteOrigin string
	// Items are the dashboards and questions published for static embedding.
	Items []app.EmbeddableItem
	// Links are the public links, while public sharing is on.
	Links []publicLinkRow
}

// publicLinkRow is one public link in the list on the Embedding page.
type publicLinkRow struct {
	Model, Name, UUID string
	ID                int64
}

// Page is the item's page in the app.
func (l publicLinkRow) Page() string {
	if l.Model == sightline.PublicDashboard {
		return "/dashboard/" + itoa64(l.ID)
	}
	return "/question/" + itoa64(l.ID)
}

// Public is the path of the public link.
func (l publicLinkRow) Public() string {
	if l.Model == sightline.PublicDashboard {
		return "/public/dashboard/" + l.UUID
	}
	return "/public/question/" + l.UUID
}

// adminField is a setting as an admin form shows it.
type adminField struct{ app.Setting }

// EnvName is the environment variable that can set the field.
func (f adminField) EnvName() string { return sightline.EnvName(f.Key) }

func (s *Server) embeddingData(r *http.Request) (*embeddingData, error) {
	ctx := r.Context()
	actor := userFrom(ctx)
	all, err := s.app.AdminSettings(ctx, actor)
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
		case sightline.SettingEmbeddingStatic:
			d.Static = adminField{st}
		case sightline.SettingPublicSharing:
			d.PublicSharing = adminField{st}
		case sightline.SettingEmbeddingSecretKey:
			d.KeySet = st.Value != ""
			if n := len(st.Value); n >= 4 {
				d.KeyHint = strings.Repeat("•", 12) + st.Value[n-4:]
			}
			st.Value = ""
			d.Key = adminField{st}
		}
	}
	d.OriginsValue = d.Origins.Value
	if d.Items, err = s.app.EmbeddableItems(ctx, actor); err != nil {
		return nil, err
	}
	if d.PublicSharing.Value == "true" {
		for _, model := range []string{sightline.PublicDashboard, sightline.PublicCard} {
			links, err := s.app.PublicLinks(ctx, actor, model)
			if err != nil {
				return nil, err
			}
			for _, l := range links {
				d.Links = append(d.Links, publicLinkRow{Model: model, ID: l.ID, Name: l.Name, UUID: l.PublicUUID})
			}
		}
	}
	return d, nil
}

// typed replaces the shown values by what the administrator posted (the
// settings the environment does not fix), when the post came from the
// settings form.
func (d *embeddingData) typed(r *http.Request) {
	if r.PostForm.Get("form") != "embedding" {
		return
	}
	for _, f := range []*adminField{&d.Enabled, &d.Static, &d.PublicSharing} {
		if !f.FromEnv {
			f.Value = boolField(r, f.Key)
		}
	}
	if !d.Origins.FromEnv {
		d.OriginsValue = r.PostForm.Get(sightline.SettingEmbeddingOrigins)
	}
	if v := r.PostForm.Get(sightline.SettingSessionSameSite); v != "" && !d.SameSite.FromEnv {
		d.SameSite.Value = v
	}
}

// warn sets the SameSite warning for the values shown.
func (d *embeddingData) warn() {
	origins, _ := parseOriginList(d.OriginsValue)
	d.Warning = sameSiteWarning(d.SameSite.Value, d.SiteURL, d.Enabled.Value == "true", origins)
}

// sameSiteWarning names what breaks embedded sign-in with the chosen
// SameSite mode: with Lax or Strict, browsers do not send the session
// cookie to a frame whose parent page is on another site, so people signed
// in by SSO inside the iframe are signed out again at once; with None, the
// cookie must be Secure, which needs an https site.
func sameSiteWarning(sameSite, siteURL string, enabled bool, origins []embed.Origin) string {
	if sameSite == "none" {
		if strings.HasPrefix(strings.ToLower(siteURL), "https://") {
			return ""
		}
		return "SameSite=None cookies must be Secure, and browsers keep Secure cookies only over https (except on localhost). " +
			"Your site URL " + siteURL + " is not https, so embedded sign-ins will not stay signed in for most visitors. Serve Sightline over https and set the site URL accordingly."
	}
	if !enabled {
		return ""
	}
	others := crossSiteOrigins(siteURL, origins)
	if len(others) == 0 {
		return ""
	}
	mode := "Lax"
	if sameSite == "strict" {
		mode = "Strict"
	}
	return "The session cookie is SameSite=" + mode + ": browsers do not send it to a frame whose page is on another site, so people signed in by SSO inside an iframe on " +
		strings.Join(others, ", ") + " are signed out again at once (the site here is " + siteURL + "). " +
		"Choose None (sent as Secure and Partitioned, over https), or serve this server on the same site as your application."
}

// crossSiteOrigins lists the authorized origins that are on another site
// than siteURL (scheme and registrable domain, as browsers compare sites
// for SameSite cookies).
func crossSiteOrigins(siteURL string, origins []embed.Origin) []string {
	u, err := url.Parse(siteURL)
	if err != nil {
		return nil
	}
	site := registrable(u.Hostname())
	var out []string
	for _, o := range origins {
		switch {
		case o.Any:
			out = append(out, "any site (*)")
		case o.Scheme != "" && o.Scheme != u.Scheme || registrable(strings.Trim(o.Host, "[]")) != site:
			name := o.Host
			if o.Subdomains {
				name = "*." + name
			}
			if o.Scheme != "" {
				name = o.Scheme + "://" + name
			}
			out = append(out, name)
		}
	}
	return out
}

// registrable is a host's registrable domain (example.co.uk for
// a.example.co.uk); an IP address or a bare name is its own site.
func registrable(host string) string {
	host = strings.ToLower(host)
	if net.ParseIP(host) != nil || !strings.Contains(host, ".") {
		return host
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

func (s *Server) renderEmbedding(w http.ResponseWriter, r *http.Request, status int, d *embeddingData, flash, errMsg string) {
	d.warn()
	s.render(w, r, status, "admin_embedding", pageData{Title: "Embedding", Shell: defaultShell("admin"),
		Flash: flash, Error: errMsg, Data: d})
}

// adminEmbeddingPage serves GET /admin/settings/embedding.
func (s *Server) adminEmbeddingPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.embeddingData(r)
	if err != nil {
		return err
	}
	s.renderEmbedding(w, r, http.StatusOK, d, flashFrom(r), "")
	return nil
}

// adminEmbeddingSubmit serves POST /admin/settings/embedding: interactive
// embedding on or off, the authorized origins (each entry checked, every bad
// one named), the SameSite mode of the session cookie, static embedding on
// or off and public sharing on or off. Nothing is saved unless all of it
// is valid, and a refused form comes back as typed.
func (s *Server) adminEmbeddingSubmit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.embeddingData(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return sightline.Errorf(sightline.EINVALID, "The form could not be read.")
	}
	kv := map[string]string{}
	for _, f := range []adminField{d.Enabled, d.Static, d.PublicSharing} {
		if !f.FromEnv {
			kv[f.Key] = boolField(r, f.Key)
		}
	}
	if !d.Origins.FromEnv {
		_, d.Problems = parseOriginList(r.PostForm.Get(sightline.SettingEmbeddingOrigins))
		kv[sightline.SettingEmbeddingOrigins] = strings.Join(strings.Fields(r.PostForm.Get(sightline.SettingEmbeddingOrigins)), " ")
	}
	if v := r.PostForm.Get(sightline.SettingSessionSameSite); v != "" && !d.SameSite.FromEnv {
		kv[sightline.SettingSessionSameSite] = v
	}
	if len(d.Problems) == 0 {
		err = s.app.UpdateSettings(r.Context(), userFrom(r.Context()), kv)
		if err == nil {
			seeOther(w, r, "/admin/settings/embedding", "Saved.")
			return nil
		}
		if sightline.ErrorCode(err) != sightline.EINVALID {
			return err
		}
		d.Problems = []string{sightline.ErrorMessage(err)}
	}
	d.typed(r)
	s.renderEmbedding(w, r, http.StatusBadRequest, d, "", "Nothing was saved: please fix the problems below.")
	return nil
}

// adminEmbeddingKey serves POST /admin/settings/embedding/key: Generate
// or Regenerate the embedding secret key. Tokens signed with the old key
// stop working at once. The rest of the form comes back as typed, unsaved.
func (s *Server) adminEmbeddingKey(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return sightline.Errorf(sightline.EINVALID, "The form could not be read.")
	}
	_, genErr := s.app.GenerateEmbeddingSecretKey(r.Context(), userFrom(r.Context()))
	if genErr != nil && sightline.ErrorCode(genErr) != sightline.EINVALID {
		return genErr
	}
	d, err := s.embeddingData(r)
	if err != nil {
		return err
	}
	d.typed(r)
	if genErr != nil {
		s.renderEmbedding(w, r, http.StatusBadRequest, d, "", sightline.ErrorMessage(genErr))
		return nil
	}
	s.renderEmbedding(w, r, http.StatusOK, d, "A new embedding secret key was generated: copy it into your application. Tokens signed with the previous key no longer work.", "")
	return nil
}

// adminEmbeddingKeyValue serves POST /admin/settings/embedding/key/value:
// the embedding secret key as plain text, for the page's Copy button. The
// key is never part of the page itself.
func (s *Server) adminEmbeddingKeyValue(w http.ResponseWriter, r *http.Request) error {
	all, err := s.app.AdminSettings(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	for _, st := range all {
		if st.Key == sightline.SettingEmbeddingSecretKey && st.Value != "" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			_, err := w.Write([]byte(st.Value))
			return err
		}
	}
	return sightline.Errorf(sightline.ENOTFOUND, "No embedding secret key is set: generate one first.")
}

// parseItem reads an "item" field of the form "dashboard:12" or "card:7".
func parseItem(r *http.Request) (string, int64, error) {
	model, id, _ := strings.Cut(r.PostForm.Get("item"), ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || model != sightline.PublicDashboard && model != sightline.PublicCard {
		return "", 0, sightline.Errorf(sightline.EINVALID, "Choose a dashboard or a question.")
	}
	return model, n, nil
}

// adminEmbeddingItem serves POST /admin/settings/embedding/unpublish and
// /admin/settings/embedding/revoke: unpublish an item for static
// embedding, or revoke its public link. The rest of the form comes back as
// typed, unsaved.
func (s *Server) adminEmbeddingItem(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return sightline.Errorf(sightline.EINVALID, "The form could not be read.")
	}
	ctx, actor := r.Context(), userFrom(r.Context())
	model, id, opErr := parseItem(r)
	var flash string
	if opErr == nil {
		if strings.HasSuffix(r.URL.Path, "/revoke") {
			if opErr = s.app.DeletePublicLink(ctx, actor, model, id); opErr == nil {
				flash = "The public link was revoked: it no longer works."
			}
		} else {
			var name string
			if name, opErr = s.app.UnpublishEmbed(ctx, actor, model, id); opErr == nil {
				flash = "“" + name + "” is no longer published: tokens that name it stop working."
			}
		}
	}
	if opErr != nil && !slices.Contains([]string{sightline.EINVALID, sightline.ENOTFOUND}, sightline.ErrorCode(opErr)) {
		return opErr
	}
	d, err := s.embeddingData(r)
	if err != nil {
		return err
	}
	d.typed(r)
	if opErr != nil {
		s.renderEmbedding(w, r, http.StatusBadRequest, d, "", sightline.ErrorMessage(opErr))
		return nil
	}
	s.renderEmbedding(w, r, http.StatusOK, d, flash, "")
	return nil
}

// boolField reads a checkbox: "true" when ticked, "false" otherwise.
func boolField(r *http.Request, key string) string {
	if r.PostForm.Get(key) == "true" {
		return "true"
	}
	return "false"
}
