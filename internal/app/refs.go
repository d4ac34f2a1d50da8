package app

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/query"
)

// This file is the one place where ids that arrive in a request (a path or
// a body) are resolved against the actor's rights: collections read
// (canReadCollection) and written (checkCollectionWrite), saved questions
// (cardVisible, refCard), and what a dashboard refers to: the questions its
// cards show, the collection a new question it carries is saved in, the
// tab a card sits on, the filter targets wired to a card
// (checkDashboardRefs, filterTarget). Every write of a dashboard goes
// through checkDashboardRefs, and every read or run of one through
// cardVisible, filterTarget and redactDashboard, so that a dashboard saved
// by someone with more rights never lets a viewer read or run a question
// they may not see. Tables and fields inside queries are resolved by the
// data door (guard), and saved questions used as sources by
// sourceCardCheck, which applies the same collection rule.

// CardRestrictedMessage is what a person sees in place of a dashboard
// card whose question they may not read, and the refusal when they run it.
const CardRestrictedMessage = "You don't have permission to see this card."

// canReadCollection reports whether the user may see items of a collection
// (0 is the root): view or curate access from any of their groups, or their
// own personal collection. A failure to load the permissions hides it.
func (a *App) canReadCollection(ctx context.Context, u *sightline.User, collectionID int64) bool {
	l, err := a.collectionLevel(ctx, u, collectionID)
	if err != nil {
		a.log.Error("load permissions", "err", err)
		return false
	}
	return l != access.CollectionNone
}

// checkCollectionWrite refuses saving into a collection the user may not
// curate; a personal collection is writable only by its owner.
func (a *App) checkCollectionWrite(ctx context.Context, u *sightline.User, collectionID int64) error {
	if u == nil {
		return sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	c := rootCollection()
	if collectionID != 0 {
		// Only the collection's id and personal owner, which never
		// changes, matter here: the cached copy will do.
		var err error
		if c, err = a.cachedCollection(ctx, collectionID); err != nil {
			return err
		}
	}
	return a.checkWriteLoaded(ctx, u, c)
}

// checkWriteLoaded is checkCollectionWrite for a collection already loaded
// (the root has id 0), so that listing many costs no query each.
func (a *App) checkWriteLoaded(ctx context.Context, u *sightline.User, c *sightline.Collection) error {
	if u == nil {
		return sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	if c.ID != 0 && c.PersonalOwnerID != 0 && c.PersonalOwnerID != u.ID && !u.IsAdmin {
		return notFoundErr("Collection")
	}
	collectionID := c.ID
	l, err := a.collectionLevel(ctx, u, collectionID)
	if err != nil {
		return err
	}
	switch l {
	case access.CollectionWrite:
		return nil
	case access.CollectionRead:
		return sightline.Errorf(sightline.EFORBIDDEN, "You can view this collection but not change what is in it.")
	}
	return notFoundErr("Collection")
}

// errCardRestricted refuses running a card whose question the actor may not
// read.
func errCardRestricted() error {
	return sightline.Errorf(sightline.EFORBIDDEN, CardRestrictedMessage)
}

// cardVisible reports whether the actor may read saved question c (it sits
// in a collection they may read). It consults only the cached permission
// state, so checking every card of a dashboard costs no app-database query.
func (a *App) cardVisible(ctx context.Context, actor *sightline.User, c *sightline.Card) bool {
	if c == nil || actor == nil {
		return false
	}
	if g := publicGrantOf(ctx); g != nil {
		return g.cards[c.ID]
	}
	return actor.IsAdmin || a.canReadCollection(ctx, actor, c.CollectionID)
}

// dashboardVisible reports whether the actor may open dashboard d (it sits
// in a collection they may read; other people's personal collections
// never are), from the cached permission state alone.
func (a *App) dashboardVisible(ctx context.Context, actor *sightline.User, d *sightline.Dashboard) bool {
	if d == nil || actor == nil {
		return false
	}
	if g := publicGrantOf(ctx); g != nil {
		return g.dashboard != 0 && g.dashboard == d.ID
	}
	return actor.IsAdmin || a.canReadCollection(ctx, actor, d.CollectionID)
}

// refCard resolves the id of a saved question named in a request: it must
// exist and the actor must be able to read it.
func (a *App) refCard(ctx context.Context, actor *sightline.User, id int64) (*sightline.Card, error) {
	c, err := a.content.Card(ctx, id)
	if sightline.ErrorCode(err) == sightline.ENOTFOUND {
		return nil, sightline.Errorf(sightline.ENOTFOUND, "Question %d does not exist.", id)
	}
	if err != nil {
		return nil, err
	}
	if !a.cardVisible(ctx, actor, c) {
		return nil, sightline.Errorf(sightline.EFORBIDDEN, "You don't have permission to see question %d, so it cannot be used here.", id)
	}
	return c, nil
}

// restrictedCard stands in for a question the viewer may not read: it keeps
// the id (so the card keeps its place) and says why, and carries neither
// the question's name, description nor query.
func restrictedCard(id int64) *sightline.Card {
	return &sightline.Card{ID: id, Name: CardRestrictedMessage, Display: "table", VizSettings: json.RawMessage("{}")}
}

// redactDashboard returns d as the actor may see it: each card whose
// question they may not read shows restrictedCard instead, without the
// dashboard's own settings of that card (they name the question's
// columns) or where filters are wired on it (its columns and variables);
// saving keeps both as they were (see keepUnreadable). d itself (which
// may be shared through the dashboard cache) is never changed.
func (a *App) redactDashboard(ctx context.Context, actor *sightline.User, d *sightline.Dashboard) *sightline.Dashboard {
	if actor != nil && actor.IsAdmin {
		return d
	}
	var out *sightline.Dashboard
	own := func() {
		if out == nil {
			cp := *d
			cp.Cards = append([]sightline.DashboardCard(nil), d.Cards...)
			out = &cp
		}
	}
	for i, dc := range d.Cards {
		if viz, changed := visibleClicks(dc.VizSettings, func(kind string, id int64) bool {
			return a.clickTargetVisible(ctx, actor, d, kind, id)
		}); changed {
			own()
			out.Cards[i].VizSettings = viz
		}
		if dc.CardID == 0 || dc.Card == nil || a.cardVisible(ctx, actor, dc.Card) {
			continue
		}
		own()
		out.Cards[i].Card = restrictedCard(dc.CardID)
		out.Cards[i].VizSettings = json.RawMessage("{}")
		out.Cards[i].Mappings = []sightline.ParameterMapping{}
	}
	if out == nil {
		return d
	}
	return out
}

// clickTargetVisible reports whether the actor may open the dashboard or
// question (kind "dashboard" or "question") a click behavior of d links
// to: it exists, is not archived, and the actor may read it.
func (a *App) clickTargetVisible(ctx context.Context, actor *sightline.User, d *sightline.Dashboard, kind string, id int64) bool {
	switch kind {
	case "dashboard":
		if id == d.ID {
			return true
		}
		t, err := a.loadDashboard(ctx, id, false)
		return err == nil && !t.Archived && a.dashboardVisible(ctx, actor, t)
	case "question":
		c, err := a.content.Card(ctx, id)
		return err == nil && !c.Archived && a.cardVisible(ctx, actor, c)
	}
	return false
}

// visibleClicks returns a dashcard's visualization settings without the
// click behaviors that link to a dashboard or question the reader may not
// open (visible says which they may), and whether it removed any. A
// removed behavior takes its target's id and the filters it sets with it:
// the click falls back to the ordinary drill menu, which does not offer
// the target. Settings that cannot be read lose every click behavior
// rather than pass through unchecked.
func visibleClicks(viz json.RawMessage, visible func(kind string, id int64) bool) (json.RawMessage, bool) {
	if len(viz) == 0 || !bytes.Contains(viz, []byte("click_behavior")) {
		return viz, false
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(viz, &m); err != nil {
		return json.RawMessage("{}"), true
	}
	hidden := func(raw json.RawMessage) bool {
		var cb clickBehavior
		if json.Unmarshal(raw, &cb) != nil {
			return true
		}
		if cb.Type != "link" || (cb.LinkType != "dashboard" && cb.LinkType != "question") {
			return false
		}
		kind, id, ok := clickLinkOf(cb)
		return !ok || !visible(kind, id)
	}
	changed := false
	if raw, ok := m["click_behavior"]; ok && hidden(raw) {
		delete(m, "click_behavior")
		changed = true
	}
	if raw, ok := m["column_settings"]; ok {
		var cols map[string]map[string]json.RawMessage
		if json.Unmarshal(raw, &cols) != nil {
			delete(m, "column_settings")
			changed = true
		} else {
			colsChanged := false
			for _, cs := range cols {
				if cb, ok := cs["click_behavior"]; ok && hidden(cb) {
					delete(cs, "click_behavior")
					colsChanged = true
				}
			}
			if colsChanged {
				b, err := json.Marshal(cols)
				if err != nil {
					delete(m, "column_settings")
				} else {
					m["column_settings"] = b
				}
				changed = true
			}
		}
	}
	if !changed {
		return viz, false
	}
	b, err := json.Marshal(m)
	if err != nil {
		return json.RawMessage("{}"), true
	}
	return b, true
}

// checkDashboardRefs resolves every id a dashboard being saved refers to,
// against the actor's rights. old is the stored dashboard when d replaces
// it, nil for a new one. A card whose question the actor may not read may
// stay where it already was (someone with more rights placed it; viewers
// who may not read it get restrictedCard), but may not be added. New
// questions carried by cards are checked like questions saved on their
// own (checkNewCard), in the collection they will be written to. A filter
// may be wired only to its card's own question, and only to a column or
// variable of it (see filterTarget). Ids that name nothing outside the request are neutralised
// rather than refused: a card's own id (saving replaces every card) and a
// tab the dashboard does not have (the card goes to the first tab, where
// the page already shows such a card). Likewise a click behavior linking
// to what the actor may not open stays where it was, sent back or left
// out (see hiddenClicks), but may not be added.
func (a *App) checkDashboardRefs(ctx context.Context, actor *sightline.User, d, old *sightline.Dashboard) error {
	if err := checkFilteringParameters(d); err != nil {
		return err
	}
	tabs := map[int64]bool{}
	for _, t := range d.Tabs {
		tabs[t.ID] = true
	}
	kept := map[int64]bool{}
	if old != nil {
		for _, dc := range old.Cards {
			if dc.CardID != 0 {
				kept[dc.CardID] = true
			}
		}
	}
	var hidden []map[string]json.RawMessage
	if old != nil && (actor == nil || !actor.IsAdmin) {
		a.keepUnreadable(ctx, actor, d, old)
		hidden = a.hiddenClicks(ctx, actor, d, old)
	}
	for i := range d.Cards {
		dc := &d.Cards[i]
		dc.ID = 0
		if dc.TabID != 0 && !tabs[dc.TabID] {
			dc.TabID = 0
			if len(d.Tabs) > 0 {
				dc.TabID = d.Tabs[0].ID
			}
		}
		q, err := a.checkDashcardQuestion(ctx, actor, d, dc, kept[dc.CardID])
		if err != nil {
			return err
		}
		for _, m := range dc.Mappings {
			if m.CardID != 0 && m.CardID != dc.CardID {
				return sightline.Errorf(sightline.EINVALID, "A filter of a card can only be wired to that card's own question, not to question %d.", m.CardID)
			}
			if len(m.Target) == 0 {
				continue
			}
			if q == nil {
				return sightline.Errorf(sightline.EINVALID, "A text card cannot be wired to a column.")
			}
			if _, err := a.filterTarget(ctx, q, m.Target); err != nil {
				return err
			}
		}
		var was map[string]json.RawMessage
		if hidden != nil {
			was = hidden[i]
		}
		if len(was) > 0 {
			// A link the actor never saw, sent back as it was, is not
			// theirs to check; one they changed is.
			dc.VizSettings = editClicks(dc.VizSettings, was, func(place string, cur json.RawMessage) json.RawMessage {
				if cur != nil && sameLink(cur, was[place]) {
					return nil
				}
				return cur
			})
		}
		if err := a.checkClickBehaviors(ctx, actor, d, dc.VizSettings); err != nil {
			return err
		}
		if len(was) > 0 {
			dc.VizSettings = editClicks(dc.VizSettings, was, func(place string, cur json.RawMessage) json.RawMessage {
				if cur == nil {
					return was[place]
				}
				return cur
			})
		}
	}
	return nil
}

// checkFilteringParameters refuses a filter limited by (linked to) a
// filter the dashboard does not have, or by itself.
func checkFilteringParameters(d *sightline.Dashboard) error {
	ids := map[string]bool{}
	for _, p := range d.Parameters {
		ids[p.ID] = true
	}
	for _, p := range d.Parameters {
		for _, id := range p.FilteringParameters {
			if id == p.ID {
				return sightline.Errorf(sightline.EINVALID, "The filter %q cannot limit its own choices.", p.Name)
			}
			if !ids[id] {
				return sightline.Errorf(sightline.EINVALID, "The filter %q is limited by the filter %q, which this dashboard does not have.", p.Name, id)
			}
		}
	}
	return nil
}

// keepUnreadable gives each card of d whose question the actor may not
// read the filter wiring and settings of its card in old (the k-th card of
// the same question, as hiddenClicks matches them): the actor read the
// dashboard without them (see redactDashboard), so what they send back in
// their place is not theirs to change. A further card of such a question,
// with no card in old to match, gets neither.
func (a *App) keepUnreadable(ctx context.Context, actor *sightline.User, d, old *sightline.Dashboard) {
	byCard := map[int64][]sightline.DashboardCard{}
	for _, dc := range old.Cards {
		if dc.CardID != 0 {
			byCard[dc.CardID] = append(byCard[dc.CardID], dc)
		}
	}
	seen := map[int64]int{}
	for i := range d.Cards {
		dc := &d.Cards[i]
		was := byCard[dc.CardID]
		if len(was) == 0 {
			continue
		}
		k := seen[dc.CardID]
		seen[dc.CardID]++
		if a.cardVisible(ctx, actor, was[0].Card) {
			continue
		}
		dc.VizSettings, dc.Mappings = json.RawMessage("{}"), nil
		if k < len(was) {
			dc.VizSettings, dc.Mappings = was[k].VizSettings, slices.Clone(was[k].Mappings)
		}
	}
}

// clickBehavior is what a click on a dashboard card's data does, in the
// vendor's keys of the card's visualization_settings ("click_behavior" for
// the whole card, column_settings[key].click_behavior for one column).
type clickBehavior struct {
	Type             string                  `json:"type"`
	LinkType         string                  `json:"linkType"`
	TargetID         json.RawMessage         `json:"targetId"`
	LinkTemplate     string                  `json:"linkTemplate"`
	ParameterMapping map[string]clickMapping `json:"parameterMapping"`
}

// clickMapping passes one clicked value (a column) or filter value (a
// parameter) into a filter of the target.
type clickMapping struct {
	Source struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"source"`
	Target struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"target"`
}

// clickBehaviors reads the click behaviors of a card's settings.
func clickBehaviors(settings json.RawMessage) ([]clickBehavior, error) {
	if len(settings) == 0 {
		return nil, nil
	}
	var vs struct {
		ClickBehavior  *clickBehavior `json:"click_behavior"`
		ColumnSettings map[string]struct {
			ClickBehavior *clickBehavior `json:"click_behavior"`
		} `json:"column_settings"`
	}
	if err := json.Unmarshal(settings, &vs); err != nil {
		return nil, sightline.Errorf(sightline.EINVALID, "A card's click behavior is not valid: %v.", err)
	}
	var out []clickBehavior
	if vs.ClickBehavior != nil {
		out = append(out, *vs.ClickBehavior)
	}
	for _, c := range vs.ColumnSettings {
		if c.ClickBehavior != nil {
			out = append(out, *c.ClickBehavior)
		}
	}
	return out, nil
}

// checkClickBehaviors resolves the ids of a dashboard card's click
// behaviors: a dashboard or question it links to must exist and be
// readable by the actor, a filter it sets must be one of the target
// dashboard's (of d itself for cross-filtering), and a URL template must
// be an http, https or same-site address, so that a click never runs
// script.
func (a *App) checkClickBehaviors(ctx context.Context, actor *sightline.User, d *sightline.Dashboard, settings json.RawMessage) error {
	cbs, err := clickBehaviors(settings)
	if err != nil {
		return err
	}
	for _, cb := range cbs {
		var params []sightline.DashboardParameter
		switch cb.Type {
		case "", "actionMenu":
			continue
		case "crossfilter":
			params = d.Parameters
		case "link":
			switch cb.LinkType {
			case "dashboard":
				id, err := clickTarget(cb.TargetID, "dashboard")
				if err != nil {
					return err
				}
				target := d
				if id != d.ID || d.ID == 0 {
					target, err = a.loadDashboard(ctx, id, false)
					if sightline.ErrorCode(err) == sightline.ENOTFOUND || err == nil && (target.Archived || !a.dashboardVisible(ctx, actor, target)) {
						return sightline.Errorf(sightline.EINVALID, "A click behavior links to dashboard %d, which does not exist or which you may not see.", id)
					}
					if err != nil {
						return err
					}
				}
				params = target.Parameters
			case "question":
				id, err := clickTarget(cb.TargetID, "question")
				if err != nil {
					return err
				}
				if _, err := a.refCard(ctx, actor, id); err != nil {
					return err
				}
				continue
			case "url":
				if !safeLinkTemplate(cb.LinkTemplate) {
					return sightline.Errorf(sightline.EINVALID, "A click behavior's URL must start with http://, https:// or /, not %q.", cb.LinkTemplate)
				}
				continue
			default:
				return sightline.Errorf(sightline.EINVALID, "Unknown click behavior link type %q: use dashboard, question or url.", cb.LinkType)
			}
		default:
			return sightline.Errorf(sightline.EINVALID, "Unknown click behavior %q: use link, crossfilter or actionMenu.", cb.Type)
		}
		for _, m := range cb.ParameterMapping {
			known := false
			for _, p := range params {
				known = known || p.ID == m.Target.ID
			}
			if !known {
				return sightline.Errorf(sightline.EINVALID, "A click behavior sets the filter %q, which its dashboard does not have.", m.Target.ID)
			}
		}
	}
	return nil
}

// clickLinkOf is the dashboard or question a click behavior links to.
func clickLinkOf(cb clickBehavior) (kind string, id int64, ok bool) {
	if cb.Type != "link" || (cb.LinkType != "dashboard" && cb.LinkType != "question") {
		return "", 0, false
	}
	id, err := clickTarget(cb.TargetID, cb.LinkType)
	return cb.LinkType, id, err == nil
}

// hiddenClicks are, for each card of d being saved over old, the click
// behaviors of its card in old (the k-th card of the same question) that
// link to a dashboard or question the actor may not open, by place: ""
// for the card's own, the column's key for a column's. The actor never
// saw them: dashboards are read without them (see visibleClicks).
func (a *App) hiddenClicks(ctx context.Context, actor *sightline.User, d, old *sightline.Dashboard) []map[string]json.RawMessage {
	byCard := map[int64][]json.RawMessage{}
	for _, dc := range old.Cards {
		byCard[dc.CardID] = append(byCard[dc.CardID], dc.VizSettings)
	}
	seen := map[int64]int{}
	out := make([]map[string]json.RawMessage, len(d.Cards))
	for i, dc := range d.Cards {
		k := seen[dc.CardID]
		seen[dc.CardID]++
		if k >= len(byCard[dc.CardID]) {
			continue
		}
		for place, raw := range clicksByPlace(byCard[dc.CardID][k]) {
			var cb clickBehavior
			if json.Unmarshal(raw, &cb) != nil {
				continue
			}
			if kind, id, ok := clickLinkOf(cb); ok && !a.clickTargetVisible(ctx, actor, old, kind, id) {
				if out[i] == nil {
					out[i] = map[string]json.RawMessage{}
				}
				out[i][place] = raw
			}
		}
	}
	return out
}

// clicksByPlace reads the click behaviors of a card's settings by place
// ("" for the card's own, a column's key for a column's).
func clicksByPlace(viz json.RawMessage) map[string]json.RawMessage {
	var vs struct {
		ClickBehavior  json.RawMessage `json:"click_behavior"`
		ColumnSettings map[string]struct {
			ClickBehavior json.RawMessage `json:"click_behavior"`
		} `json:"column_settings"`
	}
	out := map[string]json.RawMessage{}
	if len(viz) == 0 || json.Unmarshal(viz, &vs) != nil {
		return out
	}
	if len(vs.ClickBehavior) > 0 && string(vs.ClickBehavior) != "null" {
		out[""] = vs.ClickBehavior
	}
	for col, cs := range vs.ColumnSettings {
		if len(cs.ClickBehavior) > 0 && string(cs.ClickBehavior) != "null" {
			out[col] = cs.ClickBehavior
		}
	}
	return out
}

// sameLink reports whether two click behaviors link to the same
// dashboard or question.
func sameLink(a, b json.RawMessage) bool {
	var x, y clickBehavior
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xk, xi, xok := clickLinkOf(x)
	yk, yi, yok := clickLinkOf(y)
	return xok && yok && xk == yk && xi == yi
}

// editClicks changes the click behaviors of a card's settings at the
// given places: f gets a place's current behavior (nil for none) and
// returns the one it should have (nil for none). Settings that cannot be
// read are returned as they are (saving them is refused elsewhere).
func editClicks(viz json.RawMessage, places map[string]json.RawMessage, f func(place string, cur json.RawMessage) json.RawMessage) json.RawMessage {
	m := map[string]json.RawMessage{}
	if len(viz) > 0 && (json.Unmarshal(viz, &m) != nil || m == nil) {
		return viz
	}
	cols := map[string]map[string]json.RawMessage{}
	if raw, ok := m["column_settings"]; ok && (json.Unmarshal(raw, &cols) != nil || cols == nil) {
		return viz
	}
	columns := false
	for place := range places {
		if place == "" {
			if v := f("", m["click_behavior"]); v != nil {
				m["click_behavior"] = v
			} else {
				delete(m, "click_behavior")
			}
			continue
		}
		columns = true
		cs := cols[place]
		if v := f(place, cs["click_behavior"]); v != nil {
			if cs == nil {
				cs = map[string]json.RawMessage{}
				cols[place] = cs
			}
			cs["click_behavior"] = v
		} else if cs != nil {
			delete(cs, "click_behavior")
		}
	}
	if columns {
		b, err := json.Marshal(cols)
		if err != nil {
			return viz
		}
		m["column_settings"] = b
	}
	b, err := json.Marshal(m)
	if err != nil {
		return viz
	}
	return b
}

// clickTarget reads a click behavior's targetId (a number, or a string of
// digits).
func clickTarget(raw json.RawMessage, kind string) (int64, error) {
	s := strings.Trim(string(raw), `"`)
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, sightline.Errorf(sightline.EINVALID, "A click behavior that links to a %s needs its id as targetId.", kind)
	}
	return id, nil
}

// safeLinkTemplate reports whether a click behavior's URL template opens
// an http or https address or a path of this site: never javascript:,
// data: or a protocol-relative //host. A browser drops tabs and new lines
// anywhere in an address ("/\t/host" opens //host), so a template holding
// a control character is refused too.
func safeLinkTemplate(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	if strings.IndexFunc(t, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return false
	}
	switch {
	case strings.HasPrefix(t, "https://"), strings.HasPrefix(t, "http://"):
		host := t[strings.Index(t, "//")+2:]
		return host != "" && host[0] != '/'
	case strings.HasPrefix(t, "/"):
		return !strings.HasPrefix(t, "//") && !strings.HasPrefix(t, "/\\")
	}
	return false
}

// checkDashcardQuestion resolves the question a dashboard card shows (an
// existing one, or a new one it carries) and returns its query, nil for a
// text card.
func (a *App) checkDashcardQuestion(ctx context.Context, actor *sightline.User, d *sightline.Dashboard, dc *sightline.DashboardCard, kept bool) (*sightline.Query, error) {
	switch {
	case dc.CardID != 0:
		var c *sightline.Card
		var err error
		if kept {
			c, err = a.content.Card(ctx, dc.CardID)
		} else {
			c, err = a.refCard(ctx, actor, dc.CardID)
		}
		if err != nil {
			return nil, err
		}
		return c.Query, nil
	case dc.Card != nil && dc.Card.Query != nil:
		c := dc.Card
		if c.CollectionID == 0 {
			c.CollectionID = d.CollectionID
		}
		if err := a.checkNewCard(ctx, actor, c); err != nil {
			return nil, err
		}
		return c.Query, nil
	}
	return nil, nil
}

// filterTarget resolves a dashboard filter's target on the question it is
// wired to and returns the field it narrows (0 for a SQL variable or a
// column named rather than numbered). A target must be a column the
// question's query can reach (its source table, its joined tables, tables
// behind the saved questions it starts from, or a table one of their
// foreign keys points at, through that key), or a variable of its SQL.
func (a *App) filterTarget(ctx context.Context, q *sightline.Query, target json.RawMessage) (int64, error) {
	ref, err := a.targetRef(ctx, q, target)
	return ref.field, err
}

// targetRef is filterTarget with the whole resolution (see filterRef).
func (a *App) targetRef(ctx context.Context, q *sightline.Query, target json.RawMessage) (filterRef, error) {
	b, err := json.Marshal([]map[string]any{{"target": target}})
	if err != nil {
		return filterRef{}, sightline.Errorf(sightline.EINVALID, "A filter's target is not valid JSON.")
	}
	ps, err := sightline.ParseParameters(b)
	if err != nil {
		return filterRef{}, err
	}
	if len(ps) != 1 {
		return filterRef{}, sightline.Errorf(sightline.EINVALID, "A filter needs exactly one target.")
	}
	return a.resolveTarget(ctx, q, ps[0])
}

// filterRef is a resolved filter target: the field it narrows (0 for a SQL
// variable or a column named rather than numbered) and, for a column
// reached through a foreign key, the table the question itself does not
// read (nil otherwise).
type filterRef struct {
	field  int64
	beyond *sightline.Table
}

// resolveTarget is filterTarget for a target already parsed into p.
func (a *App) resolveTarget(ctx context.Context, q *sightline.Query, p sightline.Parameter) (filterRef, error) {
	if p.Tag != "" {
		if q.Native != nil {
			for _, tag := range q.Native.TemplateTags {
				if tag.Name == p.Tag {
					if tag.Type == sightline.TagDimension && tag.Dimension != nil {
						return filterRef{field: tag.Dimension.ID}, nil
					}
					return filterRef{}, nil
				}
			}
		}
		return filterRef{}, sightline.Errorf(sightline.EINVALID, "A filter is wired to the variable %q, which the question does not have.", p.Tag)
	}
	f := p.Field
	if f == nil || q.Structured == nil {
		return filterRef{}, sightline.Errorf(sightline.EINVALID, "A filter on a SQL question must be wired to one of its variables.")
	}
	if f.ID == 0 {
		return filterRef{}, nil
	}
	md, err := a.metadata(ctx, q.Database)
	if err != nil {
		return filterRef{}, err
	}
	refused := sightline.Errorf(sightline.EINVALID, "A filter can only be wired to a column of the question it filters; field %d is not one.", f.ID)
	field, err := md.Field(f.ID)
	if err != nil {
		return filterRef{}, refused
	}
	tables := map[int64]bool{}
	a.queryTables(ctx, md, q, tables, 0)
	switch {
	case f.SourceField == 0 && tables[field.TableID]:
		return filterRef{field: f.ID}, nil
	case f.SourceField != 0:
		fk, err := md.Field(f.SourceField)
		if err != nil || !tables[fk.TableID] || fk.FKTargetFieldID == 0 {
			return filterRef{}, refused
		}
		pk, err := md.Field(fk.FKTargetFieldID)
		if err != nil || pk.TableID != field.TableID {
			return filterRef{}, refused
		}
		ref := filterRef{field: f.ID}
		if !tables[field.TableID] {
			if ref.beyond, err = md.Table(field.TableID); err != nil {
				return filterRef{}, refused
			}
		}
		return ref, nil
	}
	return filterRef{}, refused
}

// checkParams resolves the filters a request adds to saved question q
// (parameter values sent to run or download it) as dashboard filters are:
// each must narrow a column of the question or set one of its variables,
// and one reaching another table through a foreign key needs the right to
// query that table (see checkBeyond).
func (a *App) checkParams(ctx context.Context, actor *sightline.User, q *sightline.Query, params []sightline.Parameter) error {
	for _, p := range params {
		ref, err := a.resolveTarget(ctx, q, p)
		if err != nil {
			return err
		}
		if err := a.checkBeyond(ctx, actor, q.Database, ref.beyond); err != nil {
			return err
		}
	}
	return nil
}

// checkBeyond decides whether the actor may use a filter that reaches
// table t of database db through a foreign key, beyond what the question
// reads: the question runs as a saved one, but the filter was wired by
// whoever saved the dashboard, so reaching a table the question does not
// read needs the right to query that table oneself.
func (a *App) checkBeyond(ctx context.Context, actor *sightline.User, db int64, t *sightline.Table) error {
	if t == nil || actor.IsAdmin {
		return nil
	}
	if publicGrantOf(ctx) != nil {
		// The door refuses the table itself if it is sandboxed.
		return nil
	}
	up, _, err := a.userPerms(ctx, actor)
	if err != nil {
		return err
	}
	if !up.CanBuildQueries(db) || up.AdHoc(db, t.ID) == access.ViewBlocked {
		return sightline.Errorf(sightline.EFORBIDDEN, "A filter here reads the table %s through a foreign key, and you may not query that table yourself.", t.DisplayName)
	}
	return nil
}

// maxSourceDepth bounds how deep queryTables follows saved questions used
// as sources (a question built on a question built on ...).
const maxSourceDepth = 8

// queryTables adds to out the tables a structured query reads: its source
// table, its joined tables, and those of the saved questions it starts
// from or joins.
func (a *App) queryTables(ctx context.Context, md query.Metadata, q *sightline.Query, out map[int64]bool, depth int) {
	a.queryTablesOf(ctx, md, q, out, depth, nil)
}

// queryTablesOf is queryTables following only the saved questions follow
// allows (all of them when follow is nil).
func (a *App) queryTablesOf(ctx context.Context, md query.Metadata, q *sightline.Query, out map[int64]bool, depth int, follow func(*sightline.Card) bool) {
	if q == nil || q.Structured == nil || depth > maxSourceDepth {
		return
	}
	s := q.Structured
	sources := []struct{ table, card int64 }{{s.SourceTable, s.SourceCard}}
	for _, j := range s.Joins {
		sources = append(sources, struct{ table, card int64 }{j.SourceTable, j.SourceCard})
	}
	for _, src := range sources {
		if src.table != 0 {
			out[src.table] = true
		}
		if src.card != 0 && a.content != nil {
			if c, err := a.content.Card(ctx, src.card); err == nil && c.Query != nil && c.Query.Database == q.Database && (follow == nil || follow(c)) {
				a.queryTablesOf(ctx, md, c.Query, out, depth+1, follow)
			}
		}
	}
}
