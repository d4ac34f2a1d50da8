package app

import (
	"context"

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
func (a *App) recordView(ctx context.Context, actor *sightline.User, model string, id int64) {
	if hasFlag(ctx, flagPreview) || actor.IsAPIKey() {
		return
	}
	if err := a.content.RecordView(ctx, actor.ID, model, id); err != nil {
		a.log.Warn("record view", "err", err)
	}
}
