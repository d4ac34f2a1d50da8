package auth

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"sightline"
)

// ClaimNames are the claims that carry the email, names and groups, as set
// by the jwt-attribute-* settings. An empty field means the default claim:
// email, first_name, last_name, groups.
type ClaimNames struct {
	Email, FirstName, LastName, Groups string
}

func (n ClaimNames) withDefaults() ClaimNames {
	if n.Email == "" {
		n.Email = "email"
	}
	if n.FirstName == "" {
		n.FirstName = "first_name"
	}
	if n.LastName == "" {
		n.LastName = "last_name"
	}
	if n.Groups == "" {
		n.Groups = "groups"
	}
	return n
}

// Identity is what a verified token says about a person.
type Identity struct {
	// Email as sent, trimmed; the caller matches users case-insensitively.
	Email string
	// FirstName and LastName are nil when the token has no usable name
	// (absent, null, empty or not a string), so that a stored name is never
	// overwritten by nothing.
	FirstName, LastName *string
	// Groups are the group names in the token; GroupsPresent tells an
	// absent claim (leave memberships alone) from an empty list (the token
	// names no groups).
	Groups        []string
	GroupsPresent bool
	// Attributes are the other top-level claims as strings, for row-level
	// sandboxes. Never nil.
	Attributes map[string]string
}

// IdentityFromClaims reads a person's identity from verified claims. The
// email is required: without it the error is EINVALID "JWT token missing
// email claim".
//
// Every other top-level claim becomes an attribute, except the registered
// claims (iss, iat, sub, aud, exp, nbf, jti), the email, name and groups
// claims, and keys starting with "@". Strings are kept, numbers are written
// in plain decimal (28 -> "28", 2.5 -> "2.5", 1e3 -> "1000") and booleans as
// "true" or "false". Arrays, objects and null are dropped, each with a
// warning in the returned list, as are names or groups of the wrong type.
func IdentityFromClaims(claims map[string]any, names ClaimNames) (Identity, []string, error) {
	names = names.withDefaults()
	var warnings []string
	warn := func(format string, args ...any) { warnings = append(warnings, fmt.Sprintf(format, args...)) }

	id := Identity{Attributes: map[string]string{}}
	email, _ := claims[names.Email].(string)
	id.Email = strings.TrimSpace(email)
	if id.Email == "" {
		return Identity{}, nil, sightline.Errorf(sightline.EINVALID, "JWT token missing email claim")
	}

	id.FirstName = nameClaim(claims, names.FirstName, warn)
	id.LastName = nameClaim(claims, names.LastName, warn)

	switch g := claims[names.Groups].(type) {
	case nil:
		// Absent or null: memberships are left alone.
	case string:
		id.Groups, id.GroupsPresent = []string{g}, true
	case []any:
		id.Groups, id.GroupsPresent = []string{}, true
		for _, v := range g {
			s, ok := v.(string)
			if !ok {
				warn("JWT claim %q has %s item; only strings are group names, so it was ignored", names.Groups, withArticle(jsonKind(v)))
				continue
			}
			id.Groups = append(id.Groups, s)
		}
	case []string:
		id.Groups, id.GroupsPresent = append([]string{}, g...), true
	default:
		warn("JWT claim %q is %s, not a list of group names; memberships were left alone", names.Groups, withArticle(jsonKind(g)))
	}

	keys := make([]string, 0, len(claims))
	for k := range claims {
		keys = append(keys, k)
	}
	sort.Strings(keys) // stable warning order
	for _, k := range keys {
		if isReserved(k) || k == names.Email || k == names.FirstName || k == names.LastName || k == names.Groups {
			continue
		}
		s, ok := scalarString(claims[k])
		if !ok {
			warn("JWT claim %q is %s; only strings, numbers and booleans are stored as user attributes, so it was dropped", k, withArticle(jsonKind(claims[k])))
			continue
		}
		id.Attributes[k] = s
	}
	return id, warnings, nil
}

func nameClaim(claims map[string]any, name string, warn func(string, ...any)) *string {
	v, ok := claims[name]
	if !ok || v == nil {
		return nil
	}
	s, ok := v.(string)
	if !ok {
		warn("JWT claim %q is %s, not a name; it was ignored", name, withArticle(jsonKind(v)))
		return nil
	}
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}

// scalarString writes a string, number or boolean claim as an attribute value.
func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case json.Number:
		return numberString(x)
	case float64:
		return formatFloat(x)
	case float32:
		return formatFloat(float64(x))
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	}
	return "", false
}

// numberString keeps an integer literal's digits exactly (ids beyond 2^53
// must not be rounded) and formats other numbers as plain decimals.
func numberString(n json.Number) (string, bool) {
	s := string(n)
	if isIntegerLiteral(s) {
		return s, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", false
	}
	return formatFloat(f)
}

func isIntegerLiteral(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// formatFloat writes integral values without a fraction or exponent
// ("1000", not "1e+03") and others in the shortest decimal form that reads
// back to the same value, using an exponent only for extreme magnitudes.
func formatFloat(f float64) (string, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", false
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', 0, 64), true
	}
	if a := math.Abs(f); a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64), true
	}
	return strconv.FormatFloat(f, 'g', -1, 64), true
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any, []string:
		return "array"
	case map[string]any:
		return "object"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number, float64, float32, int, int64, int32, uint64:
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

func withArticle(kind string) string {
	switch kind {
	case "null":
		return "null"
	case "array", "object":
		return "an " + kind
	}
	return "a " + kind
}
