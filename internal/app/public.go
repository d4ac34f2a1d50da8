package app

import (
	"context"
	"crypto/rand"
	"fmt"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/query"
)

// PublicLinkStore keeps the public links of questions and dashboards (part
// of ContentStore).
type PublicLinkStore interface {
	SetPublicUUID(ctx context.Context, model string, id int64, uuid string) error
	PublicUUID(ctx context.Context, model string, id int64) (string, error)
	ByPublicUUID(ctx context.Context, model, uuid string) (int64, error)
	PublicLinks(ctx context.Context, model string) ([]sightline.PublicLink, error)
}

// PublicSandboxMessage is the refusal of a public link whose question
// reads a sandboxed table: a public link has nobody whose attributes
// could filter the rows, so it never shows a sandboxed table.
const PublicSandboxMessage = "This public link's question reads %s, which is sandboxed for some people. A public link has no signed-in person to filter its rows for, so it never shows sandboxed tables."

// EmbedSandboxMessage is the refusal of a static embed's card that reads
// a sandboxed table while none of the token's locked values filters it:
// nothing would narrow the rows to the viewer's, so it is not shown, even
// when the card is marked safe to show unfiltered.
const EmbedSandboxMessage = "This embedded card reads %s, which is sandboxed for some people, and none of the token's locked values filters it, so it is not shown. Lock a parameter wired to this card in the token."

// publicGrant is what the anonymous actor of a public link may read: the
// shared question, or the shared dashboard and the questions on it.
type publicGrant struct {
	dashboard int64
	cards     map[int64]bool
}

type publicGrantKey struct{}

// withPublicGrant marks ctx as serving a public link with grant g; only
// the functions of this file, after resolving the link, may set it.
func withPublicGrant(ctx context.Context, g *publicGrant) context.Context {
	return context.WithValue(asSavedQuestion(ctx), publicGrantKey{}, g)
}

// publicGrantOf returns the public link ctx serves, nil for none.
func publicGrantOf(ctx context.Context) *publicGrant {
	g, _ := ctx.Value(publicGrantKey{}).(*publicGrant)
	return g
}

// anonymous is the actor of a public link: nobody, in no group.
func anonymous() *sightline.User {
	return &sightline.User{FirstName: "Public link"}
}

// checkPublicSharing refuses while the enable-public-sharing setting is off.
func (a *App) checkPublicSharing(ctx context.Context) error {
	if !a.settings.Bool(ctx, sightline.SettingPublicSharing) {
		return sightline.Errorf(sightline.EFORBIDDEN, "Public sharing is turned off on this server, so public links cannot be used. An administrator can turn on the %s setting.", sightline.SettingPublicSharing)
	}
	return nil
}

// modelName is how a model is named in messages.
func modelName(model string) string {
	if model == sightline.PublicDashboard {
		return "Dashboard"
	}
	return "Question"
}

// CreatePublicLink gives the question or dashboard id a public link and
// returns its uuid; one that already has a link keeps it. Only
// administrators may, and only while public sharing is on.
func (a *App) CreatePublicLink(ctx context.Context, actor *sightline.User, model string, id int64) (string, error) {
	if err := requireAdmin(actor); err != nil {
		return "", err
	}
	if err := a.checkPublicSharing(ctx); err != nil {
		return "", err
	}
	uuid, err := a.content.PublicUUID(ctx, model, id)
	if err != nil || uuid != "" {
		return uuid, err
	}
	if uuid, err = newUUID(); err != nil {
		return "", err
	}
	if err := a.content.SetPublicUUID(ctx, model, id, uuid); err != nil {
		return "", err
	}
	a.audit(ctx, actor, "public-link.create", jsonDetail(map[string]any{"model": model, "id": id}))
	return uuid, nil
}

// DeletePublicLink revokes the public link of the question or dashboard
// id: the old link stops working for good. Only administrators may.
func (a *App) DeletePublicLink(ctx context.Context, actor *sightline.User, model string, id int64) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	if err := a.checkPublicSharing(ctx); err != nil {
		return err
	}
	uuid, err := a.content.PublicUUID(ctx, model, id)
	if err != nil {
		return err
	}
	if uuid == "" {
		return sightline.Errorf(sightline.ENOTFOUND, "%s %d has no public link.", modelName(model), id)
	}
	if err := a.content.SetPublicUUID(ctx, model, id, ""); err != nil {
		return err
	}
	a.audit(ctx, actor, "public-link.delete", jsonDetail(map[string]any{"model": model, "id": id}))
	return nil
}

// PublicLinks lists the questions or dashboards that have a public link.
// Only administrators may, and only while public sharing is on.
func (a *App) PublicLinks(ctx context.Context, actor *sightline.User, model string) ([]sightline.PublicLink, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	if err := a.checkPublicSharing(ctx); err != nil {
		return nil, err
	}
	return a.content.PublicLinks(ctx, model)
}

// publicID resolves a public link's uuid to the id it shares, refusing
// while public sharing is off; an unknown or revoked uuid is not found.
func (a *App) publicID(ctx context.Context, model, uuid string) (int64, error) {
	if err := a.checkPublicSharing(ctx); err != nil {
		return 0, err
	}
	id, err := a.content.ByPublicUUID(ctx, model, uuid)
	if sightline.ErrorCode(err) == sightline.ENOTFOUND || uuid == "" {
		return 0, sightline.Errorf(sightline.ENOTFOUND, "This public link does not exist or was revoked.")
	}
	return id, err
}

// PublicCard returns the question shared by public link uuid.
func (a *App) PublicCard(ctx context.Context, uuid string) (*sightline.Card, error) {
	id, err := a.publicID(ctx, sightline.PublicCard, uuid)
	if err != nil {
		return nil, err
	}
	c, err := a.content.Card(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Archived {
		return nil, sightline.Errorf(sightline.ENOTFOUND, "This public link does not exist or was revoked.")
	}
	return c, nil
}

// RunPublicCard runs the question shared by public link uuid through the
// data door, as an anonymous actor allowed exactly that question.
func (a *App) RunPublicCard(ctx context.Context, uuid string, params []sightline.Parameter, opts RunOptions) (*sightline.Card, *Result, error) {
	c, err := a.PublicCard(ctx, uuid)
	if err != nil {
		return nil, nil, err
	}
	ctx = withPublicGrant(ctx, &publicGrant{cards: map[int64]bool{c.ID: true}})
	actor := anonymous()
	if err := a.checkParams(ctx, actor, c.Query, params); err != nil {
		return c, nil, err
	}
	q := *c.Query
	if len(params) > 0 {
		q.Parameters = append(append([]sightline.Parameter{}, q.Parameters...), params...)
	}
	res, err := a.RunQuery(ctx, actor, &q, a.cached(ctx, opts))
	return c, res, err
}

// publicDashboard resolves public link uuid to its dashboard and the grant
// that lets the anonymous actor read it and the questions on it.
func (a *App) publicDashboard(ctx context.Context, uuid string) (*sightline.Dashboard, *publicGrant, error) {
	id, err := a.publicID(ctx, sightline.PublicDashboard, uuid)
	if err != nil {
		return nil, nil, err
	}
	d, err := a.loadDashboard(ctx, id, false)
	if err != nil {
		return nil, nil, err
	}
	if d.Archived {
		return nil, nil, sightline.Errorf(sightline.ENOTFOUND, "This public link does not exist or was revoked.")
	}
	g := &publicGrant{dashboard: d.ID, cards: map[int64]bool{}}
	for _, dc := range d.Cards {
		if dc.CardID != 0 {
			g.cards[dc.CardID] = true
		}
	}
	return d, g, nil
}

// PublicDashboard returns the dashboard shared by public link uuid.
// Click behaviors keep only links to the dashboard itself and to the
// questions on it, the only things a public link lets its visitor open.
func (a *App) PublicDashboard(ctx context.Context, uuid string) (*sightline.Dashboard, error) {
	d, g, err := a.publicDashboard(ctx, uuid)
	if err != nil {
		return nil, err
	}
	return onlyClicksWithin(d, func(kind string, id int64) bool {
		return kind == "dashboard" && id == d.ID || kind == "question" && g.cards[id]
	}), nil
}

// onlyClicksWithin returns d (which may be shared through the dashboard
// cache, and is never changed) with the click behaviors that link outside
// what visible allows removed (see visibleClicks).
func onlyClicksWithin(d *sightline.Dashboard, visible func(kind string, id int64) bool) *sightline.Dashboard {
	var out *sightline.Dashboard
	for i, dc := range d.Cards {
		viz, changed := visibleClicks(dc.VizSettings, visible)
		if !changed {
			continue
		}
		if out == nil {
			cp := *d
			cp.Cards = append([]sightline.DashboardCard(nil), d.Cards...)
			out = &cp
		}
		out.Cards[i].VizSettings = viz
	}
	if out == nil {
		return d
	}
	return out
}

// RunPublicDashcard runs one card of the dashboard shared by public link
// uuid with the given filter values, like RunDashcard, as an anonymous
// actor allowed exactly that dashboard and its questions.
func (a *App) RunPublicDashcard(ctx context.Context, uuid string, dashcardID, cardID int64, values []FilterValue, opts RunOptions) (*Result, error) {
	d, g, err := a.publicDashboard(ctx, uuid)
	if err != nil {
		return nil, err
	}
	return a.runDashcard(withPublicGrant(ctx, g), anonymous(), d.ID, dashcardID, cardID, values, a.cached(ctx, opts))
}

// refusals are the messages of a door that refuses sandboxed tables: for
// a table (%s is "the table NAME") and for SQL on a database with one.
type refusals struct{ table, native string }

var (
	publicRefusals = refusals{table: PublicSandboxMessage,
		native: "This public link's question is written in SQL on a database where some tables are sandboxed for some people. SQL could read those tables, and a public link has no signed-in person to filter their rows for, so it cannot run."}
	embedRefusals = refusals{table: EmbedSandboxMessage,
		native: "This embedded question is written in SQL on a database where some tables are sandboxed for some people, and none of the token's locked values filters it, so it is not shown. Lock a parameter wired to it in the token."}
)

// publicDoor is the data door's decision for a public link, and for a
// static embed's card that no locked value filters: the question was
// shared by an administrator, so its tables need no person's rights, but
// nothing filters a sandboxed table for the viewer, so any table that any
// group sees sandboxed is refused (with msgs), and SQL (which could read
// any table) is refused on a database that has one. Downloads carry up to
// MaxDownloadRows rows.
func (a *App) publicDoor(ctx context.Context, q *sightline.Query, md query.Metadata, msgs refusals) (*door, error) {
	s, err := a.permissionState(ctx)
	if err != nil {
		return nil, err
	}
	db := q.Database
	native := func() error {
		for _, dbs := range s.graph.Data {
			for _, t := range dbs[db].Tables {
				if dbs[db].View == access.ViewGranular && t == access.ViewSandboxed {
					return sightline.Errorf(sightline.EFORBIDDEN, "%s", msgs.native)
				}
			}
		}
		return nil
	}
	if q.Type == sightline.QueryTypeNative {
		if err := native(); err != nil {
			return nil, err
		}
	}
	return &door{maxRows: MaxDownloadRows, md: guardedMetadata{Metadata: md, card: func(c *sightline.Card) error {
		if c.Query != nil && c.Query.Type == sightline.QueryTypeNative {
			return native()
		}
		return nil
	}, check: func(t *sightline.Table) error {
		if s.graph.SandboxedByAny(db, t.ID) {
			return sightline.Errorf(sightline.EFORBIDDEN, msgs.table, "the table "+t.DisplayName)
		}
		return nil
	}}}, nil
}

// newUUID returns a random (version 4) UUID, the unguessable part of a
// public link.
func newUUID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", sightline.Internal(fmt.Errorf("public link: %w", err))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}

// DownloadPublicCard streams the results of the question shared by public
// link uuid like Download, with optional parameter values, checked and
// refused as RunPublicCard runs it; it returns the question for naming the
// file.
func (a *App) DownloadPublicCard(ctx context.Context, uuid string, params []sightline.Parameter, w RowWriter) (*sightline.Card, int, error) {
	c, err := a.PublicCard(ctx, uuid)
	if err != nil {
		return nil, 0, err
	}
	ctx = withPublicGrant(ctx, &publicGrant{cards: map[int64]bool{c.ID: true}})
	actor := anonymous()
	if err := a.checkParams(ctx, actor, c.Query, params); err != nil {
		return c, 0, err
	}
	q := *c.Query
	if len(params) > 0 {
		q.Parameters = append(append([]sightline.Parameter{}, q.Parameters...), params...)
	}
	n, err := a.Download(ctx, actor, &q, w)
	return c, n, err
}

// DownloadPublicDashcard streams the results of one card of the dashboard
// shared by public link uuid, filtered as RunPublicDashcard runs it. open
// receives the card's question (to name the file) and returns the writer.
func (a *App) DownloadPublicDashcard(ctx context.Context, uuid string, dashcardID, cardID int64, values []FilterValue, open func(*sightline.Card) RowWriter) (int, error) {
	d, g, err := a.publicDashboard(ctx, uuid)
	if err != nil {
		return 0, err
	}
	return a.DownloadDashcard(withPublicGrant(ctx, g), anonymous(), d.ID, dashcardID, cardID, values, open)
}
