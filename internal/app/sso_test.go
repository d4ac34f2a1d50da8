package app

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"

	"sightline"
	"sightline/internal/appdb"
	"sightline/internal/embed"
	"sightline/internal/testdb"
)

const testSecret = "3f1c0a9be2d74c5e8a6b1d0f9e8c7b6a5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a"

// auditSpy is the app database with the audit log recorded in memory.
type auditSpy struct {
	*appdb.DB
	mu     sync.Mutex
	topics []string
}

func (s *auditSpy) Audit(ctx context.Context, userID int64, topic, detail string) error {
	s.mu.Lock()
	s.topics = append(s.topics, topic)
	s.mu.Unlock()
	return s.DB.Audit(ctx, userID, topic, detail)
}

func (s *auditSpy) count(topic string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, t := range s.topics {
		if t == topic {
			n++
		}
	}
	return n
}

// ssoEnv is an app with JWT SSO enabled over a real app database.
type ssoEnv struct {
	t     testing.TB
	app   *App
	db    *appdb.DB
	spy   *auditSpy
	admin *sightline.User
}

func newSSOEnv(t testing.TB, o appdb.Options) *ssoEnv {
	t.Helper()
	ctx := context.Background()
	db, err := appdb.Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	spy := &auditSpy{DB: db}
	a := New(Options{Store: spy, Meta: db, Content: db})
	t.Cleanup(func() { a.Close() })
	_, admin, err := a.Setup(ctx, SetupInput{Email: "admin@example.com", Password: "admin password", FirstName: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	e := &ssoEnv{t: t, app: a, db: db, spy: spy, admin: admin}
	e.set(map[string]string{sightline.SettingJWTEnabled: "true", sightline.SettingJWTSharedSecret: testSecret,
		sightline.SettingSiteURL: "https://bi.example.com"})
	return e
}

// eachAppDB runs fn over an SSO-enabled app on SQLite and on PostgreSQL.
func eachAppDB(t *testing.T, fn func(t *testing.T, e *ssoEnv)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, newSSOEnv(t, appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")}))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, newSSOEnv(t, appdb.Options{URL: testdb.Postgres(t).URL}))
	})
}

func (e *ssoEnv) set(kv map[string]string) {
	e.t.Helper()
	if err := e.app.UpdateSettings(context.Background(), e.admin, kv); err != nil {
		e.t.Fatalf("UpdateSettings(%v): %v", kv, err)
	}
}

// token signs claims with HS256 and the test secret, adding an exp ten
// minutes ahead unless the claims set exp themselves.
func token(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	if _, ok := claims["exp"]; !ok {
		claims["exp"] = time.Now().Add(10 * time.Minute).Unix()
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// signIn signs in with claims and returns the user the session belongs to.
func (e *ssoEnv) signIn(claims jwt.MapClaims, returnTo string) (*sightline.User, *sightline.Session, string) {
	e.t.Helper()
	ctx := context.Background()
	tok, next, err := e.app.SignInSSO(ctx, token(e.t, claims), returnTo)
	if err != nil {
		e.t.Fatalf("SignInSSO(%v, %q): %v", claims, returnTo, err)
	}
	s, u, err := e.app.Authenticate(ctx, tok)
	if err != nil {
		e.t.Fatalf("Authenticate(new SSO session): %v", err)
	}
	return u, s, next
}

func (e *ssoEnv) group(name string) int64 {
	e.t.Helper()
	g := &sightline.Group{Name: name}
	if err := e.db.CreateGroup(context.Background(), g); err != nil {
		e.t.Fatal(err)
	}
	return g.ID
}

func groupIDs(u *sightline.User) []int64 {
	var out []int64
	for _, g := range u.Groups {
		out = append(out, g.ID)
	}
	return out
}

func (e *ssoEnv) userCount() int {
	e.t.Helper()
	n, err := e.db.CountUsers(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestSignInSSOFindOrCreate(t *testing.T) {
	eachAppDB(t, func(t *testing.T, e *ssoEnv) {
		u, _, next := e.signIn(jwt.MapClaims{"email": "Rene@Acme.example", "first_name": "Rene", "last_name": "Mercier"}, "")
		if next != "/" {
			t.Errorf("SignInSSO(no return_to) next = %q, want /", next)
		}
		if u.Email != "rene@acme.example" || u.FirstName != "Rene" || u.LastName != "Mercier" || u.IsAdmin ||
			u.SSOSource != sightline.SignInJWT || u.LastLogin.IsZero() {
			t.Errorf("created user = %+v, want rene@acme.example, Rene Mercier, not admin, sso jwt, a last login", u)
		}
		if got := e.spy.count("user-create-sso"); got != 1 {
			t.Errorf("audit entries for the created user = %d, want 1", got)
		}
		// Upper case matches the same user; missing names keep the stored ones.
		again, _, _ := e.signIn(jwt.MapClaims{"email": "RENE@ACME.EXAMPLE"}, "")
		if again.ID != u.ID || again.FirstName != "Rene" || again.LastName != "Mercier" {
			t.Errorf("second sign-in user = %d %q %q, want %d Rene Mercier", again.ID, again.FirstName, again.LastName, u.ID)
		}
		// A present name replaces the stored one; a blank one does not.
		renamed, _, _ := e.signIn(jwt.MapClaims{"email": "rene@acme.example", "first_name": "René", "last_name": " "}, "")
		if renamed.FirstName != "René" || renamed.LastName != "Mercier" {
			t.Errorf("names after a rename = %q %q, want René Mercier", renamed.FirstName, renamed.LastName)
		}
		if n := e.userCount(); n != 2 {
			t.Errorf("users = %d, want the admin and one SSO user", n)
		}
		if got := e.spy.count("user-create-sso"); got != 1 {
			t.Errorf("audit entries after later sign-ins = %d, want still 1", got)
		}
	})
}

func TestSignInSSOAttributes(t *testing.T) {
	eachAppDB(t, func(t *testing.T, e *ssoEnv) {
		ctx := context.Background()
		claims := jwt.MapClaims{
			"email": "rene@acme.example", "first_name": "Rene", "groups": []string{"x"},
			"account_id": 28, "plan": "pro", "beta": true, "ratio": 2.5, "big": 9007199254740993,
			"tags": []string{"a"}, "nested": map[string]any{"k": 1}, "nothing": nil,
			"iat": time.Now().Unix(), "iss": "host", "sub": "42", "aud": "bi", "nbf": time.Now().Unix() - 5, "jti": "j1",
			"@internal": "x",
		}
		u, _, _ := e.signIn(claims, "")
		want := map[string]string{"account_id": "28", "plan": "pro", "beta": "true", "ratio": "2.5", "big": "9007199254740993"}
		if diff := cmp.Diff(want, u.LoginAttributes); diff != "" {
			t.Errorf("token attributes (-want +got):\n%s", diff)
		}
		// Hand-set attributes stay apart and win.
		u.Attributes = map[string]string{"account_id": "99"}
		if err := e.db.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		u, _, _ = e.signIn(jwt.MapClaims{"email": "rene@acme.example", "account_id": 30}, "")
		if diff := cmp.Diff(map[string]string{"account_id": "30"}, u.LoginAttributes); diff != "" {
			t.Errorf("token attributes after a second token (-want +got):\n%s", diff)
		}
		if got := u.EffectiveAttributes()["account_id"]; got != "99" {
			t.Errorf("effective account_id = %q, want the hand-set 99", got)
		}
	})
}

func TestSignInSSOGroupSync(t *testing.T) {
	eachAppDB(t, func(t *testing.T, e *ssoEnv) {
		ctx := context.Background()
		acme, globex, staff := e.group("Customer Acme"), e.group("Customer Globex"), e.group("Staff")
		e.set(map[string]string{sightline.SettingJWTGroupSync: "true",
			sightline.SettingJWTGroupMappings: `{"Customer-Acme": [` + itoa(acme) + `], "Customer-Globex": [` + itoa(globex) + `]}`})
		u, _, _ := e.signIn(jwt.MapClaims{"email": "rene@acme.example"}, "")
		if err := e.db.SetUserGroups(ctx, u.ID, []int64{staff}, nil); err != nil {
			t.Fatal(err)
		}
		all := int64(sightline.AllUsersGroupID)
		steps := []struct {
			name   string
			groups any // nil: no groups claim
			want   []int64
		}{
			{"mapped group added, unmapped kept", []string{"Customer-Acme", "Unknown"}, []int64{all, acme, staff}},
			{"case-insensitive name, other mapped group removed", []string{"customer-globex"}, []int64{all, globex, staff}},
			{"no groups claim leaves memberships alone", nil, []int64{all, globex, staff}},
			{"a single string counts as a list", "Customer-Acme", []int64{all, acme, staff}},
			{"an empty list removes every mapped group", []string{}, []int64{all, staff}},
		}
		for _, st := range steps {
			claims := jwt.MapClaims{"email": "rene@acme.example"}
			if st.groups != nil {
				claims["groups"] = st.groups
			}
			got, _, _ := e.signIn(claims, "")
			if diff := cmp.Diff(st.want, groupIDs(got)); diff != "" {
				t.Errorf("%s: groups (-want +got):\n%s", st.name, diff)
			}
		}

		// Without mappings, names match group names and every group except
		// All Users is managed by the token.
		e.set(map[string]string{sightline.SettingJWTGroupMappings: ""})
		got, _, _ := e.signIn(jwt.MapClaims{"email": "rene@acme.example", "groups": []string{"Customer Acme", "All Users"}}, "")
		if diff := cmp.Diff([]int64{all, acme}, groupIDs(got)); diff != "" {
			t.Errorf("by name: groups (-want +got):\n%s", diff)
		}
		got, _, _ = e.signIn(jwt.MapClaims{"email": "rene@acme.example", "groups": []string{}}, "")
		if diff := cmp.Diff([]int64{all}, groupIDs(got)); diff != "" {
			t.Errorf("by name, no groups: (-want +got):\n%s", diff)
		}

		// Sync off: the claim is ignored.
		e.set(map[string]string{sightline.SettingJWTGroupSync: "false"})
		got, _, _ = e.signIn(jwt.MapClaims{"email": "rene@acme.example", "groups": []string{"Staff"}}, "")
		if diff := cmp.Diff([]int64{all}, groupIDs(got)); diff != "" {
			t.Errorf("sync off: groups (-want +got):\n%s", diff)
		}
	})
}

func TestSignInSSOLastAdmin(t *testing.T) {
	eachAppDB(t, func(t *testing.T, e *ssoEnv) {
		acme := e.group("Customer Acme")
		e.set(map[string]string{sightline.SettingJWTGroupSync: "true", sightline.SettingJWTAllowAdminSignIn: "true"})
		admin := int64(sightline.AdminGroupID)
		all := int64(sightline.AllUsersGroupID)
		// The only administrator keeps Administrators although the token
		// (matched by name, without mappings) does not name it.
		got, _, _ := e.signIn(jwt.MapClaims{"email": "ADMIN@example.com", "groups": []string{"Customer Acme"}}, "")
		if diff := cmp.Diff([]int64{all, admin, acme}, groupIDs(got)); diff != "" {
			t.Errorf("last admin: groups (-want +got):\n%s", diff)
		}
		// With a second administrator, the token decides.
		if _, err := e.app.CreateUser(context.Background(), e.admin, NewUserInput{Email: "second@example.com", Admin: true}); err != nil {
			t.Fatal(err)
		}
		got, _, _ = e.signIn(jwt.MapClaims{"email": "admin@example.com", "groups": []string{"Customer Acme"}}, "")
		if diff := cmp.Diff([]int64{all, acme}, groupIDs(got)); diff != "" {
			t.Errorf("one of two admins: groups (-want +got):\n%s", diff)
		}
	})
}

// TestSignInSSOAdminAccount checks that a token naming an administrator's
// email, however it is spelt, is refused and changes nothing, unless the
// setting allows it or an explicit mapping the token names grants
// Administrators.
func TestSignInSSOAdminAccount(t *testing.T) {
	eachAppDB(t, func(t *testing.T, e *ssoEnv) {
		ctx := context.Background()
		acme := e.group("Customer Acme")
		e.set(map[string]string{sightline.SettingJWTGroupSync: "true"})
		for _, email := range []string{"admin@example.com", "ADMIN@Example.COM", "  admin@example.com  "} {
			_, _, err := e.app.SignInSSO(ctx, token(t, jwt.MapClaims{"email": email, "groups": []string{"Customer Acme"}, "account_id": 1}), "/")
			if sightline.ErrorCode(err) != sightline.EFORBIDDEN || !strings.Contains(sightline.ErrorMessage(err), "administrators may not sign in with SSO") {
				t.Errorf("SignInSSO(%q) = %v, want forbidden: administrators may not sign in with SSO", email, err)
			}
		}
		got, _, err := e.db.UserByEmail(ctx, "admin@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{sightline.AllUsersGroupID, sightline.AdminGroupID}, groupIDs(got)); diff != "" || len(got.LoginAttributes) != 0 {
			t.Errorf("admin after refused sign-ins: groups (-want +got):\n%s attributes %v; want both unchanged", diff, got.LoginAttributes)
		}

		// An explicit mapping to Administrators that the token names lets
		// the administrator in.
		e.set(map[string]string{sightline.SettingJWTGroupMappings: `{"Admins": [2], "Customer-Acme": [` + itoa(acme) + `]}`})
		u, _, _ := e.signIn(jwt.MapClaims{"email": "admin@example.com", "groups": []string{"Admins"}}, "")
		if !u.IsAdmin {
			t.Errorf("admin signed in through an explicit Administrators mapping: IsAdmin = false, want true")
		}
		if _, _, err := e.app.SignInSSO(ctx, token(t, jwt.MapClaims{"email": "admin@example.com", "groups": []string{"Customer-Acme"}}), "/"); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
			t.Errorf("SignInSSO(admin, token without the Administrators mapping) = %v, want forbidden", err)
		}

		// The setting allows it.
		e.set(map[string]string{sightline.SettingJWTAllowAdminSignIn: "true", sightline.SettingJWTGroupMappings: ""})
		u, _, _ = e.signIn(jwt.MapClaims{"email": "ADMIN@example.com"}, "")
		if u.ID != e.admin.ID || !u.IsAdmin {
			t.Errorf("SignInSSO(admin, allowed) user = %d admin %v, want %d admin", u.ID, u.IsAdmin, e.admin.ID)
		}
	})
}

// TestSignInSSONeverGrantsAdminByName checks that group sync makes an
// administrator only through an explicit mapping, never by matching the
// name of the Administrators group.
func TestSignInSSONeverGrantsAdminByName(t *testing.T) {
	eachAppDB(t, func(t *testing.T, e *ssoEnv) {
		e.set(map[string]string{sightline.SettingJWTGroupSync: "true"})
		for _, name := range []string{"Administrators", "administrators", "ADMINISTRATORS"} {
			u, _, _ := e.signIn(jwt.MapClaims{"email": "mallory@acme.example", "groups": []string{name, "All Users"}}, "")
			if u.IsAdmin || slices.Contains(groupIDs(u), sightline.AdminGroupID) {
				t.Errorf("SignInSSO(groups [%q], no mappings) made an administrator: groups %v", name, groupIDs(u))
			}
		}
		e.set(map[string]string{sightline.SettingJWTGroupMappings: `{"Admins": [2]}`})
		u, _, _ := e.signIn(jwt.MapClaims{"email": "mallory@acme.example", "groups": []string{"Administrators"}}, "")
		if u.IsAdmin {
			t.Errorf("SignInSSO(groups [Administrators], unrelated mapping) made an administrator")
		}
		u, _, _ = e.signIn(jwt.MapClaims{"email": "boss@acme.example", "groups": []string{"Admins"}}, "")
		if !u.IsAdmin {
			t.Errorf("SignInSSO(groups [Admins], mapped to Administrators) IsAdmin = false, want true")
		}
	})
}

// TestSignInSSOEmailKelvinSign checks that an address spelt with a Kelvin
// sign (U+212A) is another person's, not kate's.
func TestSignInSSOEmailKelvinSign(t *testing.T) {
	eachAppDB(t, func(t *testing.T, e *ssoEnv) {
		kate, _, _ := e.signIn(jwt.MapClaims{"email": "kate@example.com", "account_id": 1}, "")
		other, _, _ := e.signIn(jwt.MapClaims{"email": "\u212Aate@example.com", "account_id": 2}, "")
		if other.ID == kate.ID || other.Email != "\u212Aate@example.com" {
			t.Errorf("Kelvin sign sign-in = user %d %q, want a new user (kate is %d)", other.ID, other.Email, kate.ID)
		}
		again, _, _ := e.signIn(jwt.MapClaims{"email": "  KATE@example.com "}, "")
		if again.ID != kate.ID || again.LoginAttributes["account_id"] != "" {
			t.Errorf("ASCII case and spaces: user %d attributes %v, want kate (%d) with the new token's attributes", again.ID, again.LoginAttributes, kate.ID)
		}
	})
}

// TestSignInSSOReplay checks the bounds on replaying a token: a jti signs
// in once, on every instance sharing the app database, and a token may not
// claim a lifetime longer than the setting.
func TestSignInSSOReplay(t *testing.T) {
	eachAppDB(t, func(t *testing.T, e *ssoEnv) {
		ctx := context.Background()
		tok := token(t, jwt.MapClaims{"email": "rene@acme.example", "jti": "c0ffee"})
		if _, _, err := e.app.SignInSSO(ctx, tok, "/"); err != nil {
			t.Fatalf("SignInSSO(first use of a jti) = %v", err)
		}
		_, _, err := e.app.SignInSSO(ctx, tok, "/")
		if sightline.ErrorCode(err) != sightline.EUNAUTHORIZED || !strings.Contains(sightline.ErrorMessage(err), "has been used already") {
			t.Errorf("SignInSSO(same token again) = %v, want unauthorized: has been used already", err)
		}
		// Another instance over the same app database refuses it too.
		other := New(Options{Store: e.db, Meta: e.db, Content: e.db})
		t.Cleanup(func() { other.Close() })
		if _, _, err := other.SignInSSO(ctx, tok, "/"); sightline.ErrorCode(err) != sightline.EUNAUTHORIZED {
			t.Errorf("SignInSSO(same token, another instance) = %v, want unauthorized", err)
		}
		// Another jti, or none, signs in.
		e.signIn(jwt.MapClaims{"email": "rene@acme.example", "jti": "c0ffee2"}, "")
		e.signIn(jwt.MapClaims{"email": "rene@acme.example"}, "")
		e.signIn(jwt.MapClaims{"email": "rene@acme.example"}, "")

		far := token(t, jwt.MapClaims{"email": "rene@acme.example", "exp": time.Now().Add(365 * 24 * time.Hour).Unix()})
		_, _, err = e.app.SignInSSO(ctx, far, "/")
		if sightline.ErrorCode(err) != sightline.EUNAUTHORIZED || !strings.Contains(sightline.ErrorMessage(err), "lives too long") {
			t.Errorf("SignInSSO(exp a year ahead) = %v, want unauthorized: lives too long", err)
		}
		e.set(map[string]string{sightline.SettingJWTMaxTokenLifetime: "60"})
		_, _, err = e.app.SignInSSO(ctx, token(t, jwt.MapClaims{"email": "rene@acme.example"}), "/")
		if sightline.ErrorCode(err) != sightline.EUNAUTHORIZED || !strings.Contains(sightline.ErrorMessage(err), "within 60 seconds") {
			t.Errorf("SignInSSO(10-minute token, 60 s lifetime) = %v, want unauthorized: within 60 seconds", err)
		}
	})
}

// TestSignInSSORequireGroup checks the jwt-require-group setting: with group
// sync on, a token naming no mapped group is refused before anyone is
// created or changed.
func TestSignInSSORequireGroup(t *testing.T) {
	eachAppDB(t, func(t *testing.T, e *ssoEnv) {
		ctx := context.Background()
		acme := e.group("Customer Acme")
		e.set(map[string]string{sightline.SettingJWTGroupSync: "true", sightline.SettingJWTRequireGroup: "true",
			sightline.SettingJWTGroupMappings: `{"Customer-Acme": [` + itoa(acme) + `]}`})
		u, _, _ := e.signIn(jwt.MapClaims{"email": "ann@acme.example", "groups": []string{"Customer-Acme"}, "account_id": 28}, "")
		for name, groups := range map[string]any{"missing": nil, "empty": []string{}, "unmapped": []string{"Customer-Nobody"}} {
			claims := jwt.MapClaims{"email": "ann@acme.example", "account_id": 13}
			if groups != nil {
				claims["groups"] = groups
			}
			_, _, err := e.app.SignInSSO(ctx, token(t, claims), "/")
			if sightline.ErrorCode(err) != sightline.EFORBIDDEN || !strings.Contains(sightline.ErrorMessage(err), "names no group") {
				t.Errorf("SignInSSO(groups %s) = %v, want forbidden: names no group", name, err)
			}
		}
		got, _, err := e.db.UserByEmail(ctx, "ann@acme.example")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(groupIDs(u), groupIDs(got)); diff != "" || got.LoginAttributes["account_id"] != "28" {
			t.Errorf("after refused sign-ins: groups (-want +got):\n%s account_id %q; want both unchanged", diff, got.LoginAttributes["account_id"])
		}
		if _, _, err := e.app.SignInSSO(ctx, token(t, jwt.MapClaims{"email": "new@acme.example", "groups": []string{}}), "/"); err == nil {
			t.Errorf("SignInSSO(new person, no group) = nil, want refused")
		}
		if n := e.userCount(); n != 2 {
			t.Errorf("users = %d, want the admin and Ann only", n)
		}
		// Off (the default): the same token signs in.
		e.set(map[string]string{sightline.SettingJWTRequireGroup: "false"})
		e.signIn(jwt.MapClaims{"email": "ann@acme.example", "groups": []string{}}, "")
	})
}

func TestSignInSSOProvisioning(t *testing.T) {
	eachAppDB(t, func(t *testing.T, e *ssoEnv) {
		ctx := context.Background()
		e.set(map[string]string{sightline.SettingJWTUserProvisioning: "false"})
		_, _, err := e.app.SignInSSO(ctx, token(t, jwt.MapClaims{"email": "new@acme.example"}), "/")
		if sightline.ErrorCode(err) != sightline.EUNAUTHORIZED || !strings.Contains(sightline.ErrorMessage(err), "You need an account") {
			t.Errorf("SignInSSO(unknown user, provisioning off) = %v, want unauthorized saying you need an account", err)
		}
		if n := e.userCount(); n != 1 {
			t.Errorf("users = %d, want only the admin", n)
		}

		// A deactivated user stays out while provisioning is off ...
		u, err := e.app.CreateUser(ctx, e.admin, NewUserInput{Email: "cora@globex.example", FirstName: "Cora"})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.app.SetUserActive(ctx, e.admin, u.ID, false); err != nil {
			t.Fatal(err)
		}
		_, _, err = e.app.SignInSSO(ctx, token(t, jwt.MapClaims{"email": "cora@globex.example"}), "/")
		if sightline.ErrorCode(err) != sightline.EUNAUTHORIZED {
			t.Errorf("SignInSSO(deactivated, provisioning off) = %v, want unauthorized", err)
		}
		// ... and is reactivated once it is on.
		e.set(map[string]string{sightline.SettingJWTUserProvisioning: "true"})
		got, _, _ := e.signIn(jwt.MapClaims{"email": "cora@globex.example"}, "/")
		if got.ID != u.ID || !got.Active || got.FirstName != "Cora" {
			t.Errorf("reactivated user = %+v, want %d active Cora", got, u.ID)
		}
	})
}

func TestSignInSSOReturnTo(t *testing.T) {
	eachAppDB(t, func(t *testing.T, e *ssoEnv) {
		hidden := embed.DefaultOptions()
		hidden.Logo, hidden.TopNav = false, false
		logoOff := embed.DefaultOptions()
		logoOff.Logo = false
		tests := []struct {
			returnTo, want string
			opts           embed.Options
		}{
			{"", "/", embed.DefaultOptions()},
			{"/dashboard/1", "/dashboard/1", embed.DefaultOptions()},
			{"/dashboard/1?logo=false&top_nav=false", "/dashboard/1?logo=false&top_nav=false", hidden},
			{"/question/1?a=1?logo=false", "/question/1?a=1?logo=false", logoOff},
			{"https://bi.example.com/collection/root?logo=false", "https://bi.example.com/collection/root?logo=false", logoOff},
		}
		for _, tt := range tests {
			t.Run(tt.returnTo, func(t *testing.T) {
				_, s, next := e.signIn(jwt.MapClaims{"email": "rene@acme.example"}, tt.returnTo)
				if next != tt.want {
					t.Errorf("SignInSSO(return_to %q) next = %q, want %q", tt.returnTo, next, tt.want)
				}
				opts, embedded := DecodeEmbed(s.Embed)
				if !embedded || opts != tt.opts {
					t.Errorf("session Embed %q = %+v, %v; want %+v, embedded", s.Embed, opts, embedded, tt.opts)
				}
			})
		}
	})
}

func TestSignInSSOErrors(t *testing.T) {
	eachAppDB(t, func(t *testing.T, e *ssoEnv) {
		ctx := context.Background()
		wrongKey, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"email": "rene@acme.example",
			"exp": time.Now().Add(time.Minute).Unix()}).SignedString([]byte("another key"))
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, token, returnTo string
			code, msg             string
		}{
			{"wrong key", wrongKey, "/", sightline.EUNAUTHORIZED, "signature is invalid"},
			{"expired", token(t, jwt.MapClaims{"email": "rene@acme.example", "exp": time.Now().Add(-time.Minute).Unix()}), "/",
				sightline.EUNAUTHORIZED, "expired"},
			{"missing email", token(t, jwt.MapClaims{"first_name": "Rene"}), "/", sightline.EINVALID, "JWT token missing email claim"},
			{"other host", token(t, jwt.MapClaims{"email": "rene@acme.example"}), "https://evil.example/", sightline.EINVALID, "Invalid redirect URL"},
			{"scheme-relative", token(t, jwt.MapClaims{"email": "rene@acme.example"}), "//evil.example", sightline.EINVALID, "Invalid redirect URL"},
			{"empty host", token(t, jwt.MapClaims{"email": "rene@acme.example"}), "https:///evil.example", sightline.EINVALID, "Invalid redirect URL"},
			{"javascript", token(t, jwt.MapClaims{"email": "rene@acme.example"}), "javascript:alert(1)", sightline.EINVALID, "Invalid redirect URL"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, _, err := e.app.SignInSSO(ctx, tt.token, tt.returnTo)
				if sightline.ErrorCode(err) != tt.code || !strings.Contains(sightline.ErrorMessage(err), tt.msg) {
					t.Errorf("SignInSSO(%s) = %v, want %s containing %q", tt.name, err, tt.code, tt.msg)
				}
			})
		}
		if n := e.userCount(); n != 1 {
			t.Errorf("users after refused sign-ins = %d, want only the admin", n)
		}

		e.set(map[string]string{sightline.SettingJWTEnabled: "false"})
		_, _, err = e.app.SignInSSO(ctx, token(t, jwt.MapClaims{"email": "rene@acme.example"}), "/")
		if sightline.ErrorCode(err) != sightline.EINVALID || sightline.ErrorMessage(err) != "SSO has not been enabled and/or configured" {
			t.Errorf("SignInSSO(disabled) = %v, want the not-configured error", err)
		}
		e.set(map[string]string{sightline.SettingJWTEnabled: "true", sightline.SettingJWTSharedSecret: ""})
		if _, _, err = e.app.SignInSSO(ctx, token(t, jwt.MapClaims{"email": "rene@acme.example"}), "/"); sightline.ErrorCode(err) != sightline.EINVALID {
			t.Errorf("SignInSSO(no secret) = %v, want invalid", err)
		}
	})
}

func TestGenerateJWTSecret(t *testing.T) {
	e := newSSOEnv(t, appdb.Options{Path: filepath.Join(t.TempDir(), "app.db")})
	ctx := context.Background()
	key, err := e.app.GenerateJWTSecret(ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != 64 || strings.Trim(key, "0123456789abcdef") != "" {
		t.Errorf("GenerateJWTSecret() = %q, want 64 lower-case hex characters", key)
	}
	if got := e.app.Settings().String(ctx, sightline.SettingJWTSharedSecret); got != key {
		t.Errorf("stored secret = %q, want the generated key", got)
	}
	// The old key stops working.
	if _, _, err := e.app.SignInSSO(ctx, token(t, jwt.MapClaims{"email": "rene@acme.example"}), "/"); sightline.ErrorCode(err) != sightline.EUNAUTHORIZED {
		t.Errorf("SignInSSO(token signed with the old key) = %v, want unauthorized", err)
	}
	if _, err := e.app.GenerateJWTSecret(ctx, &sightline.User{ID: 99}); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("GenerateJWTSecret(non-admin) = %v, want forbidden", err)
	}
}

func TestEncodeDecodeEmbed(t *testing.T) {
	hidden := embed.DefaultOptions()
	hidden.TopNav = false
	tests := []struct {
		stored   string
		opts     embed.Options
		embedded bool
	}{
		{"", embed.DefaultOptions(), false},
		{"logo=false", embed.DefaultOptions(), false},
		{EncodeEmbed(embed.DefaultOptions()), embed.DefaultOptions(), true},
		{EncodeEmbed(hidden), hidden, true},
	}
	for _, tt := range tests {
		opts, embedded := DecodeEmbed(tt.stored)
		if opts != tt.opts || embedded != tt.embedded {
			t.Errorf("DecodeEmbed(%q) = %+v, %v; want %+v, %v", tt.stored, opts, embedded, tt.opts, tt.embedded)
		}
	}
}

// BenchmarkSignInSSO measures a JWT sign-in of an existing user with group
// sync and mappings on, on SQLite: verify, find, update, sync, session.
// The target is under 2 ms per sign-in.
func BenchmarkSignInSSO(b *testing.B) {
	e := newSSOEnv(b, appdb.Options{Path: filepath.Join(b.TempDir(), "app.db")})
	acme, globex := e.group("Customer Acme"), e.group("Customer Globex")
	e.set(map[string]string{sightline.SettingJWTGroupSync: "true",
		sightline.SettingJWTGroupMappings: `{"Customer-Acme": [` + itoa(acme) + `], "Customer-Globex": [` + itoa(globex) + `]}`})
	ctx := context.Background()
	// Alternate two tokens so that every other sign-in moves the user
	// between groups, as well as one that changes nothing.
	toks := []string{
		token(b, jwt.MapClaims{"email": "rene@acme.example", "first_name": "Rene", "last_name": "Mercier",
			"groups": []string{"Customer-Acme"}, "account_id": 28}),
		token(b, jwt.MapClaims{"email": "rene@acme.example", "first_name": "Rene", "last_name": "Mercier",
			"groups": []string{"Customer-Acme"}, "account_id": 28}),
		token(b, jwt.MapClaims{"email": "rene@acme.example", "groups": []string{"Customer-Globex"}, "account_id": 13}),
	}
	if _, _, err := e.app.SignInSSO(ctx, toks[0], "/"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		if _, _, err := e.app.SignInSSO(ctx, toks[i%len(toks)], "/dashboard/1?logo=false"); err != nil {
			b.Fatal(err)
		}
	}
	if n := b.N; n > 0 {
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "signins/s")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
