package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"sightline"
)

// Static embed, public-link and preview pages: a published dashboard or
// question, read-only, with no app chrome, no session (previews excepted)
// and no cookie. The server checks the token or link and hands embed.js
// what to draw; embed.js runs every card through the matching /api/ route.

// Kinds of static page, from the first segment of the path.
const (
	staticPageNone    = ""
	staticPageEmbed   = "embed"
	staticPagePublic  = "public"
	staticPagePreview = "preview"
)

// staticPageKind names the kind of static page p is, or "" for any other
// path (the /api/ routes included).
func staticPageKind(p string) string {
	switch {
	case strings.HasPrefix(p, "/embed/"):
		return staticPageEmbed
	case strings.HasPrefix(p, "/public/"):
		return staticPagePublic
	case strings.HasPrefix(p, "/preview_embed/"):
		return staticPagePreview
	}
	return staticPageNone
}

// tokenOnly reports paths answered from a token or a public link alone:
// the static embed and public-link pages and their API routes. They never
// read or refresh a session cookie, so they set no cookie either.
func tokenOnly(p string) bool {
	k := staticPageKind(p)
	return k == staticPageEmbed || k == staticPagePublic ||
		strings.HasPrefix(p, "/api/embed/") || strings.HasPrefix(p, "/api/public/")
}

// embedParam is a filter an embed page shows: a dashboard parameter, or a
// question's SQL variable in the same shape.
type embedParam struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Slug     string `json:"slug"`
	Type     string `json:"type"`
	Default  any    `json:"default,omitempty"`
	Multiple bool   `json:"multiple,omitempty"`
	// Variable, for a question, says how its value reaches the SQL:
	// "variable" or "dimension" (a field filter).
	Variable string `json:"variable,omitempty"`
	// FilteringParameters, for a dashboard filter, are the shown filters
	// whose values narrow the values it offers (linked filters).
	FilteringParameters []string `json:"filteringParameters,omitempty"`
}

// embedDashcard is a dashboard card as an embed page draws it: where it
// sits and how it looks, never its query or what its filters target.
type embedDashcard struct {
	ID          int64           `json:"id"`
	CardID      int64           `json:"card_id,omitempty"`
	TabID       int64           `json:"dashboard_tab_id,omitempty"`
	Row         int             `json:"row"`
	Col         int             `json:"col"`
	SizeX       int             `json:"size_x"`
	SizeY       int             `json:"size_y"`
	VizSettings json.RawMessage `json:"visualization_settings,omitempty"`
	Card        *publicCardJSON `json:"card,omitempty"`
}

// embedConfig is handed to embed.js in a JSON script block.
type embedConfig struct {
	// Kind is embed, public or preview; Model is dashboard or question.
	Kind  string `json:"kind"`
	Model string `json:"model"`
	// API is the base of the item's API routes, e.g. /api/embed/dashboard/TOKEN.
	API string `json:"api"`
	// Load is set when the page has no item yet and embed.js fetches it
	// from API (previews).
	Load       bool                     `json:"load,omitempty"`
	Name       string                   `json:"name,omitempty"`
	Parameters []embedParam             `json:"parameters"`
	Tabs       []sightline.DashboardTab `json:"tabs,omitempty"`
	Dashcards  []embedDashcard          `json:"dashcards,omitempty"`
	Card       *publicCardJSON          `json:"card,omitempty"`
	Downloads  bool                     `json:"downloads"`
	RowHeight  int                      `json:"row_height"`
	Fonts      map[string]string        `json:"fonts"`
	// Locked holds a token's locked values by filter slug, as text, for
	// the {{slug}} places of text cards.
	Locked map[string]string `json:"locked,omitempty"`
}

// embedView is what embed.html renders.
type embedView struct {
	Title       string
	Description string
	// Status and Message, when Status is set, make the page an error page.
	Status  int
	Message string
	Config  embedConfig
}

// renderEmbed writes a static page; it never uses the app's layout.
func (s *Server) renderEmbed(w http.ResponseWriter, r *http.Request, status int, v *embedView) {
	t, err := s.pages.lookup("embed")
	if err != nil {
		s.log.Error("page template", "page", "embed", "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	d := map[string]any{"View": v, "App": s.app.Settings().String(r.Context(), sightline.SettingApplicationName)}
	if err := t.ExecuteTemplate(&buf, "embed-page", d); err != nil {
		s.log.Error("render", "page", "embed", "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// embedError renders err as a static page's error page: the server's
// message and the status it maps to. Internal errors are logged and shown
// generically.
func (s *Server) embedError(w http.ResponseWriter, r *http.Request, err error) {
	code := sightline.ErrorCode(err)
	status := statusOf(code)
	if code == sightline.EINTERNAL {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	s.renderEmbed(w, r, status, &embedView{Title: http.StatusText(status), Status: status, Message: sightline.ErrorMessage(err)})
}

// fontStacks maps each application-font choice to its CSS stack, for the
// font hash option.
func fontStacks() map[string]string {
	out := map[string]string{}
	for _, f := range fontChoices() {
		out[f.Key] = string(f.Stack)
	}
	return out
}

func newEmbedConfig(kind, model, api string) embedConfig {
	return embedConfig{Kind: kind, Model: model, API: api, Parameters: []embedParam{}, RowHeight: dashRowHeight,
		Fonts: fontStacks(), Downloads: kind != staticPagePreview}
}

// dashboardEmbedView is a dashboard as a static page shows it, with the
// given filters.
func dashboardEmbedView(cfg embedConfig, d *sightline.Dashboard, params []sightline.DashboardParameter) *embedView {
	cfg.Name = d.Name
	shown := map[string]bool{}
	for _, p := range params {
		shown[p.ID] = true
	}
	for _, p := range params {
		var linked []string
		for _, id := range p.FilteringParameters {
			if shown[id] && id != p.ID {
				linked = append(linked, id)
			}
		}
		cfg.Parameters = append(cfg.Parameters, embedParam{ID: p.ID, Name: p.Name, Slug: p.Slug, Type: p.Type, Default: p.Default,
			Multiple: p.Multiple, FilteringParameters: linked})
	}
	cfg.Tabs = d.Tabs
	cfg.Dashcards = []embedDashcard{}
	for _, dc := range d.Cards {
		cfg.Dashcards = append(cfg.Dashcards, embedDashcard{ID: dc.ID, CardID: dc.CardID, TabID: dc.TabID, Row: dc.Row, Col: dc.Col,
			SizeX: dc.SizeX, SizeY: dc.SizeY, VizSettings: dc.VizSettings, Card: publicCard(dc.Card)})
	}
	return &embedView{Title: d.Name, Description: d.Description, Config: cfg}
}

// questionEmbedView is a question as a static page shows it; tags are the
// SQL variables it offers as filters.
func questionEmbedView(cfg embedConfig, c *sightline.Card, tags []sightline.TemplateTag) *embedView {
	cfg.Name = c.Name
	cfg.Card = publicCard(c)
	for _, t := range tags {
		cfg.Parameters = append(cfg.Parameters, tagParam(t))
	}
	return &embedView{Title: c.Name, Description: c.Description, Config: cfg}
}

// tagParam describes a SQL variable as a filter widget.
func tagParam(t sightline.TemplateTag) embedParam {
	name := t.DisplayName
	if name == "" {
		name = sightline.HumanizeName(t.Name)
	}
	p := embedParam{ID: t.Name, Name: name, Slug: t.Name, Default: t.Default, Variable: "variable"}
	switch t.Type {
	case "number":
		p.Type = "number/="
	case "date":
		p.Type = "date/single"
	case "dimension":
		p.Variable = "dimension"
		p.Type = t.WidgetType
		if p.Type == "" {
			p.Type = "category"
		}
	default:
		p.Type = "string/="
	}
	return p
}

// questionTags lists the SQL variables of c, keeping only those keep
// accepts.
func questionTags(c *sightline.Card, keep func(name string) bool) []sightline.TemplateTag {
	var out []sightline.TemplateTag
	if c.Query == nil || c.Query.Native == nil {
		return out
	}
	for _, t := range c.Query.Native.TemplateTags {
		if keep(t.Name) {
			out = append(out, t)
		}
	}
	return out
}

// embedDashboardPage serves GET /embed/dashboard/{token}: the published
// dashboard a static embedding token names, with its editable filters.
func (s *Server) embedDashboardPage(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	d, locked, err := s.app.EmbedDashboardPage(r.Context(), token, r.URL.Query())
	if err != nil {
		s.embedError(w, r, err)
		return nil
	}
	cfg := newEmbedConfig(staticPageEmbed, "dashboard", "/api/embed/dashboard/"+url.PathEscape(token))
	cfg.Locked = lockedText(locked)
	s.renderEmbed(w, r, http.StatusOK, dashboardEmbedView(cfg, d, d.Parameters))
	return nil
}

// embedQuestionPage serves GET /embed/question/{token}: the published
// question a static embedding token names, with its editable variables.
func (s *Server) embedQuestionPage(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	e, err := s.app.ResolveEmbed(r.Context(), token, r.URL.Query())
	if err == nil && e.Card == nil {
		err = sightline.Errorf(sightline.EINVALID, "This token names a dashboard, not a question: open it at /embed/dashboard/.")
	}
	if err != nil {
		s.embedError(w, r, err)
		return nil
	}
	cfg := newEmbedConfig(staticPageEmbed, "question", "/api/embed/card/"+url.PathEscape(token))
	tags := questionTags(e.Card, func(name string) bool { return e.Card.EmbeddingParams[name] == sightline.EmbedEnabled })
	s.renderEmbed(w, r, http.StatusOK, questionEmbedView(cfg, e.Card, tags))
	return nil
}

// publicDashboardPage serves GET /public/dashboard/{uuid}: the dashboard
// shared by a public link, with all its filters.
func (s *Server) publicDashboardPage(w http.ResponseWriter, r *http.Request) error {
	uuid := r.PathValue("uuid")
	d, err := s.app.PublicDashboard(r.Context(), uuid)
	if err != nil {
		s.embedError(w, r, err)
		return nil
	}
	cfg := newEmbedConfig(staticPagePublic, "dashboard", "/api/public/dashboard/"+url.PathEscape(uuid))
	s.renderEmbed(w, r, http.StatusOK, dashboardEmbedView(cfg, d, d.Parameters))
	return nil
}

// publicQuestionPage serves GET /public/question/{uuid}: the question
// shared by a public link, with all its SQL variables as filters.
func (s *Server) publicQuestionPage(w http.ResponseWriter, r *http.Request) error {
	uuid := r.PathValue("uuid")
	c, err := s.app.PublicCard(r.Context(), uuid)
	if err != nil {
		s.embedError(w, r, err)
		return nil
	}
	cfg := newEmbedConfig(staticPagePublic, "question", "/api/public/card/"+url.PathEscape(uuid))
	s.renderEmbed(w, r, http.StatusOK, questionEmbedView(cfg, c, questionTags(c, func(string) bool { return true })))
	return nil
}

// previewPage serves GET /preview_embed/dashboard/{token} and
// GET /preview_embed/question/{token}: an administrator's preview of a
// static embed, which embed.js loads from /api/preview_embed/ (where the
// token's _embedding_params stand in for the saved ones). Only a signed-in
// administrator gets the page.
func (s *Server) previewPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	if !u.IsAdmin {
		s.embedError(w, r, sightline.Errorf(sightline.EFORBIDDEN, "Only administrators may preview static embeds."))
		return nil
	}
	token := r.PathValue("token")
	model, api := "dashboard", "/api/preview_embed/dashboard/"+url.PathEscape(token)
	if strings.HasPrefix(r.URL.Path, "/preview_embed/question/") {
		model, api = "question", "/api/preview_embed/card/"+url.PathEscape(token)
	}
	cfg := newEmbedConfig(staticPagePreview, model, api)
	cfg.Load = true
	s.renderEmbed(w, r, http.StatusOK, &embedView{Title: "Preview", Config: cfg})
	return nil
}

// lockedText is each locked value as a text card shows it: several values
// joined by commas, numbers as written.
func lockedText(locked map[string]any) map[string]string {
	if len(locked) == 0 {
		return nil
	}
	text := func(v any) string {
		if f, ok := v.(float64); ok {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		return fmt.Sprint(v)
	}
	out := make(map[string]string, len(locked))
	for slug, v := range locked {
		l, ok := v.([]any)
		if !ok {
			out[slug] = text(v)
			continue
		}
		parts := make([]string, len(l))
		for i, x := range l {
			parts[i] = text(x)
		}
		out[slug] = strings.Join(parts, ", ")
	}
	return out
}
