package sightline

import (
	"net/mail"
	"strings"
	"time"
)

// Sign-in methods recorded on a user.
const (
	SignInPassword = "password"
	SignInJWT      = "jwt"
)

// User is a person who can sign in. Administrators are the members of the
// built-in Administrators group; IsAdmin is derived from that membership.
type User struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	FirstName string    `json:"first_name"`
	LastName  string    `json:"last_name"`
	Active    bool      `json:"is_active"`
	IsAdmin   bool      `json:"is_superuser"`
	SSOSource string    `json:"sso_source,omitempty"` // "" for password users, "jwt" once signed in by JWT
	CreatedAt time.Time `json:"date_joined"`
	LastLogin time.Time `json:"last_login"`

	// LoginAttributes are the attributes the identity provider sent in the
	// last JWT; Attributes are the ones an administrator set by hand.
	LoginAttributes map[string]string `json:"jwt_attributes"`
	Attributes      map[string]string `json:"login_attributes"`

	Groups []Group `json:"groups,omitempty"`

	// APIKeyID is set on the stand-in user a request made with an API key
	// acts as: ID 0, no attributes, the key's group and All Users.
	APIKeyID int64 `json:"-"`
}

// IsAPIKey reports whether u stands for an API key rather than a person.
func (u *User) IsAPIKey() bool { return u.APIKeyID != 0 }

// CommonName is the name shown in greetings and lists.
func (u *User) CommonName() string {
	n := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if n == "" {
		return u.Email
	}
	return n
}

// EffectiveAttributes merges the token attributes with the hand-set ones;
// a hand-set value wins over a token value for the same key.
func (u *User) EffectiveAttributes() map[string]string {
	out := make(map[string]string, len(u.LoginAttributes)+len(u.Attributes))
	for k, v := range u.LoginAttributes {
		out[k] = v
	}
	for k, v := range u.Attributes {
		out[k] = v
	}
	return out
}

// InGroup reports whether the user is a member of group id.
func (u *User) InGroup(id int64) bool {
	for _, g := range u.Groups {
		if g.ID == id {
			return true
		}
	}
	return false
}

// ManagesGroups reports whether the user manages at least one group, which
// shows them People and Groups in Admin.
func (u *User) ManagesGroups() bool {
	for _, g := range u.Groups {
		if g.Manager {
			return true
		}
	}
	return false
}

// NormalizeEmail returns the form in which emails are compared and stored:
// without surrounding white space and with the ASCII letters A-Z in lower
// case. Every other character is kept as sent: Unicode case folding would
// turn one person's address into another's (the Kelvin sign U+212A lowers
// to "k", so "\u212Aate@example.com" would become "kate@example.com").
func NormalizeEmail(s string) string {
	s = strings.Trim(s, " \t\r\n\v\f")
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Validate checks the fields a person types.
func (u *User) Validate() error {
	if u.Email == "" {
		return Errorf(EINVALID, "Email is required.")
	}
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		return Errorf(EINVALID, "%q is not a valid email address.", u.Email)
	}
	if len(u.FirstName) > 254 || len(u.LastName) > 254 {
		return Errorf(EINVALID, "Names must be at most 254 characters.")
	}
	return nil
}

// ValidatePassword checks a new password against the minimum rules.
func ValidatePassword(p string) error {
	if len(p) < 8 {
		return Errorf(EINVALID, "Passwords must be at least 8 characters long.")
	}
	if len(p) > 1024 {
		return Errorf(EINVALID, "Passwords must be at most 1024 characters long.")
	}
	return nil
}

// Session is a signed-in browser or API client. Only the hash of its token is
// stored; the token itself lives in the client's cookie.
type Session struct {
	ID        int64
	UserID    int64
	ExpiresAt time.Time
	CreatedAt time.Time
	// Embed holds the UI-hiding options read on the first load of an
	// embedded session, as a query string ("logo=false&top_nav=false").
	Embed string
}

// SessionTTL is the sliding lifetime of a session.
const SessionTTL = 14 * 24 * time.Hour
