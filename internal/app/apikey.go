package app

import (
	"context"
	"errors"
	"strings"

	"sightline"
	"sightline/internal/auth"
)

// APIKeyStore keeps API keys: only the hash of each secret and its prefix.
type APIKeyStore interface {
	CreateAPIKey(ctx context.Context, k *sightline.APIKey, keyHash string) error
	APIKeys(ctx context.Context) ([]*sightline.APIKey, error)
	APIKey(ctx context.Context, id int64) (*sightline.APIKey, error)
	APIKeyByHash(ctx context.Context, keyHash string) (*sightline.APIKey, error)
	UpdateAPIKey(ctx context.Context, k *sightline.APIKey) error
	SetAPIKeySecret(ctx context.Context, id int64, keyHash, prefix string, by int64) error
	DeleteAPIKey(ctx context.Context, id int64) error
}

// APIKeyUpdate is a change to an API key; nil fields stay as they are.
type APIKeyUpdate struct {
	Name    *string
	GroupID *int64
}

// keyStore returns the API key store, or an internal error when none is
// configured.
func (a *App) keyStore() (APIKeyStore, error) {
	if a.keys == nil {
		return nil, sightline.Internal(errors.New("no api key store configured"))
	}
	return a.keys, nil
}

// AuthenticateAPIKey returns the stand-in user a request made with secret
// acts as: a member of the key's group and of All Users, an administrator
// only when that group is Administrators, with no attributes (so a
// sandboxed group's key is refused rows, never given all of them). An
// unknown key is EUNAUTHORIZED.
func (a *App) AuthenticateAPIKey(ctx context.Context, secret string) (*sightline.User, error) {
	secret = strings.TrimSpace(secret)
	if secret == "" || a.keys == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "This API key is not valid.")
	}
	k, err := a.keys.APIKeyByHash(ctx, auth.HashToken(secret))
	if err != nil {
		return nil, err
	}
	return keyUser(k), nil
}

// keyUser is the stand-in user of key k.
func keyUser(k *sightline.APIKey) *sightline.User {
	u := &sightline.User{
		APIKeyID:        k.ID,
		FirstName:       k.Name,
		Email:           "api-key-" + k.Prefix + "@api-key.invalid",
		Active:          true,
		IsAdmin:         k.GroupID == sightline.AdminGroupID,
		CreatedAt:       k.CreatedAt,
		LoginAttributes: map[string]string{},
		Attributes:      map[string]string{},
		Groups:          []sightline.Group{{ID: sightline.AllUsersGroupID, Name: "All Users"}},
	}
	if k.GroupID != sightline.AllUsersGroupID {
		u.Groups = append(u.Groups, sightline.Group{ID: k.GroupID, Name: k.GroupName})
	}
	return u
}

// APIKeys lists every API key to an administrator (prefixes only).
func (a *App) APIKeys(ctx context.Context, actor *sightline.User) ([]*sightline.APIKey, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	ks, err := a.keyStore()
	if err != nil {
		return nil, err
	}
	return ks.APIKeys(ctx)
}

// CreateAPIKey makes a key in a group for an administrator and returns it
// with its secret, which is shown this once and never stored.
func (a *App) CreateAPIKey(ctx context.Context, actor *sightline.User, name string, groupID int64) (*sightline.APIKey, string, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, "", err
	}
	ks, err := a.keyStore()
	if err != nil {
		return nil, "", err
	}
	k := &sightline.APIKey{Name: name, GroupID: groupID, CreatorID: actor.ID, UpdatedBy: actor.ID}
	if err := k.Validate(); err != nil {
		return nil, "", err
	}
	secret, hash, prefix, err := auth.NewAPIKey()
	if err != nil {
		return nil, "", err
	}
	k.Prefix = prefix
	if err := ks.CreateAPIKey(ctx, k, hash); err != nil {
		return nil, "", err
	}
	a.audit(ctx, actor, "api-key-create", jsonDetail(map[string]any{"api_key_id": k.ID, "name": k.Name, "group_id": k.GroupID, "prefix": k.Prefix}))
	k, err = ks.APIKey(ctx, k.ID)
	return k, secret, err
}

// UpdateAPIKey renames a key or moves it to another group, for an
// administrator; requests made with it get the new group's rights at once.
func (a *App) UpdateAPIKey(ctx context.Context, actor *sightline.User, id int64, in APIKeyUpdate) (*sightline.APIKey, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	ks, err := a.keyStore()
	if err != nil {
		return nil, err
	}
	k, err := ks.APIKey(ctx, id)
	if err != nil {
		return nil, err
	}
	before := map[string]any{"name": k.Name, "group_id": k.GroupID}
	if in.Name != nil {
		k.Name = *in.Name
	}
	if in.GroupID != nil {
		k.GroupID = *in.GroupID
	}
	if err := k.Validate(); err != nil {
		return nil, err
	}
	if unchanged(before, map[string]any{"name": k.Name, "group_id": k.GroupID}) {
		return k, nil
	}
	k.UpdatedBy = actor.ID
	if err := ks.UpdateAPIKey(ctx, k); err != nil {
		return nil, err
	}
	a.audit(ctx, actor, "api-key-update", jsonDetail(map[string]any{"api_key_id": k.ID, "before": before,
		"after": map[string]any{"name": k.Name, "group_id": k.GroupID}}))
	return ks.APIKey(ctx, id)
}

// RegenerateAPIKey gives a key a new secret for an administrator: the old
// one stops working at once. The new secret is returned this once.
func (a *App) RegenerateAPIKey(ctx context.Context, actor *sightline.User, id int64) (*sightline.APIKey, string, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, "", err
	}
	ks, err := a.keyStore()
	if err != nil {
		return nil, "", err
	}
	secret, hash, prefix, err := auth.NewAPIKey()
	if err != nil {
		return nil, "", err
	}
	if err := ks.SetAPIKeySecret(ctx, id, hash, prefix, actor.ID); err != nil {
		return nil, "", err
	}
	k, err := ks.APIKey(ctx, id)
	if err != nil {
		return nil, "", err
	}
	a.audit(ctx, actor, "api-key-regenerate", jsonDetail(map[string]any{"api_key_id": k.ID, "name": k.Name, "prefix": k.Prefix}))
	return k, secret, nil
}

// DeleteAPIKey deletes a key for an administrator; it stops working at once.
func (a *App) DeleteAPIKey(ctx context.Context, actor *sightline.User, id int64) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	ks, err := a.keyStore()
	if err != nil {
		return err
	}
	k, err := ks.APIKey(ctx, id)
	if err != nil {
		return err
	}
	if err := ks.DeleteAPIKey(ctx, id); err != nil {
		return err
	}
	a.audit(ctx, actor, "api-key-delete", jsonDetail(map[string]any{"api_key_id": k.ID, "name": k.Name, "group_id": k.GroupID}))
	return nil
}
