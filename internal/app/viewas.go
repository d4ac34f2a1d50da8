package app

import (
	"context"
	"sync"
	"time"

	"sightline"
)

// StartViewAs begins an administrator's read-only preview of the app as
// the user with userID, so that a setup of groups, permissions and
// sandboxes can be checked before the person sees it. It returns the user
// with their groups and attributes, which every later request computes its
// answers with, and records the start in the audit log.
func (a *App) StartViewAs(ctx context.Context, actor *sightline.User, userID int64) (*sightline.User, error) {
	u, err := a.ViewAs(ctx, actor, userID)
	if err != nil {
		return nil, err
	}
	a.audit(ctx, actor, "view-as-start", jsonDetail(map[string]any{"user_id": u.ID, "email": u.Email}))
	return u, nil
}

// ViewAs returns the user an administrator previews the app as, with their
// groups and attributes. It is asked again on every request of a preview,
// so a preview ends as soon as the actor stops being an administrator or
// the user is deactivated or made an administrator.
func (a *App) ViewAs(ctx context.Context, actor *sightline.User, userID int64) (*sightline.User, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	u, err := a.store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	switch {
	case !u.Active:
		return nil, sightline.Errorf(sightline.EINVALID, "%s is deactivated: reactivate them to view the app as them.", u.CommonName())
	case u.IsAdmin:
		// An administrator sees everything, so there is nothing to check,
		// and the preview would open the admin pages it keeps read-only.
		return nil, sightline.Errorf(sightline.EINVALID, "%s is an administrator and sees everything: view as someone without admin rights.", u.CommonName())
	}
	return u, nil
}

// StopViewAs records in the audit log that actor stopped previewing the
// app as target.
func (a *App) StopViewAs(ctx context.Context, actor, target *sightline.User) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	if target == nil {
		return nil
	}
	a.audit(ctx, actor, "view-as-stop", jsonDetail(map[string]any{"user_id": target.ID, "email": target.Email}))
	return nil
}

// AsPreview marks ctx as a "view as" preview: reads are computed for the
// previewed person, and nothing is recorded on their behalf (recently
// viewed items, for one).
func AsPreview(ctx context.Context) context.Context {
	return withFlag(ctx, flagPreview)
}

// recordView notes that actor opened an item, for their recently viewed
// list; a preview records nothing, nor does an API key (it has no list).
// The view is written in the background with the others of the last
// viewFlushEvery (see viewBatch), not while the request waits.
func (a *App) recordView(ctx context.Context, actor *sightline.User, model string, id int64) {
	if hasFlag(ctx, flagPreview) || actor.IsAPIKey() {
		return
	}
	v := viewKey{user: actor.ID, model: model, id: id}
	a.views.mu.Lock()
	if a.views.pending == nil {
		a.views.pending = map[viewKey]int{}
	}
	if _, ok := a.views.pending[v]; !ok {
		a.views.pending[v] = len(a.views.order)
		a.views.order = append(a.views.order, v)
	}
	start := !a.views.started
	a.views.started = true
	a.views.mu.Unlock()
	if start {
		a.Go(a.flushViewsEvery)
	}
}

// viewFlushEvery spaces the writes of recently viewed items.
const viewFlushEvery = time.Second

// viewBatch holds the views recorded since the last write, each once, in
// the order they were first seen.
type viewBatch struct {
	mu      sync.Mutex
	pending map[viewKey]int
	order   []viewKey
	started bool
	// flushMu makes one write at a time, so views are written in order.
	flushMu sync.Mutex
}

type viewKey struct {
	user  int64
	model string
	id    int64
}

// flushViewsEvery writes the pending views every viewFlushEvery until ctx
// ends, and then once more, so that a shutdown loses none.
func (a *App) flushViewsEvery(ctx context.Context) {
	t := time.NewTicker(viewFlushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			a.flushViews(ctx)
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			a.flushViews(fctx)
			cancel()
			return
		}
	}
}

// flushViews writes the pending views.
func (a *App) flushViews(ctx context.Context) {
	a.views.flushMu.Lock()
	defer a.views.flushMu.Unlock()
	a.views.mu.Lock()
	order := a.views.order
	a.views.pending, a.views.order = nil, nil
	a.views.mu.Unlock()
	for _, v := range order {
		if err := a.content.RecordView(ctx, v.user, v.model, v.id); err != nil {
			a.log.Warn("record view", "err", err)
		}
	}
}
