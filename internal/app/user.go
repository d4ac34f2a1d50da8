package app

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"sightline"
	"sightline/internal/access"
	"sightline/internal/auth"
	"sightline/internal/sandbox"
)

// NeedsSetup reports whether no user exists yet, in which case every page
// leads to /setup. Once false it stays false without asking the database.
func (a *App) NeedsSetup(ctx context.Context) (bool, error) {
	a.setupMu.Lock()
	defer a.setupMu.Unlock()
	if a.setupDone {
		return false, nil
	}
	n, err := a.store.CountUsers(ctx)
	if err != nil {
		return false, err
	}
	a.setupDone = n > 0
	return n == 0, nil
}

// SetupInput is the first-run form.
type SetupInput struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
	Password  string `json:"password"`
	SiteName  string `json:"site_name"`
}

// errSetUp refuses the first-run setup once someone exists.
var errSetUp = sightline.Errorf(sightline.EFORBIDDEN, "Sightline is already set up: sign in instead.")

// Setup creates the first administrator and the site name and signs the
// administrator in. It is refused once any user exists, before any other
// work: anyone may send it, so a refused one must cost no password hash.
func (a *App) Setup(ctx context.Context, in SetupInput) (token string, u *sightline.User, err error) {
	if need, err := a.NeedsSetup(ctx); err != nil {
		return "", nil, err
	} else if !need {
		return "", nil, errSetUp
	}
	u = &sightline.User{Email: sightline.NormalizeEmail(in.Email), FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName)}
	if err := u.Validate(); err != nil {
		return "", nil, err
	}
	if err := sightline.ValidatePassword(in.Password); err != nil {
		return "", nil, err
	}
	hash, err := a.hashPassword(ctx, in.Password)
	if err != nil {
		return "", nil, err
	}
	if err := a.store.CreateFirstAdmin(ctx, u, hash); err != nil {
		return "", nil, err
	}
	a.setupMu.Lock()
	a.setupDone = true
	a.setupMu.Unlock()
	// The site name is stored unless the environment fixes it.
	if name := strings.TrimSpace(in.SiteName); name != "" {
		if cur, err := a.settings.Get(ctx, sightline.SettingSiteName); err == nil && !cur.FromEnv {
			if _, err := a.settings.Set(ctx, map[string]string{sightline.SettingSiteName: name}); err != nil {
				a.log.Warn("store site name at setup", "err", err)
			}
		}
	}
	token, err = a.newSession(ctx, u, sightline.SignInPassword, "")
	return token, u, err
}

// EnsureAdmin creates the first administrator from the environment
// (SIGHTLINE_ADMIN_EMAIL and SIGHTLINE_ADMIN_PASSWORD) when no user exists.
func (a *App) EnsureAdmin(ctx context.Context, email, password string) error {
	need, err := a.NeedsSetup(ctx)
	if err != nil || !need {
		return err
	}
	_, _, err = a.Setup(ctx, SetupInput{Email: email, Password: password, FirstName: "Admin"})
	if sightline.ErrorCode(err) == sightline.EFORBIDDEN {
		return nil // another instance created it first
	}
	return err
}

// badSignIn is the one message for a wrong email or password, so that the
// answer does not reveal which accounts exist.
var badSignIn = sightline.Errorf(sightline.EUNAUTHORIZED, "That email and password did not match. Please try again.")

// SignIn checks an email and password and opens a session. Failures are
// throttled per (email, client address) pair and per client address, so
// guesses from one address never lock the account's owner out elsewhere.
func (a *App) SignIn(ctx context.Context, email, password, clientAddr string) (string, *sightline.User, error) {
	email = sightline.NormalizeEmail(email)
	if email == "" || password == "" {
		return "", nil, sightline.Errorf(sightline.EINVALID, "Enter your email and password.")
	}
	if wait, ok := a.throttle.Check(ctx, email, clientAddr); !ok {
		return "", nil, tooMany(wait.Seconds())
	}
	u, hash, err := a.store.UserByEmail(ctx, email)
	if sightline.ErrorCode(err) == sightline.ENOTFOUND {
		// An unknown email costs what a real check costs.
		if _, _, err := a.checkPassword(ctx, "", password); err != nil {
			return "", nil, err
		}
		a.throttle.Fail(ctx, email, clientAddr)
		return "", nil, badSignIn
	}
	if err != nil {
		return "", nil, err
	}
	ok, hashErr, err := a.checkPassword(ctx, hash, password)
	if err != nil {
		return "", nil, err
	}
	if hashErr != nil && hash != "" {
		a.log.Error("stored password hash unreadable", "user", u.ID, "err", hashErr)
	}
	if !ok || !u.Active {
		a.throttle.Fail(ctx, email, clientAddr)
		return "", nil, badSignIn
	}
	if !u.IsAdmin && !a.settings.Bool(ctx, sightline.SettingPasswordLoginEnabled) {
		return "", nil, sightline.Errorf(sightline.EFORBIDDEN, "Password sign-in is turned off. Please sign in with SSO.")
	}
	a.throttle.Reset(ctx, email, clientAddr)
	// A hash with older parameters is replaced by one with the current
	// parameters; the person's sessions stay.
	if auth.NeedsRehash(hash) {
		if h, err := a.hashPassword(ctx, password); err == nil {
			if err := a.store.UpdatePasswordHash(ctx, u.ID, h); err != nil {
				a.log.Warn("rehash password", "user", u.ID, "err", err)
			}
		}
	}
	token, err := a.newSession(ctx, u, sightline.SignInPassword, "")
	if err != nil {
		return "", nil, err
	}
	return token, u, nil
}

func tooMany(seconds float64) error {
	return sightline.Errorf(sightline.ETOOMANY, "Too many failed sign-in attempts. Try again in %d seconds.", int(seconds)+1)
}

// newSession opens a session and returns its token.
func (a *App) newSession(ctx context.Context, u *sightline.User, method, embed string) (string, error) {
	token, hash, err := auth.NewSessionToken()
	if err != nil {
		return "", sightline.Internal(err)
	}
	s := &sightline.Session{UserID: u.ID, Embed: embed}
	if err := a.store.CreateSession(ctx, s, hash, method); err != nil {
		return "", err
	}
	if err := a.store.RecordLogin(ctx, u.ID, a.now().UTC()); err != nil {
		a.log.Warn("record login", "user", u.ID, "err", err)
	}
	return token, nil
}

// SetSessionEmbed keeps an embedded session's UI options.
func (a *App) SetSessionEmbed(ctx context.Context, s *sightline.Session, embed string) error {
	if s.Embed == embed {
		return nil
	}
	s.Embed = embed
	a.forgetUserSessions(s.UserID)
	return a.store.SetSessionEmbed(ctx, s.ID, embed)
}

// SignOut ends the session of token.
func (a *App) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	key := auth.HashToken(token)
	defer a.forgetSession(key)
	return a.store.DeleteSession(ctx, key)
}

// NewUserInput is what an admin types to create a user.
type NewUserInput struct {
	FirstName  string            `json:"first_name"`
	LastName   string            `json:"last_name"`
	Email      string            `json:"email"`
	Password   string            `json:"password"`
	Admin      bool              `json:"is_superuser"`
	GroupIDs   []int64           `json:"group_ids"`
	Attributes map[string]string `json:"login_attributes"`
	// Memberships are groups as the reference API lists them, with
	// whether the person manages each; they join GroupIDs.
	Memberships []MembershipInput `json:"user_group_memberships"`
}

// CreateUser lets an administrator create a user with a password.
func (a *App) CreateUser(ctx context.Context, actor *sightline.User, in NewUserInput) (*sightline.User, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	managers, err := a.foldMemberships(ctx, &in)
	if err != nil {
		return nil, err
	}
	u := &sightline.User{Email: sightline.NormalizeEmail(in.Email), FirstName: strings.TrimSpace(in.FirstName),
		LastName: strings.TrimSpace(in.LastName), Attributes: in.Attributes}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := validAttributes(in.Attributes); err != nil {
		return nil, err
	}
	if len(in.GroupIDs) > 0 && a.permStore != nil {
		// The new person's groups must not sandbox a table two ways.
		policies, err := a.permStore.Sandboxes(ctx)
		if err != nil {
			return nil, err
		}
		adds := make([]access.Membership, len(in.GroupIDs))
		for i, g := range in.GroupIDs {
			adds[i] = access.Membership{GroupID: g, UserID: -1}
		}
		if err := a.checkSandboxConflicts(ctx, actor, policies, func(c sandbox.Conflict) bool { return c.UserID == -1 }, adds...); err != nil {
			return nil, err
		}
	}
	var hash string
	if in.Password != "" {
		if err := sightline.ValidatePassword(in.Password); err != nil {
			return nil, err
		}
		var err error
		if hash, err = a.hashPassword(ctx, in.Password); err != nil {
			return nil, err
		}
	}
	if err := a.store.CreateUser(ctx, u, hash, in.Admin); err != nil {
		return nil, err
	}
	if len(in.GroupIDs) > 0 {
		if err := a.store.SetUserGroups(ctx, u.ID, in.GroupIDs, nil); err != nil {
			return nil, err
		}
	}
	if len(managers) > 0 {
		set := make([]access.Membership, len(managers))
		for i, g := range managers {
			set[i] = access.Membership{GroupID: g, UserID: u.ID, Manager: true}
		}
		if err := a.permStore.SetMemberships(ctx, u.ID, set, nil); err != nil {
			return nil, err
		}
	}
	a.audit(ctx, actor, "user-create", jsonDetail(map[string]any{"user_id": u.ID, "email": u.Email, "admin": in.Admin,
		"group_ids": append([]int64{}, in.GroupIDs...), "manages": append([]int64{}, managers...)}))
	return a.store.UserByID(ctx, u.ID)
}

// SetUserActive deactivates or reactivates a user; deactivation ends their
// sessions.
func (a *App) SetUserActive(ctx context.Context, actor *sightline.User, id int64, active bool) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	defer a.forgetUserSessions(id)
	if err := a.store.SetUserActive(ctx, id, active); err != nil {
		return err
	}
	topic := "user-deactivate"
	if active {
		topic = "user-reactivate"
	}
	a.audit(ctx, actor, topic, jsonDetail(map[string]any{"user_id": id}))
	return nil
}

// User returns a user for an administrator, or the caller themself.
func (a *App) User(ctx context.Context, actor *sightline.User, id int64) (*sightline.User, error) {
	if actor == nil || (!actor.IsAdmin && actor.ID != id) {
		return nil, sightline.Errorf(sightline.ENOTFOUND, "User not found.")
	}
	return a.store.UserByID(ctx, id)
}

func jsonDetail(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// ListUsers returns users for an administrator or a group manager: status
// is "active" (the default), "deactivated" or "all"; query matches email
// and names. A group manager sees only the active members of the groups
// they manage, without their attributes or any other group, so that a
// manager of one customer's group cannot list another customer's people;
// the status filter is for administrators.
func (a *App) ListUsers(ctx context.Context, actor *sightline.User, query, status string) ([]*sightline.User, error) {
	managed, err := a.managedGroups(ctx, actor)
	if err != nil {
		return nil, err
	}
	if !actor.IsAdmin && status != "" && status != "active" {
		return nil, sightline.Errorf(sightline.EFORBIDDEN, "Only administrators can list deactivated people.")
	}
	users, err := a.store.ListUsers(ctx, query, status)
	if err != nil || actor.IsAdmin {
		return users, err
	}
	out := users[:0]
	for _, u := range users {
		u.LoginAttributes, u.Attributes = nil, nil
		u.Groups = slices.DeleteFunc(u.Groups, func(g sightline.Group) bool { return !slices.Contains(managed, g.ID) })
		if u.Active && len(u.Groups) > 0 {
			out = append(out, u)
		}
	}
	return out, nil
}

// Groups lists groups with member counts: every group for an
// administrator, the groups they manage for a group manager. Nobody else
// sees groups at all.
func (a *App) Groups(ctx context.Context, actor *sightline.User) ([]sightline.Group, error) {
	managed, err := a.managedGroups(ctx, actor)
	if err != nil {
		return nil, err
	}
	groups, err := a.store.Groups(ctx)
	if err != nil || actor.IsAdmin {
		return groups, err
	}
	return slices.DeleteFunc(groups, func(g sightline.Group) bool { return !slices.Contains(managed, g.ID) }), nil
}

// managedGroups returns the groups a group manager manages; it refuses
// anyone who is neither an administrator nor a group manager.
func (a *App) managedGroups(ctx context.Context, actor *sightline.User) ([]int64, error) {
	if actor == nil {
		return nil, sightline.Errorf(sightline.EUNAUTHORIZED, "Please sign in.")
	}
	if actor.IsAdmin {
		return nil, nil
	}
	if a.permStore != nil {
		managed, err := a.permStore.ManagedGroups(ctx, actor.ID)
		if err != nil {
			return nil, err
		}
		if len(managed) > 0 {
			return managed, nil
		}
	}
	return nil, sightline.Errorf(sightline.EFORBIDDEN, "Only administrators can do that.")
}

// UserEdit is what an administrator may change of a person: names, email
// and the hand-set attributes (nil keeps them; an empty map clears them).
type UserEdit struct {
	FirstName  *string           `json:"first_name"`
	LastName   *string           `json:"last_name"`
	Email      *string           `json:"email"`
	Attributes map[string]string `json:"login_attributes"`
}

// Limits on hand-set attributes.
const (
	maxAttributes   = 50
	maxAttributeKey = 100
)

// validAttributes checks hand-set attributes.
func validAttributes(m map[string]string) error {
	if len(m) > maxAttributes {
		return sightline.Errorf(sightline.EINVALID, "A person can have at most %d attributes.", maxAttributes)
	}
	for k := range m {
		switch {
		case strings.TrimSpace(k) == "":
			return sightline.Errorf(sightline.EINVALID, "Every attribute needs a name.")
		case k != strings.TrimSpace(k):
			return sightline.Errorf(sightline.EINVALID, "The attribute name %q starts or ends with spaces.", k)
		case len(k) > maxAttributeKey:
			return sightline.Errorf(sightline.EINVALID, "The attribute name %.20q… is longer than %d characters.", k, maxAttributeKey)
		}
	}
	return nil
}

// UpdateUser lets an administrator change a person's names, email and
// hand-set attributes (a hand-set attribute wins over the same one from a
// sign-in token).
func (a *App) UpdateUser(ctx context.Context, actor *sightline.User, id int64, e UserEdit) (*sightline.User, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	u, err := a.store.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	before := *u
	if e.FirstName != nil {
		u.FirstName = strings.TrimSpace(*e.FirstName)
	}
	if e.LastName != nil {
		u.LastName = strings.TrimSpace(*e.LastName)
	}
	if e.Email != nil {
		u.Email = sightline.NormalizeEmail(*e.Email)
	}
	if e.Attributes != nil {
		if err := validAttributes(e.Attributes); err != nil {
			return nil, err
		}
		u.Attributes = e.Attributes
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if unchanged(&before, u) {
		return u, nil
	}
	defer a.forgetUserSessions(id)
	if err := a.store.UpdateUser(ctx, u); err != nil {
		return nil, err
	}
	keys := slices.Sorted(maps.Keys(u.Attributes))
	a.audit(ctx, actor, "user-update", jsonDetail(map[string]any{"user_id": id, "email": u.Email, "attributes": keys}))
	return a.store.UserByID(ctx, id)
}

// ResetPassword lets an administrator set a new password for a person;
// every session of theirs ends.
func (a *App) ResetPassword(ctx context.Context, actor *sightline.User, id int64, password string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	if err := sightline.ValidatePassword(password); err != nil {
		return err
	}
	hash, err := a.hashPassword(ctx, password)
	if err != nil {
		return err
	}
	defer a.forgetUserSessions(id)
	if err := a.store.SetPassword(ctx, id, hash); err != nil {
		return err
	}
	a.audit(ctx, actor, "user-password-reset", jsonDetail(map[string]any{"user_id": id}))
	return nil
}
