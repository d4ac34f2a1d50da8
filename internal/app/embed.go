package app

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sightline"
)

// maxEmbedTokenLen bounds the size of a static embedding token.
const maxEmbedTokenLen = 8 << 10

// Embed is a static embedding token resolved against the item it names:
// the published question or dashboard, the values the token locks, and
// the values the token or the page's query string set for the
// parameters the viewer may change, each by parameter slug.
type Embed struct {
	Dashboard *sightline.Dashboard
	Card      *sightline.Card
	// Locked holds a value for every locked parameter, from the token only.
	Locked map[string]any
	// Editable holds the values set for parameters marked enabled.
	Editable map[string]any
}

// embedActor is the stand-in a static embedding request runs as: it holds
// no session and belongs to no person. It is used only to run the one item
// a verified token names, through the data door, with the data permissions
// of the Administrators group (the group that published the item), as the
// reference vendor runs static embeds; the locked parameters are what
// narrows the rows.
func embedActor() *sightline.User {
	return &sightline.User{FirstName: "Static embedding", Active: true,
		Groups: []sightline.Group{{ID: sightline.AdminGroupID, Name: "Administrators"}}}
}

// ResolveEmbed verifies a static embedding token and resolves it: static
// embedding must be on and a secret key set; the token must be HS256 with
// that key, unexpired if it has an exp; the item it names must be published
// and not archived; every locked parameter must have a value in the token;
// the token may set only locked or enabled parameters, and the query string
// only enabled ones. This is the one place that decides what a token may
// reach.
//
// In a preview (see PreviewEmbed) the item need not be published, static
// embedding need not be on, and the token's _embedding_params claim, when
// present, replaces the item's saved parameter modes.
func (a *App) ResolveEmbed(ctx context.Context, token string, qs url.Values) (*Embed, error) {
	preview := previewOf(ctx) != nil
	if !preview && !a.Settings().Bool(ctx, sightline.SettingEmbeddingStatic) {
		return nil, sightline.Errorf(sightline.EINVALID, "Static embedding is not enabled.")
	}
	secret := a.Settings().String(ctx, sightline.SettingEmbeddingSecretKey)
	if secret == "" {
		return nil, sightline.Errorf(sightline.EINVALID, "The embedding secret key is not set.")
	}
	claims, err := a.verifyEmbedToken(token, secret)
	if err != nil {
		return nil, err
	}
	var previewParams map[string]string
	if raw, ok := claims["_embedding_params"]; ok && preview && raw != nil {
		if previewParams, err = embeddingParamsClaim(raw); err != nil {
			return nil, err
		}
	}
	res, _ := claims["resource"].(map[string]any)
	e := &Embed{Locked: map[string]any{}, Editable: map[string]any{}}
	var params map[string]string
	var slugs map[string]bool
	switch {
	case res["dashboard"] != nil:
		id, err := embedID(res["dashboard"])
		if err != nil {
			return nil, err
		}
		d, err := a.loadDashboard(ctx, id, false)
		if err != nil {
			return nil, err
		}
		if d.Archived {
			return nil, notFoundErr("Dashboard")
		}
		e.Dashboard, params, slugs = d, d.EmbeddingParams, map[string]bool{}
		for _, p := range d.Parameters {
			slugs[p.Slug] = true
		}
		if previewParams != nil {
			cp := *d
			cp.EmbeddingParams = previewParams
			e.Dashboard, params = &cp, previewParams
		}
		if !d.EnableEmbedding && !preview {
			return nil, errNotPublished()
		}
	case res["question"] != nil:
		id, err := embedID(res["question"])
		if err != nil {
			return nil, err
		}
		c, err := a.content.Card(ctx, id)
		if err != nil {
			return nil, err
		}
		if c.Archived {
			return nil, notFoundErr("Question")
		}
		e.Card, params, slugs = c, c.EmbeddingParams, map[string]bool{}
		if c.Query != nil && c.Query.Native != nil {
			for _, t := range c.Query.Native.TemplateTags {
				slugs[t.Name] = true
			}
		}
		if previewParams != nil {
			cp := *c
			cp.EmbeddingParams = previewParams
			e.Card, params = &cp, previewParams
		}
		if !c.EnableEmbedding && !preview {
			return nil, errNotPublished()
		}
	default:
		return nil, sightline.Errorf(sightline.EINVALID, "The token's resource must name a dashboard or a question, as {\"resource\": {\"dashboard\": 1}}.")
	}
	tokenParams, _ := claims["params"].(map[string]any)
	for slug, v := range tokenParams {
		mode := params[slug]
		if !slugs[slug] {
			mode = sightline.EmbedDisabled
		}
		switch mode {
		case sightline.EmbedLocked:
			if v == nil {
				continue
			}
			if isEmptyValue(v) {
				return nil, sightline.Errorf(sightline.EINVALID,
					"The token's value for :%s is empty; a locked parameter needs at least one value, or it would filter nothing.", slug)
			}
			e.Locked[slug] = v
		case sightline.EmbedEnabled:
			e.Editable[slug] = v
		default:
			return nil, sightline.Errorf(sightline.EINVALID, "You can't specify a value for :%s if it's disabled.", slug)
		}
	}
	for slug, mode := range params {
		if mode != sightline.EmbedLocked || !slugs[slug] {
			continue
		}
		if _, ok := e.Locked[slug]; !ok {
			return nil, sightline.Errorf(sightline.EINVALID, "You must specify a value for :%s in the JWT.", slug)
		}
	}
	for slug, vs := range qs {
		mode := params[slug]
		if !slugs[slug] {
			mode = sightline.EmbedDisabled
		}
		switch mode {
		case sightline.EmbedEnabled:
		case sightline.EmbedLocked:
			return nil, sightline.Errorf(sightline.EINVALID, "You can't specify a value for :%s in the URL: it is locked, and only the token sets it.", slug)
		default:
			return nil, sightline.Errorf(sightline.EINVALID, "You can't specify a value for :%s if it's disabled.", slug)
		}
		if len(vs) == 1 {
			e.Editable[slug] = vs[0]
		} else {
			l := make([]any, len(vs))
			for i, v := range vs {
				l[i] = v
			}
			e.Editable[slug] = l
		}
	}
	return e, nil
}

// embeddingParamsClaim reads a preview token's _embedding_params claim:
// {slug: "disabled"|"enabled"|"locked"}.
func embeddingParamsClaim(raw any) (map[string]string, error) {
	m, ok := raw.(map[string]any)
	bad := sightline.Errorf(sightline.EINVALID, "The token's _embedding_params must map parameter slugs to \"disabled\", \"enabled\" or \"locked\".")
	if !ok {
		return nil, bad
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		s, ok := v.(string)
		if !ok {
			return nil, bad
		}
		out[k] = s
	}
	if err := sightline.ValidateEmbeddingParams(out); err != nil {
		return nil, err
	}
	return out, nil
}

type previewKey struct{}

// PreviewEmbed marks ctx as an administrator's preview of a static embed:
// the embed routes then serve items that are not published, with the
// parameter modes the token's _embedding_params claim sets. Only
// administrators may preview.
func PreviewEmbed(ctx context.Context, actor *sightline.User) (context.Context, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	return context.WithValue(ctx, previewKey{}, actor), nil
}

// previewOf returns the administrator previewing in ctx, nil for none.
func previewOf(ctx context.Context) *sightline.User {
	u, _ := ctx.Value(previewKey{}).(*sightline.User)
	return u
}

// PreviewTokenInput is what an administrator asks to sign for a preview.
type PreviewTokenInput struct {
	Resource        map[string]int64  `json:"resource"`
	Params          map[string]any    `json:"params"`
	EmbeddingParams map[string]string `json:"_embedding_params"`
}

// previewTokenLife is how long a preview token is valid.
const previewTokenLife = 10 * time.Minute

// SignPreviewToken signs a static embedding token for an administrator's
// preview, with the embedding secret key, expiring in ten minutes. The
// resource must name one existing dashboard or question.
func (a *App) SignPreviewToken(ctx context.Context, actor *sightline.User, in PreviewTokenInput) (string, error) {
	if err := requireAdmin(actor); err != nil {
		return "", err
	}
	secret := a.Settings().String(ctx, sightline.SettingEmbeddingSecretKey)
	if secret == "" {
		return "", sightline.Errorf(sightline.EINVALID, "The embedding secret key is not set: generate one in Admin > Embedding first.")
	}
	if len(in.Resource) != 1 || in.Resource["dashboard"] <= 0 && in.Resource["question"] <= 0 {
		return "", sightline.Errorf(sightline.EINVALID, "The resource must name one dashboard or question, as {\"dashboard\": 1}.")
	}
	if id := in.Resource["dashboard"]; id > 0 {
		if _, err := a.loadDashboard(ctx, id, false); err != nil {
			return "", err
		}
	} else if _, err := a.content.Card(ctx, in.Resource["question"]); err != nil {
		return "", err
	}
	if err := sightline.ValidateEmbeddingParams(in.EmbeddingParams); err != nil {
		return "", err
	}
	claims := jwt.MapClaims{"resource": in.Resource, "params": in.Params, "exp": a.now().Add(previewTokenLife).Unix()}
	if in.Params == nil {
		claims["params"] = map[string]any{}
	}
	if in.EmbeddingParams != nil {
		claims["_embedding_params"] = in.EmbeddingParams
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
	if err != nil {
		return "", sightline.Internal(err)
	}
	return tok, nil
}

// EmbeddableCards lists the questions published for static embedding
// (administrators).
func (a *App) EmbeddableCards(ctx context.Context, actor *sightline.User) ([]*sightline.Card, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	all, err := a.content.Cards(ctx)
	if err != nil {
		return nil, err
	}
	out := []*sightline.Card{}
	for _, c := range all {
		if c.EnableEmbedding && !c.Archived {
			out = append(out, c)
		}
	}
	return out, nil
}

// EmbeddableDashboards lists the dashboards published for static
// embedding (administrators).
func (a *App) EmbeddableDashboards(ctx context.Context, actor *sightline.User) ([]*sightline.Dashboard, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	all, err := a.content.Dashboards(ctx)
	if err != nil {
		return nil, err
	}
	out := []*sightline.Dashboard{}
	for _, d := range all {
		if d.EnableEmbedding && !d.Archived {
			out = append(out, d)
		}
	}
	return out, nil
}

// isEmptyValue reports whether a parameter value selects nothing: an empty
// string or an empty list.
func isEmptyValue(v any) bool {
	switch t := v.(type) {
	case string:
		return t == ""
	case []any:
		return len(t) == 0
	}
	return false
}

func errNotPublished() error {
	return sightline.Errorf(sightline.EINVALID, "Embedding is not enabled for this object.")
}

// verifyEmbedToken checks a token's signature (HS256 only) and, when it has
// one, its expiry.
func (a *App) verifyEmbedToken(token, secret string) (jwt.MapClaims, error) {
	if token == "" || len(token) > maxEmbedTokenLen {
		return nil, sightline.Errorf(sightline.EINVALID, "The embedding token is missing or too large.")
	}
	p := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithJSONNumber(),
		jwt.WithTimeFunc(a.now))
	claims := jwt.MapClaims{}
	if _, err := p.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return []byte(secret), nil }); err != nil {
		switch {
		case errors.Is(err, jwt.ErrTokenExpired):
			return nil, sightline.Errorf(sightline.EINVALID, "The embedding token has expired.")
		case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
			return nil, sightline.Errorf(sightline.EINVALID, "The embedding token's signature is invalid: sign it with HS256 and the embedding secret key.")
		}
		return nil, sightline.Errorf(sightline.EINVALID, "The embedding token could not be verified: it must be a JWT signed with HS256 and the embedding secret key.")
	}
	return normalizeJSONNumbers(claims).(map[string]any), nil
}

// normalizeJSONNumbers turns the json.Number values of a decoded token into
// int64 or float64, as filter values expect.
func normalizeJSONNumbers(v any) any {
	switch t := v.(type) {
	case jwt.MapClaims:
		return normalizeJSONNumbers(map[string]any(t))
	case map[string]any:
		for k, x := range t {
			t[k] = normalizeJSONNumbers(x)
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = normalizeJSONNumbers(x)
		}
		return t
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return n
		}
		f, _ := t.Float64()
		return f
	}
	return v
}

func embedID(v any) (int64, error) {
	switch t := v.(type) {
	case int64:
		return t, nil
	case float64:
		if t == float64(int64(t)) {
			return int64(t), nil
		}
	case string:
		if n, err := strconv.ParseInt(t, 10, 64); err == nil {
			return n, nil
		}
	}
	return 0, sightline.Errorf(sightline.EINVALID, "The token's resource id must be a whole number.")
}

// unfilteredOK reports whether an administrator marked a dashcard as safe
// to show to a token whose locked parameters are not wired to it.
func unfilteredOK(dc *sightline.DashboardCard) bool {
	var viz map[string]any
	if json.Unmarshal(dc.VizSettings, &viz) != nil {
		return false
	}
	ok, _ := viz[unfilteredOKKey].(bool)
	return ok
}

// withoutUnfilteredMark is a dashcard's visualization settings without the
// mark that it is safe to show unfiltered.
func withoutUnfilteredMark(viz json.RawMessage) json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(viz, &m) != nil {
		return viz
	}
	if _, ok := m[unfilteredOKKey]; !ok {
		return viz
	}
	delete(m, unfilteredOKKey)
	b, err := json.Marshal(m)
	if err != nil {
		return viz
	}
	return b
}

// unfilteredOKKey is the visualization setting that marks a dashcard safe
// to show to tokens whose locked values are not wired to it.
const unfilteredOKKey = "embed.unfiltered_ok"

// EmbedDashboard is the dashboard a token names, as a viewer of the embed
// may see it: its filters minus the locked and disabled ones, only its own
// cards, and of each question its name, description and visualization but
// not its query.
func (a *App) EmbedDashboard(ctx context.Context, token string, qs url.Values) (*sightline.Dashboard, error) {
	d, _, err := a.EmbedDashboardPage(ctx, token, qs)
	return d, err
}

// EmbedDashboardPage is EmbedDashboard and the token's locked values by
// filter slug, which the page shows in its text cards' {{slug}} places:
// they are the viewer's own (the token that carries them is in the page's
// address already).
func (a *App) EmbedDashboardPage(ctx context.Context, token string, qs url.Values) (*sightline.Dashboard, map[string]any, error) {
	e, err := a.ResolveEmbed(ctx, token, qs)
	if err != nil {
		return nil, nil, err
	}
	if e.Dashboard == nil {
		return nil, nil, sightline.Errorf(sightline.EINVALID, "This token names a question, not a dashboard.")
	}
	d := *e.Dashboard
	shown := map[string]bool{}
	d.Parameters = nil
	for _, p := range e.Dashboard.Parameters {
		if e.Dashboard.EmbeddingParams[p.Slug] == sightline.EmbedEnabled {
			d.Parameters = append(d.Parameters, p)
			shown[p.ID] = true
		}
	}
	d.Cards = make([]sightline.DashboardCard, 0, len(e.Dashboard.Cards))
	for _, dc := range e.Dashboard.Cards {
		var ms []sightline.ParameterMapping
		for _, m := range dc.Mappings {
			if shown[m.ParameterID] {
				ms = append(ms, m)
			}
		}
		dc.Mappings = ms
		if dc.Card != nil {
			dc.Card = embedCardShape(dc.Card)
		}
		// A token reaches this dashboard only: a click may stay on it
		// (cross-filter, or a link to the dashboard itself) but never
		// names another dashboard or question.
		dc.VizSettings, _ = visibleClicks(dc.VizSettings, func(kind string, id int64) bool {
			return kind == "dashboard" && id == e.Dashboard.ID
		})
		d.Cards = append(d.Cards, dc)
	}
	d.EmbeddingParams, d.CacheTTL = nil, nil
	return &d, e.Locked, nil
}

// embedCardShape is what an embed shows of a question: no query, no
// collection, no author.
func embedCardShape(c *sightline.Card) *sightline.Card {
	return &sightline.Card{ID: c.ID, Name: c.Name, Description: c.Description, Display: c.Display, VizSettings: c.VizSettings,
		EnableEmbedding: c.EnableEmbedding}
}

// RunEmbedDashcard runs one card of the dashboard a token names. Every
// locked parameter of the token must be wired to the card (or the
// dashcard marked safe to show unfiltered): a card a locked value cannot
// filter does not run. Locked values come only from the token; editable
// ones from the token or the query string. The card runs through the data
// door as a saved question; one that no locked value filters never shows a
// sandboxed table (see embedUnfiltered).
func (a *App) RunEmbedDashcard(ctx context.Context, token string, qs url.Values, dashcardID, cardID int64, opts RunOptions) (*Result, error) {
	e, err := a.ResolveEmbed(ctx, token, qs)
	if err != nil {
		return nil, err
	}
	ctx, _, q, err := a.embedDashcardQuery(ctx, e, dashcardID, cardID)
	if err != nil {
		return nil, err
	}
	return a.RunQuery(ctx, embedActor(), q, a.cached(ctx, opts))
}

// DownloadEmbedDashcard streams the results of one card of the dashboard
// a token names, resolved and filtered as RunEmbedDashcard runs it. open
// receives the card's question (to name the file) and returns the writer.
func (a *App) DownloadEmbedDashcard(ctx context.Context, token string, qs url.Values, dashcardID, cardID int64, open func(*sightline.Card) RowWriter) (int, error) {
	e, err := a.ResolveEmbed(ctx, token, qs)
	if err != nil {
		return 0, err
	}
	ctx, card, q, err := a.embedDashcardQuery(ctx, e, dashcardID, cardID)
	if err != nil {
		return 0, err
	}
	return a.Download(ctx, embedActor(), q, open(card))
}

// embedDashcardQuery is the one resolution of a token's request for a
// dashboard card: the card must be on the token's dashboard and show
// question cardID, every locked value must be wired to it (or the card
// marked safe to show unfiltered), and the locked and editable values are
// mapped to its columns or variables. It returns the context to run in,
// marked by embedUnfiltered when no locked value filters the card.
func (a *App) embedDashcardQuery(ctx context.Context, e *Embed, dashcardID, cardID int64) (context.Context, *sightline.Card, *sightline.Query, error) {
	d := e.Dashboard
	if d == nil {
		return nil, nil, nil, sightline.Errorf(sightline.EINVALID, "This token names a question, not a dashboard.")
	}
	var dc *sightline.DashboardCard
	for i := range d.Cards {
		if d.Cards[i].ID == dashcardID {
			dc = &d.Cards[i]
		}
	}
	if dc == nil || dc.CardID == 0 || dc.CardID != cardID || dc.Card == nil {
		return nil, nil, nil, notFoundErr("Dashboard card")
	}
	if dc.Card.Archived {
		return nil, nil, nil, sightline.Errorf(sightline.EINVALID, "The question %q was archived.", dc.Card.Name)
	}
	locked, wired, err := e.lockedOn(dc)
	if err != nil {
		return nil, nil, nil, err
	}
	values := locked
	bySlug := e.bySlug()
	for _, slug := range sortedKeys(e.Editable) {
		if p, ok := bySlug[slug]; ok {
			values = append(values, FilterValue{ID: p.ID, Value: e.Editable[slug]})
		}
	}
	// A required filter the token and the URL leave empty applies its
	// default, as it does on the signed-in dashboard.
	params, err := a.mapFilters(ctx, embedActor(), d, dc, withRequiredDefaults(d, values))
	if err != nil {
		return nil, nil, nil, err
	}
	lockEveryColumn(params, locked)
	q := *dc.Card.Query
	q.Parameters = append(append([]sightline.Parameter{}, q.Parameters...), params...)
	return embedUnfiltered(asSavedQuestion(ctx), wired == 0), dc.Card, &q, nil
}

// cached is opts with the result cache's TTL for static embeds and public
// links (the embedding-cache-ttl setting, in seconds; 0 or less for none).
// The cache key holds the locked values as bound arguments, so results are
// shared only between viewers of the same item with the same values.
func (a *App) cached(ctx context.Context, opts RunOptions) RunOptions {
	if n, err := strconv.Atoi(a.settings.String(ctx, sightline.SettingEmbeddingCacheTTL)); err == nil && n > 0 {
		opts.CacheTTL = time.Duration(n) * time.Second
	}
	return opts
}

// bySlug indexes the parameters of the token's dashboard by slug.
func (e *Embed) bySlug() map[string]sightline.DashboardParameter {
	out := map[string]sightline.DashboardParameter{}
	for _, p := range e.Dashboard.Parameters {
		out[p.Slug] = p
	}
	return out
}

// lockedOn returns the token's locked values as filter values of the
// dashboard and how many of them are wired to dc. A locked value that is
// not wired to dc refuses the card, unless an administrator marked it safe
// to show unfiltered.
func (e *Embed) lockedOn(dc *sightline.DashboardCard) ([]FilterValue, int, error) {
	bySlug := e.bySlug()
	var values []FilterValue
	wired := 0
	for _, slug := range sortedKeys(e.Locked) {
		p := bySlug[slug]
		on := false
		for _, m := range dc.Mappings {
			on = on || m.ParameterID == p.ID && len(m.Target) > 0
		}
		if on {
			wired++
		} else if !unfilteredOK(dc) {
			return nil, 0, sightline.Errorf(sightline.EFORBIDDEN, "This card is not filtered by %s, so it is not shown to a token that locks %s.", p.Name, p.Name)
		}
		values = append(values, FilterValue{ID: p.ID, Value: e.Locked[slug]})
	}
	return values, wired, nil
}

// embedUnfiltered marks ctx, when unfiltered is true, as running a static
// embed's card that none of the token's locked values filters. The data
// door then treats it like a public link: any table sandboxed for any
// group is refused, and SQL on a database that has one, because nothing
// narrows the rows to the viewer's. The mark that a card is safe to show
// unfiltered lets such a card run, but never opens a sandboxed table.
func embedUnfiltered(ctx context.Context, unfiltered bool) context.Context {
	if !unfiltered {
		return ctx
	}
	return withFlag(ctx, flagEmbedUnfiltered)
}

// EmbedCard is the question a token names, without its query.
func (a *App) EmbedCard(ctx context.Context, token string, qs url.Values) (*sightline.Card, error) {
	e, err := a.ResolveEmbed(ctx, token, qs)
	if err != nil {
		return nil, err
	}
	if e.Card == nil {
		return nil, sightline.Errorf(sightline.EINVALID, "This token names a dashboard, not a question.")
	}
	return embedCardShape(e.Card), nil
}

// RunEmbedCard runs the question a token names, with its locked and
// editable values bound to the SQL variables of the same names. A locked
// parameter that is not a variable of the question refuses the run; a
// question that locks none never shows a sandboxed table (see
// embedUnfiltered).
func (a *App) RunEmbedCard(ctx context.Context, token string, qs url.Values, opts RunOptions) (*sightline.Card, *Result, error) {
	e, err := a.ResolveEmbed(ctx, token, qs)
	if err != nil {
		return nil, nil, err
	}
	ctx, q, err := a.embedCardQuery(ctx, e)
	if err != nil {
		return nil, nil, err
	}
	res, err := a.RunQuery(ctx, embedActor(), q, a.cached(ctx, opts))
	return embedCardShape(e.Card), res, err
}

// DownloadEmbedCard streams the results of the question a token names,
// filtered as RunEmbedCard runs it, and returns the question for naming
// the file.
func (a *App) DownloadEmbedCard(ctx context.Context, token string, qs url.Values, w RowWriter) (*sightline.Card, int, error) {
	e, err := a.ResolveEmbed(ctx, token, qs)
	if err != nil {
		return nil, 0, err
	}
	ctx, q, err := a.embedCardQuery(ctx, e)
	if err != nil {
		return nil, 0, err
	}
	n, err := a.Download(ctx, embedActor(), q, w)
	return embedCardShape(e.Card), n, err
}

// embedCardQuery is the one resolution of a token's request for its
// question: the query with the locked and editable values bound, and the
// context to run it in.
func (a *App) embedCardQuery(ctx context.Context, e *Embed) (context.Context, *sightline.Query, error) {
	c := e.Card
	if c == nil {
		return nil, nil, sightline.Errorf(sightline.EINVALID, "This token names a dashboard, not a question.")
	}
	tags := map[string]bool{}
	if c.Query.Native != nil {
		for _, t := range c.Query.Native.TemplateTags {
			tags[t.Name] = true
		}
	}
	var wire []map[string]any
	add := func(slug string, v any) {
		if v == nil || isEmptyValue(v) {
			return
		}
		wire = append(wire, map[string]any{"id": slug, "type": "category", "value": v,
			"target": []any{"variable", []any{"template-tag", slug}}})
	}
	for _, slug := range sortedKeys(e.Locked) {
		if !tags[slug] {
			return nil, nil, sightline.Errorf(sightline.EFORBIDDEN, "This question is not filtered by %s, so it is not shown to a token that locks %s.", slug, slug)
		}
		add(slug, e.Locked[slug])
	}
	for _, slug := range sortedKeys(e.Editable) {
		if tags[slug] {
			add(slug, e.Editable[slug])
		}
	}
	actor := embedActor()
	q := *c.Query
	if len(wire) > 0 {
		b, err := json.Marshal(wire)
		if err != nil {
			return nil, nil, sightline.Errorf(sightline.EINVALID, "Parameter values must be text, numbers, booleans or lists of them.")
		}
		ps, err := sightline.ParseParameters(b)
		if err != nil {
			return nil, nil, err
		}
		if err := a.checkParams(ctx, actor, c.Query, ps); err != nil {
			return nil, nil, err
		}
		q.Parameters = append(append([]sightline.Parameter{}, q.Parameters...), ps...)
	}
	return embedUnfiltered(asSavedQuestion(ctx), len(e.Locked) == 0), &q, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkEmbeddingEdit refuses a change to what is published for static
// embedding (the publish flag, the per-parameter modes, and the dashcards
// marked safe to show unfiltered) by anyone but an administrator.
func checkEmbeddingEdit(actor *sightline.User, oldOn, newOn bool, oldParams, newParams map[string]string, oldOK, newOK map[[2]int64]bool) error {
	if err := sightline.ValidateEmbeddingParams(newParams); err != nil {
		return err
	}
	if actor != nil && actor.IsAdmin {
		return nil
	}
	if oldOn != newOn || len(oldParams)+len(newParams) > 0 && !reflect.DeepEqual(nonEmpty(oldParams), nonEmpty(newParams)) {
		return sightline.Errorf(sightline.EFORBIDDEN, "Only administrators may publish items for embedding or change their embedding parameters.")
	}
	for k := range newOK {
		if k[0] <= 0 || !oldOK[k] {
			return sightline.Errorf(sightline.EFORBIDDEN, "Only administrators may mark a card as safe to show unfiltered in embeds.")
		}
	}
	return nil
}

func nonEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// unfilteredCards is the set of dashcards of d marked safe to show
// unfiltered, each as its id and the question it shows: a mark moved to
// another card, or a card swapped under a mark, is a new mark.
func unfilteredCards(d *sightline.Dashboard) map[[2]int64]bool {
	out := map[[2]int64]bool{}
	if d == nil {
		return out
	}
	for i := range d.Cards {
		if unfilteredOK(&d.Cards[i]) {
			out[[2]int64{d.Cards[i].ID, d.Cards[i].CardID}] = true
		}
	}
	return out
}

// lockEveryColumn makes a locked value hold on every column of the card it
// is wired to. A dashboard filter wired to several columns of one card
// keeps the rows where any of them matches, which would let a locked
// value reach rows through a second column; a locked value's parameters
// therefore lose their shared filter id, so each narrows on its own.
func lockEveryColumn(params []sightline.Parameter, locked []FilterValue) {
	ids := map[string]bool{}
	for _, v := range locked {
		ids[v.ID] = true
	}
	for i := range params {
		if ids[params[i].ID] {
			params[i].ID = ""
		}
	}
}
