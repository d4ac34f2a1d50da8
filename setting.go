package sightline

import (
	"strconv"
	"strings"
)

// Setting kinds.
const (
	SettingString = "string"
	SettingBool   = "boolean"
	SettingInt    = "integer"
	SettingJSON   = "json"
	SettingSecret = "secret" // a string stored encrypted, never sent back in full
)

// SecretMask is what the API shows for a secret setting that is set, in
// place of its value; writing SecretMask back keeps the secret unchanged.
const SecretMask = "**********"

// SettingDef describes one admin setting: its key, kind and default.
// Every setting can also be set by the environment variable EnvName(Key),
// and a value set that way wins over the stored one.
type SettingDef struct {
	Key         string
	Kind        string
	Default     string
	Description string
	// Choices, when set, are the only accepted values (compared case-insensitively).
	Choices []string
	// HexLen, when set, is the exact number of hexadecimal characters the
	// value must have.
	HexLen int
}

// EnvName returns the environment variable for a setting key:
// "jwt-shared-secret" -> "SIGHTLINE_JWT_SHARED_SECRET".
func EnvName(key string) string {
	return "SIGHTLINE_" + strings.ToUpper(strings.ReplaceAll(key, "-", "_"))
}

// Normalize checks v against the setting's kind and choices and returns the
// form to store.
func (d SettingDef) Normalize(v string) (string, error) {
	switch d.Kind {
	case SettingBool:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return "", Errorf(EINVALID, "%s must be true or false, not %q.", d.Key, v)
		}
		return strconv.FormatBool(b), nil
	case SettingInt:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return "", Errorf(EINVALID, "%s must be a whole number, not %q.", d.Key, v)
		}
		return strconv.Itoa(n), nil
	}
	if d.HexLen > 0 {
		h := strings.ToLower(strings.TrimSpace(v))
		if len(h) != d.HexLen || strings.Trim(h, "0123456789abcdef") != "" {
			return "", Errorf(EINVALID, "%s must be %d hexadecimal characters (0-9, a-f).", d.Key, d.HexLen)
		}
		return h, nil
	}
	if len(d.Choices) > 0 {
		lv := strings.ToLower(strings.TrimSpace(v))
		for _, c := range d.Choices {
			if lv == c {
				return c, nil
			}
		}
		return "", Errorf(EINVALID, "%s must be one of %s, not %q.", d.Key, strings.Join(d.Choices, ", "), v)
	}
	return v, nil
}

// Setting keys used across packages.
const (
	SettingSiteName             = "site-name"
	SettingSiteURL              = "site-url"
	SettingSessionSameSite      = "session-cookie-samesite"
	SettingEmbeddingEnabled     = "enable-embedding-interactive"
	SettingEmbeddingOrigins     = "embedding-app-origins-interactive"
	SettingJWTEnabled           = "jwt-enabled"
	SettingJWTIdentityProvider  = "jwt-identity-provider-uri"
	SettingJWTSharedSecret      = "jwt-shared-secret"
	SettingJWTAttrEmail         = "jwt-attribute-email"
	SettingJWTAttrFirstName     = "jwt-attribute-firstname"
	SettingJWTAttrLastName      = "jwt-attribute-lastname"
	SettingJWTAttrGroups        = "jwt-attribute-groups"
	SettingJWTGroupSync         = "jwt-group-sync"
	SettingJWTGroupMappings     = "jwt-group-mappings"
	SettingJWTUserProvisioning  = "jwt-user-provisioning-enabled"
	SettingJWTAllowAdminSignIn  = "jwt-allow-admin-sign-in"
	SettingJWTRequireGroup      = "jwt-require-group"
	SettingJWTMaxTokenLifetime  = "jwt-max-token-lifetime"
	SettingPasswordLoginEnabled = "enable-password-login"
	SettingReportTimezone       = "report-timezone"
	SettingEnableXrays          = "enable-xrays"
	SettingApplicationName      = "application-name"
	SettingApplicationColors    = "application-colors"
	SettingApplicationFont      = "application-font"
	SettingApplicationLogo      = "application-logo-url"
	SettingMetricsToken         = "metrics-token"
	SettingEmbeddingStatic      = "enable-embedding-static"
	SettingEmbeddingSecretKey   = "embedding-secret-key"
	SettingEmbeddingCacheTTL    = "embedding-cache-ttl"
	SettingPublicSharing        = "enable-public-sharing"
	SettingQueryCaching         = "enable-query-caching"
	SettingQueryCachingMinTTL   = "query-caching-min-ttl"
	SettingQueryCachingTTLRatio = "query-caching-ttl-ratio"
	SettingQueryCachingMaxKB    = "query-caching-max-kb"
	SettingMaxQueriesPerPerson  = "max-queries-per-person"
	SettingQueryQueueTimeout    = "query-queue-timeout"
)

// SettingEmbeddingStaticOrigins lists the origins that may frame static
// embeds and public links.
const SettingEmbeddingStaticOrigins = "embedding-static-origins"

// Settings is the table of every admin setting Sightline knows.
var Settings = []SettingDef{
	{Key: SettingSiteName, Kind: SettingString, Default: "Sightline", Description: "The name of this Sightline instance."},
	{Key: SettingSiteURL, Kind: SettingString, Description: "Public base URL, used for absolute links and the same-host check on return_to."},
	{Key: SettingSessionSameSite, Kind: SettingString, Default: "lax", Choices: []string{"lax", "strict", "none"}, Description: "SameSite attribute of the session cookie."},
	{Key: SettingEmbeddingEnabled, Kind: SettingBool, Default: "false", Description: "Allow the full app to be framed by authorized origins."},
	{Key: SettingEmbeddingOrigins, Kind: SettingString, Description: "Space-separated origins allowed to frame the app."},
	{Key: SettingJWTEnabled, Kind: SettingBool, Default: "false", Description: "JWT single sign-on (effective once a shared secret is set)."},
	{Key: SettingJWTIdentityProvider, Kind: SettingString, Description: "Where people who need to sign in are sent (the host app's SSO route)."},
	{Key: SettingJWTSharedSecret, Kind: SettingSecret, Description: "HS256 key shared with the host app."},
	{Key: SettingJWTAttrEmail, Kind: SettingString, Default: "email", Description: "Claim holding the email."},
	{Key: SettingJWTAttrFirstName, Kind: SettingString, Default: "first_name", Description: "Claim holding the first name."},
	{Key: SettingJWTAttrLastName, Kind: SettingString, Default: "last_name", Description: "Claim holding the last name."},
	{Key: SettingJWTAttrGroups, Kind: SettingString, Default: "groups", Description: "Claim holding the group names."},
	{Key: SettingJWTGroupSync, Kind: SettingBool, Default: "false", Description: "Synchronize group memberships from the token."},
	{Key: SettingJWTGroupMappings, Kind: SettingJSON, Default: "{}", Description: "JWT group name -> list of Sightline group ids."},
	{Key: SettingJWTUserProvisioning, Kind: SettingBool, Default: "true", Description: "Create unknown users on their first SSO sign-in."},
	{Key: SettingJWTAllowAdminSignIn, Kind: SettingBool, Default: "false", Description: "Let a token sign in to an existing administrator account (otherwise refused unless a group mapping the token names grants Administrators)."},
	{Key: SettingJWTRequireGroup, Kind: SettingBool, Default: "false", Description: "With group sync on, refuse a token whose groups claim names no mapped group."},
	{Key: SettingJWTMaxTokenLifetime, Kind: SettingInt, Default: "600", Description: "Longest lifetime in seconds a JWT may claim (exp minus iat, or exp minus now without iat); each token id (jti) signs in once."},
	{Key: SettingPasswordLoginEnabled, Kind: SettingBool, Default: "true", Description: "Allow password sign-in for people who are not administrators."},
	{Key: SettingReportTimezone, Kind: SettingString, Description: "Time zone for date bucketing and relative dates (default: the server's)."},
	{Key: SettingEnableXrays, Kind: SettingBool, Default: "true", Description: "Offer X-ray automatic dashboards."},
	{Key: SettingApplicationName, Kind: SettingString, Default: "Sightline", Description: "Name shown in the top bar and page titles."},
	{Key: SettingApplicationColors, Kind: SettingJSON, Default: "{}", Description: "Brand and chart colours."},
	{Key: SettingApplicationFont, Kind: SettingString, Default: "system", Choices: []string{"system", "serif", "mono", "rounded"}, Description: "Font family of every page."},
	{Key: SettingApplicationLogo, Kind: SettingString, Description: "Uploaded logo (data URL)."},
	{Key: SettingEmbeddingStatic, Kind: SettingBool, Default: "false", Description: "Serve published questions and dashboards to holders of a token signed with the embedding secret key."},
	{Key: SettingEmbeddingSecretKey, Kind: SettingSecret, HexLen: 64, Description: "HS256 key (64 hexadecimal characters) with which host apps sign static embedding tokens."},
	{Key: SettingEmbeddingStaticOrigins, Kind: SettingString, Default: "*", Description: "Space-separated origins allowed to frame static embeds and public links (same syntax as the interactive origins; * allows any)."},
	{Key: SettingEmbeddingCacheTTL, Kind: SettingInt, Default: "60", Description: "Seconds a static embed's or public link's card results are kept in memory per item and locked values (0 turns the cache off)."},
	{Key: SettingQueryCaching, Kind: SettingBool, Default: "false", Description: "Keep the results of saved questions and dashboard cards run by signed-in people in memory, per query, filters and sandbox."},
	{Key: SettingQueryCachingMinTTL, Kind: SettingInt, Default: "60", Description: "Seconds a saved question's run must take for its result to be cached."},
	{Key: SettingQueryCachingTTLRatio, Kind: SettingInt, Default: "10", Description: "A cached result is kept this many times as long as its run took."},
	{Key: SettingQueryCachingMaxKB, Kind: SettingInt, Default: "2000", Description: "Results larger than this many kilobytes are not cached."},
	{Key: SettingMaxQueriesPerPerson, Kind: SettingInt, Default: "6", Description: "Questions one person may run at once on this instance (dashboard cards, downloads and filter values count); more wait their turn. 0 removes the limit."},
	{Key: SettingQueryQueueTimeout, Kind: SettingInt, Default: "30", Description: "Seconds a question waits for one of its person's running questions to finish before it is refused with a 429."},
	{Key: SettingPublicSharing, Kind: SettingBool, Default: "false", Description: "Let administrators create public links to questions and dashboards, which anyone with the link can see without signing in."},
	{Key: SettingMetricsToken, Kind: SettingSecret, Description: "Bearer token that lets a scraper read /metrics; without it only administrators may."},
}

// LookupSetting returns the definition of key.
func LookupSetting(key string) (SettingDef, bool) {
	for _, d := range Settings {
		if d.Key == key {
			return d, true
		}
	}
	return SettingDef{}, false
}
