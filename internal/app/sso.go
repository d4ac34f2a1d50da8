package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"sightline"
	"sightline/internal/auth"
	"sightline/internal/embed"
)

// embedMarker starts the Embed field of every embedded session. The options
// that follow it are in embed.Options.Encode form, which is "" for the
// defaults, so the marker is what tells an embedded session with default
// options from an ordinary one. embed.DecodeOptions ignores the unknown key.
const embedMarker = "embedded=1"

// EncodeEmbed returns the Embed field of an embedded session with options o.
func EncodeEmbed(o embed.Options) string {
	if enc := o.Encode(); enc != "" {
		return embedMarker + "&" + enc
	}
	return embedMarker
}

// DecodeEmbed reads a session's Embed field: the UI options and whether the
// session is an embedded one at all.
func DecodeEmbed(s string) (embed.Options, bool) {
	if s != embedMarker && !strings.HasPrefix(s, embedMarker+"&") {
		return embed.DefaultOptions(), false
	}
	return embed.DecodeOptions(strings.TrimPrefix(s, embedMarker)), true
}

// embedFromReturnTo reads the UI options from the query of a return_to
// value, including the "/question/1?a=1?logo=false" form.
func embedFromReturnTo(returnTo string) string {
	returnTo, _, _ = strings.Cut(returnTo, "#")
	_, query, _ := strings.Cut(returnTo, "?")
	o, _ := embed.ParseOptions(query)
	return EncodeEmbed(o)
}

// ssoConfig is the JWT settings one sign-in needs, read once.
type ssoConfig struct {
	secret       string
	siteURL      string
	names        auth.ClaimNames
	provisioning bool
	groupSync    bool
	mappings     string
	// allowAdmin lets a token sign in to an administrator account.
	allowAdmin bool
	// requireGroup refuses, with group sync on, a token naming no group.
	requireGroup bool
	// maxLifetime is the longest lifetime a token may claim.
	maxLifetime time.Duration
}

// ssoNotConfigured is the error while JWT SSO is off or has no secret.
var ssoNotConfigured = sightline.Errorf(sightline.EINVALID, "SSO has not been enabled and/or configured")

func (a *App) ssoConfig(ctx context.Context) (ssoConfig, error) {
	st := a.settings
	c := ssoConfig{secret: st.String(ctx, sightline.SettingJWTSharedSecret)}
	if !st.Bool(ctx, sightline.SettingJWTEnabled) || c.secret == "" {
		return ssoConfig{}, ssoNotConfigured
	}
	c.siteURL = st.String(ctx, sightline.SettingSiteURL)
	c.names = auth.ClaimNames{
		Email:     st.String(ctx, sightline.SettingJWTAttrEmail),
		FirstName: st.String(ctx, sightline.SettingJWTAttrFirstName),
		LastName:  st.String(ctx, sightline.SettingJWTAttrLastName),
		Groups:    st.String(ctx, sightline.SettingJWTAttrGroups),
	}
	c.provisioning = st.Bool(ctx, sightline.SettingJWTUserProvisioning)
	c.groupSync = st.Bool(ctx, sightline.SettingJWTGroupSync)
	if c.groupSync {
		c.mappings = st.String(ctx, sightline.SettingJWTGroupMappings)
	}
	c.allowAdmin = st.Bool(ctx, sightline.SettingJWTAllowAdminSignIn)
	c.requireGroup = c.groupSync && st.Bool(ctx, sightline.SettingJWTRequireGroup)
	c.maxLifetime = auth.DefaultMaxLifetime
	if n, err := strconv.Atoi(st.String(ctx, sightline.SettingJWTMaxTokenLifetime)); err == nil && n > 0 {
		c.maxLifetime = time.Duration(n) * time.Second
	}
	return c, nil
}

// SSOEnabled reports whether JWT sign-in is on and has a shared secret.
func (a *App) SSOEnabled(ctx context.Context) bool {
	return a.settings.Bool(ctx, sightline.SettingJWTEnabled) && a.settings.String(ctx, sightline.SettingJWTSharedSecret) != ""
}

// SSOIdentityProvider returns where people who need to sign in are sent
// when JWT sign-in is enabled, or "" when it is not (or has no URI).
func (a *App) SSOIdentityProvider(ctx context.Context) string {
	if !a.SSOEnabled(ctx) {
		return ""
	}
	return a.settings.String(ctx, sightline.SettingJWTIdentityProvider)
}

// SignInSSO signs a person in with a JWT from the host application, as the
// embedding contract describes, and returns the new session's token and the
// checked place to go next.
//
// The token is verified with the UTF-8 bytes of the shared secret (HS256,
// exp, iat age, the jwt-max-token-lifetime setting) and its jti, when it has
// one, signs in only once. The user is found by email (surrounding spaces and
// the case of A-Z ignored, nothing else folded), or created (never as an
// administrator) when provisioning is on; a token naming an administrator is
// refused (see adminSignIn); names are updated only
// when the token has them; the other claims replace the user's token
// attributes, which stay apart from the hand-set ones. When group sync is on
// and the token has a groups claim, memberships follow auth.PlanGroupSync.
// The session remembers the UI-hiding options found in return_to's query.
//
// Errors: not enabled or no secret, a missing email and an unsafe return_to
// are EINVALID; a bad or expired token, an unknown user without provisioning
// and a deactivated user without provisioning are EUNAUTHORIZED; a reused
// jti is EUNAUTHORIZED; an administrator account, and with jwt-require-group
// a token naming no mapped group, are EFORBIDDEN.
func (a *App) SignInSSO(ctx context.Context, token, returnTo string) (session, next string, err error) {
	cfg, err := a.ssoConfig(ctx)
	if err != nil {
		return "", "", err
	}
	claims, err := auth.VerifyJWT(token, []byte(cfg.secret), a.now(), cfg.maxLifetime)
	if err != nil {
		return "", "", err
	}
	id, warnings, err := auth.IdentityFromClaims(claims, cfg.names)
	if err != nil {
		return "", "", err
	}
	for _, w := range warnings {
		a.log.Warn("JWT sign-in", "email", id.Email, "warning", w)
	}
	next, err = auth.SafeReturnTo(returnTo, cfg.siteURL)
	if err != nil {
		return "", "", err
	}
	if err := a.useTokenID(ctx, claims); err != nil {
		return "", "", err
	}
	var mappings map[string][]int64
	if cfg.groupSync {
		if mappings, err = auth.ParseGroupMappings(cfg.mappings); err != nil {
			// Fail closed: a broken mapping must not leave people in groups
			// the token no longer names.
			return "", "", sightline.Errorf(sightline.EINVALID, "The JWT group mappings setting is invalid; ask an administrator to fix it. %s", sightline.ErrorMessage(err))
		}
	}
	if cfg.requireGroup {
		if err := a.requireGroup(ctx, id, mappings); err != nil {
			return "", "", err
		}
	}
	u, err := a.ssoUser(ctx, cfg, id, mappings)
	if err != nil {
		return "", "", err
	}
	if cfg.groupSync && id.GroupsPresent {
		if err := a.syncGroups(ctx, u, id.Groups, mappings); err != nil {
			return "", "", err
		}
	}
	session, hash, err := auth.NewSessionToken()
	if err != nil {
		return "", "", err
	}
	s := &sightline.Session{UserID: u.ID, Embed: embedFromReturnTo(next)}
	if err := a.store.CreateSession(ctx, s, hash, sightline.SignInJWT); err != nil {
		return "", "", err
	}
	return session, next, nil
}

// useTokenID records the token's jti so that the same token cannot sign
// anyone in again on any instance sharing the app database; a token seen
// before is EUNAUTHORIZED. Tokens without jti are bounded by their lifetime
// alone.
func (a *App) useTokenID(ctx context.Context, claims map[string]any) error {
	digest, until, ok, err := auth.TokenID(claims)
	if err != nil || !ok {
		return err
	}
	err = a.store.UseTokenID(ctx, digest, until)
	if sightline.ErrorCode(err) == sightline.ECONFLICT {
		return sightline.Errorf(sightline.EUNAUTHORIZED, "JWT token has been used already (its jti was seen before); sign a new token for every sign-in")
	}
	return err
}

// requireGroup refuses a token that names no group group sync would put the
// person in (the jwt-require-group setting), before anyone is created or
// changed.
func (a *App) requireGroup(ctx context.Context, id auth.Identity, mappings map[string][]int64) error {
	byName, err := a.store.GroupIDsByName(ctx)
	if err != nil {
		return err
	}
	if id.GroupsPresent && auth.NamesAGroup(id.Groups, mappings, byName) {
		return nil
	}
	return sightline.Errorf(sightline.EFORBIDDEN,
		"Your sign-in token names no group that %s knows, so you cannot sign in. Ask the administrator of the application you came from to give your account a group.",
		a.settings.String(ctx, sightline.SettingApplicationName))
}

// ssoUser finds or creates the user the token names and records the sign-in.
// An administrator account is refused (see adminSignIn) before anything about
// it changes.
func (a *App) ssoUser(ctx context.Context, cfg ssoConfig, id auth.Identity, mappings map[string][]int64) (*sightline.User, error) {
	u, _, err := a.store.UserByEmail(ctx, id.Email)
	if sightline.ErrorCode(err) == sightline.ENOTFOUND {
		if !cfg.provisioning {
			return nil, sightline.Errorf(sightline.EUNAUTHORIZED,
				"You need an account in %s before you can sign in with SSO. Ask an administrator to create one for %s.",
				a.settings.String(ctx, sightline.SettingApplicationName), id.Email)
		}
		u, err = a.createSSOUser(ctx, id)
		if sightline.ErrorCode(err) == sightline.ECONFLICT {
			// Another sign-in of the same person created it first.
			u, _, err = a.store.UserByEmail(ctx, id.Email)
		}
	}
	if err != nil {
		return nil, err
	}
	if err := adminSignIn(cfg, u, id, mappings); err != nil {
		a.log.Warn("JWT sign-in refused for an administrator account", "user_id", u.ID)
		return nil, err
	}
	if !u.Active && !cfg.provisioning {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Your account has been deactivated. Ask an administrator to reactivate it.")
	}
	defer a.forgetUserSessions(u.ID)
	if err := a.store.UpdateSSOUser(ctx, u.ID, id.FirstName, id.LastName, id.Attributes, a.now().UTC()); err != nil {
		return nil, err
	}
	u.Active, u.SSOSource, u.LoginAttributes = true, sightline.SignInJWT, id.Attributes
	if id.FirstName != nil {
		u.FirstName = *id.FirstName
	}
	if id.LastName != nil {
		u.LastName = *id.LastName
	}
	return u, nil
}

// adminSignIn refuses a token that names an administrator account, unless
// the jwt-allow-admin-sign-in setting allows it or group sync is on and the
// token names a group an administrator explicitly mapped to Administrators.
// Whoever holds the shared secret can sign any email, so without this a
// leaked secret, or a host app that lets people choose their email, would
// hand over the whole instance.
func adminSignIn(cfg ssoConfig, u *sightline.User, id auth.Identity, mappings map[string][]int64) error {
	if !u.IsAdmin || cfg.allowAdmin {
		return nil
	}
	if cfg.groupSync && id.GroupsPresent && auth.GrantsAdmin(id.Groups, mappings) {
		return nil
	}
	return sightline.Errorf(sightline.EFORBIDDEN,
		"%s belongs to an administrator, and administrators may not sign in with SSO. Sign in with your password, or ask an administrator to allow it (setting %s).",
		u.Email, sightline.SettingJWTAllowAdminSignIn)
}

// createSSOUser creates a user on their first JWT sign-in; the audit log
// records it with the user as the actor.
func (a *App) createSSOUser(ctx context.Context, id auth.Identity) (*sightline.User, error) {
	u := &sightline.User{Email: sightline.NormalizeEmail(id.Email), SSOSource: sightline.SignInJWT, LoginAttributes: id.Attributes}
	if id.FirstName != nil {
		u.FirstName = *id.FirstName
	}
	if id.LastName != nil {
		u.LastName = *id.LastName
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := a.store.CreateUser(ctx, u, "", false); err != nil {
		return nil, err
	}
	u.Groups = []sightline.Group{{ID: sightline.AllUsersGroupID, Name: "All Users"}}
	a.audit(ctx, u, "user-create-sso", jsonDetail(map[string]any{"user_id": u.ID, "email": u.Email, "source": sightline.SignInJWT}))
	return u, nil
}

// syncGroups applies the token's groups to u's memberships.
func (a *App) syncGroups(ctx context.Context, u *sightline.User, tokenGroups []string, mappings map[string][]int64) error {
	byName, err := a.store.GroupIDsByName(ctx)
	if err != nil {
		return err
	}
	current := make([]int64, len(u.Groups))
	for i, g := range u.Groups {
		current[i] = g.ID
	}
	admins := 0
	if u.IsAdmin {
		if admins, err = a.store.CountActiveAdmins(ctx); err != nil {
			return err
		}
	}
	add, remove := auth.PlanGroupSync(current, tokenGroups, mappings, byName, u.IsAdmin, admins)
	if len(add) == 0 && len(remove) == 0 {
		return nil
	}
	defer a.forgetUserSessions(u.ID)
	return a.store.SetUserGroups(ctx, u.ID, add, remove)
}

// jwtSecretBytes is the entropy of a generated JWT shared secret.
const jwtSecretBytes = 32

// GenerateJWTSecret makes a new shared secret (32 random bytes as 64
// lower-case hex characters), stores it and returns it so the administrator
// can copy it once. The previous secret stops working at once.
func (a *App) GenerateJWTSecret(ctx context.Context, actor *sightline.User) (string, error) {
	if err := requireAdmin(actor); err != nil {
		return "", err
	}
	b := make([]byte, jwtSecretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", sightline.Internal(fmt.Errorf("generate JWT secret: %w", err))
	}
	key := hex.EncodeToString(b)
	if err := a.UpdateSettings(ctx, actor, map[string]string{sightline.SettingJWTSharedSecret: key}); err != nil {
		return "", err
	}
	return key, nil
}
