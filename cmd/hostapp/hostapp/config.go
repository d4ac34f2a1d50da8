// Package hostapp is a sample host application that embeds Sightline the way
// a third party would: it has its own users and sign-in, and signs an HS256
// JWT for the signed-in person when the embedded Sightline asks for one
// (GET /sso/sightline), following the interactive-embedding walkthrough.
//
// It depends only on the standard library and github.com/golang-jwt/jwt/v5,
// never on Sightline's packages, so it shows exactly what a host developer
// has to write. New returns its http.Handler, so tests can run it in-process;
// cmd/hostapp runs it as a binary.
package hostapp

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DemoPassword is the password of every demo user.
const DemoPassword = "demo-password"

// Default account ids of the demo customers in the Sample Database's
// ACCOUNTS table. Account 28 is the walkthrough's fixed point (22 invoices of
// 295.00); account 13 is another Basic account with 9 invoices in the current
// generator, so a sandboxed dashboard looks visibly different for each user.
const (
	DefaultAcmeAccountID   = 28
	DefaultGlobexAccountID = 13
)

// User is a person who can sign in to the host app.
type User struct {
	Email     string
	Password  string
	FirstName string
	LastName  string
	// Groups are sent in the JWT's groups claim.
	Groups []string
	// AccountID is sent as the account_id claim, which Sightline stores as a
	// user attribute for row-level sandboxes.
	AccountID int
}

// DemoUsers returns the two demo users: Rene of Acme and Cora of Globex,
// with the given account ids.
func DemoUsers(acmeAccountID, globexAccountID int) []User {
	return []User{
		{Email: "rene@acme.example", Password: DemoPassword, FirstName: "Rene", LastName: "Mercier",
			Groups: []string{"Customer-Acme"}, AccountID: acmeAccountID},
		{Email: "cora@globex.example", Password: DemoPassword, FirstName: "Cora", LastName: "Lindqvist",
			Groups: []string{"Customer-Globex"}, AccountID: globexAccountID},
	}
}

// Config is everything the host app needs.
type Config struct {
	// SiteURL is Sightline's public base URL (SIGHTLINE_SITE_URL).
	SiteURL string
	// Secret is the JWT shared secret exactly as shown by Sightline's
	// "Generate key" (SIGHTLINE_JWT_SHARED_SECRET); its UTF-8 bytes are the
	// HMAC key.
	Secret string
	// DashboardPath is the Sightline page /analytics shows first
	// (SIGHTLINE_DASHBOARD_PATH).
	DashboardPath string
	// EmbeddingSecret is Sightline's embedding secret key
	// (SIGHTLINE_EMBEDDING_SECRET_KEY), with which /analytics/static signs
	// static embedding tokens; the page is off without it.
	EmbeddingSecret string
	// StaticDashboardID is the published dashboard /analytics/static embeds
	// (SIGHTLINE_STATIC_DASHBOARD_ID).
	StaticDashboardID int
	// Addr is the listen address (HOSTAPP_ADDR).
	Addr string
	// HideUI appends logo=false&top_nav=false to every return_to
	// (HOSTAPP_HIDE_UI); a hide_ui query parameter overrides it per request.
	HideUI bool
	// Users are the people who can sign in.
	Users []User
	// Now is the clock used for token expiry; time.Now when nil.
	Now func() time.Time
}

// LoadConfig reads the configuration from the environment:
// SIGHTLINE_SITE_URL (default http://127.0.0.1:3000),
// SIGHTLINE_JWT_SHARED_SECRET (required), SIGHTLINE_DASHBOARD_PATH
// (default /dashboard/1), SIGHTLINE_EMBEDDING_SECRET_KEY and
// SIGHTLINE_STATIC_DASHBOARD_ID (default 1) for the static embed,
// HOSTAPP_ADDR (default localhost:8080),
// HOSTAPP_HIDE_UI (a boolean, default false), and HOSTAPP_ACME_ACCOUNT_ID
// and HOSTAPP_GLOBEX_ACCOUNT_ID (the demo users' account_id claims).
func LoadConfig(getenv func(string) string) (Config, error) {
	get := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	cfg := Config{
		SiteURL:         get("SIGHTLINE_SITE_URL", "http://127.0.0.1:3000"),
		Secret:          getenv("SIGHTLINE_JWT_SHARED_SECRET"),
		DashboardPath:   get("SIGHTLINE_DASHBOARD_PATH", "/dashboard/1"),
		Addr:            get("HOSTAPP_ADDR", "localhost:8080"),
		EmbeddingSecret: getenv("SIGHTLINE_EMBEDDING_SECRET_KEY"),
	}
	var err error
	if cfg.StaticDashboardID, err = strconv.Atoi(get("SIGHTLINE_STATIC_DASHBOARD_ID", "1")); err != nil || cfg.StaticDashboardID <= 0 {
		return Config{}, fmt.Errorf("SIGHTLINE_STATIC_DASHBOARD_ID must be a dashboard id (a whole number above 0), not %q", getenv("SIGHTLINE_STATIC_DASHBOARD_ID"))
	}
	if cfg.HideUI, err = strconv.ParseBool(get("HOSTAPP_HIDE_UI", "false")); err != nil {
		return Config{}, fmt.Errorf("HOSTAPP_HIDE_UI must be true or false, not %q", getenv("HOSTAPP_HIDE_UI"))
	}
	acme, err := strconv.Atoi(get("HOSTAPP_ACME_ACCOUNT_ID", strconv.Itoa(DefaultAcmeAccountID)))
	if err != nil {
		return Config{}, fmt.Errorf("HOSTAPP_ACME_ACCOUNT_ID must be a whole number: %w", err)
	}
	globex, err := strconv.Atoi(get("HOSTAPP_GLOBEX_ACCOUNT_ID", strconv.Itoa(DefaultGlobexAccountID)))
	if err != nil {
		return Config{}, fmt.Errorf("HOSTAPP_GLOBEX_ACCOUNT_ID must be a whole number: %w", err)
	}
	cfg.Users = DemoUsers(acme, globex)
	return cfg, cfg.validate()
}

func (c Config) validate() error {
	if c.Secret == "" {
		return fmt.Errorf("SIGHTLINE_JWT_SHARED_SECRET is required: copy the key from Sightline's Admin > Authentication > JWT")
	}
	u, err := url.Parse(c.SiteURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("SIGHTLINE_SITE_URL must be an http(s) URL such as http://127.0.0.1:3000, not %q", c.SiteURL)
	}
	if !strings.HasPrefix(c.DashboardPath, "/") {
		return fmt.Errorf("SIGHTLINE_DASHBOARD_PATH must be a path such as /dashboard/1, not %q", c.DashboardPath)
	}
	if len(c.Users) == 0 {
		return fmt.Errorf("no users can sign in")
	}
	return nil
}

// sightlineOrigin returns scheme://host[:port] of the site URL, the origin
// the iframe's messages come from.
func (c Config) sightlineOrigin() string {
	u, err := url.Parse(c.SiteURL)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
