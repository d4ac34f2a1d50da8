package app

import (
	"context"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sightline"
)

const testEmbedSecret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// TestResolveEmbed checks the one resolution of a static embedding token:
// what it refuses, and which values end up locked and editable.
func TestResolveEmbed(t *testing.T) {
	a, _, admin := newTestApp(t)
	ctx := context.Background()
	params := []sightline.DashboardParameter{{ID: "a", Name: "Account", Slug: "account_id", Type: "id"},
		{ID: "p", Name: "Plan", Slug: "plan", Type: "category"}, {ID: "i", Name: "Internal", Slug: "internal", Type: "category"}}
	modes := map[string]string{"account_id": sightline.EmbedLocked, "plan": sightline.EmbedEnabled, "internal": sightline.EmbedDisabled}
	pub, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Published", Parameters: params, EnableEmbedding: true, EmbeddingParams: modes})
	if err != nil {
		t.Fatal(err)
	}
	draft, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Draft", Parameters: params, EmbeddingParams: modes})
	if err != nil {
		t.Fatal(err)
	}
	sign := func(key string, m jwt.SigningMethod, claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(m, claims).SignedString([]byte(key))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tok := func(id int64, p map[string]any) string {
		return sign(testEmbedSecret, jwt.SigningMethodHS256, jwt.MapClaims{"resource": map[string]any{"dashboard": id}, "params": p})
	}
	type want struct {
		locked, editable map[string]any
		err              string
	}
	cases := []struct {
		name     string
		settings map[string]string
		token    string
		qs       url.Values
		want     want
	}{
		{"static embedding off", map[string]string{sightline.SettingEmbeddingStatic: "false"}, tok(pub.ID, map[string]any{"account_id": 28}), nil,
			want{err: "Static embedding is not enabled."}},
		{"locked from the token, editable from the query string", nil, tok(pub.ID, map[string]any{"account_id": 28}), url.Values{"plan": {"Basic"}},
			want{locked: map[string]any{"account_id": int64(28)}, editable: map[string]any{"plan": "Basic"}}},
		{"lists", nil, tok(pub.ID, map[string]any{"account_id": []any{28, 29}}), url.Values{"plan": {"Basic", "Premium"}},
			want{locked: map[string]any{"account_id": []any{int64(28), int64(29)}}, editable: map[string]any{"plan": []any{"Basic", "Premium"}}}},
		{"locked missing", nil, tok(pub.ID, map[string]any{"plan": "Basic"}), nil, want{err: "You must specify a value for :account_id in the JWT."}},
		{"locked in the query string", nil, tok(pub.ID, map[string]any{"account_id": 28}), url.Values{"account_id": {"29"}}, want{err: "in the URL"}},
		{"disabled in the token", nil, tok(pub.ID, map[string]any{"account_id": 28, "internal": 1}), nil, want{err: ":internal if it's disabled"}},
		{"not published", nil, tok(draft.ID, map[string]any{"account_id": 28}), nil, want{err: "Embedding is not enabled for this object."}},
		{"no resource", nil, sign(testEmbedSecret, jwt.SigningMethodHS256, jwt.MapClaims{"params": map[string]any{}}), nil, want{err: "must name a dashboard or a question"}},
		{"expired", nil, sign(testEmbedSecret, jwt.SigningMethodHS256, jwt.MapClaims{"resource": map[string]any{"dashboard": pub.ID},
			"params": map[string]any{"account_id": 28}, "exp": time.Now().Add(-time.Hour).Unix()}), nil, want{err: "has expired"}},
		{"other key", nil, sign(strings.Repeat("f", 64), jwt.SigningMethodHS256, jwt.MapClaims{"resource": map[string]any{"dashboard": pub.ID}}), nil,
			want{err: "signature is invalid"}},
		{"secret key unset", map[string]string{sightline.SettingEmbeddingSecretKey: ""}, tok(pub.ID, map[string]any{"account_id": 28}), nil,
			want{err: "The embedding secret key is not set."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := map[string]string{sightline.SettingEmbeddingStatic: "true", sightline.SettingEmbeddingSecretKey: testEmbedSecret}
			for k, v := range c.settings {
				base[k] = v
			}
			if _, err := a.Settings().Set(ctx, base); err != nil {
				t.Fatal(err)
			}
			e, err := a.ResolveEmbed(ctx, c.token, c.qs)
			if c.want.err != "" {
				if err == nil || !strings.Contains(sightline.ErrorMessage(err), c.want.err) {
					t.Fatalf("ResolveEmbed error = %v, want %q", err, c.want.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(e.Locked, c.want.locked) || !reflect.DeepEqual(e.Editable, c.want.editable) {
				t.Errorf("locked %#v editable %#v, want %#v and %#v", e.Locked, e.Editable, c.want.locked, c.want.editable)
			}
		})
	}
}
