package app

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"sightline"
	"sightline/internal/access"
)

// TestFailClosedWithJWT replays the walkthrough with JWT sign-in on: a
// token whose groups claim names no mapped group leaves a person in All
// Users alone, and "no self-service" must not then show them every
// tenant's invoices through saved questions, dashboards or saved SQL.
func TestFailClosedWithJWT(t *testing.T) {
	a, _, admin, sample := sampleApp(t)
	ctx := context.Background()
	w := setupWalkthrough(t, a, admin, sample)
	if err := a.UpdateSettings(ctx, admin, map[string]string{sightline.SettingJWTEnabled: "true", sightline.SettingJWTSharedSecret: testSecret,
		sightline.SettingJWTGroupSync: "true", sightline.SettingJWTGroupMappings: fmt.Sprintf(`{"Customer-Acme": [%d]}`, w.acme)}); err != nil {
		t.Fatal(err)
	}
	signIn := func(claims jwt.MapClaims) *sightline.User {
		t.Helper()
		tok, _, err := a.SignInSSO(ctx, token(t, claims), "/")
		if err != nil {
			t.Fatalf("SignInSSO(%v): %v", claims, err)
		}
		_, u, err := a.Authenticate(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	dash, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Invoices", CollectionID: w.shared.ID, Cards: []sightline.DashboardCard{
		{Row: 0, Col: 0, SizeX: 6, SizeY: 4, CardID: w.countCard},
		{Row: 0, Col: 6, SizeX: 6, SizeY: 4, Card: &sightline.Card{Name: "Feedback count", Display: "number", Query: w.count(w.fb.ID)}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	sqlCard, err := a.CreateCard(ctx, admin, &sightline.Card{Name: "Invoices in SQL", CollectionID: w.shared.ID,
		Query: &sightline.Query{Database: sample.ID, Type: sightline.QueryTypeNative, Native: &sightline.NativeQuery{SQL: "SELECT COUNT(*) FROM INVOICES"}}})
	if err != nil {
		t.Fatal(err)
	}
	const refusal = "The table Invoices is sandboxed, and you are in no group that may read it"
	runCard := func(u *sightline.User) (string, error) {
		_, res, err := a.RunCard(ctx, u, w.countCard, nil, RunOptions{})
		if err != nil {
			return "", err
		}
		return fmt.Sprint(res.Rows[0][0]), nil
	}
	runDash := func(u *sightline.User, i int) (string, error) {
		d, err := a.Dashboard(ctx, u, dash.ID)
		if err != nil {
			return "", err
		}
		res, err := a.RunDashboardCard(ctx, u, d.ID, d.Cards[i].ID, nil, RunOptions{})
		if err != nil {
			return "", err
		}
		return fmt.Sprint(res.Rows[0][0]), nil
	}

	tests := []struct {
		name   string
		groups any // the token's groups claim; nil leaves it out
	}{
		{"groups claim missing", nil},
		{"groups claim empty", []string{}},
		{"groups claim names no mapped group", []string{"Customer-Nobody"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims := jwt.MapClaims{"email": fmt.Sprintf("stray%d@acme.example", i), "account_id": 28}
			if tt.groups != nil {
				claims["groups"] = tt.groups
			}
			u := signIn(claims)
			if got, err := runCard(u); sightline.ErrorCode(err) != sightline.EFORBIDDEN || !strings.Contains(sightline.ErrorMessage(err), refusal) {
				t.Errorf("saved Invoice count = %q, %v; want forbidden: %s", got, err, refusal)
			}
			if got, err := runDash(u, 0); sightline.ErrorCode(err) != sightline.EFORBIDDEN || !strings.Contains(sightline.ErrorMessage(err), refusal) {
				t.Errorf("dashboard card on Invoices = %q, %v; want forbidden: %s", got, err, refusal)
			}
			if n, err := countOf(asSavedQuestion(ctx), a, u, w.count(w.inv.ID)); err == nil {
				t.Errorf("saved question on Invoices = %d rows, want refused", n)
			}
			if _, _, err := a.RunCard(ctx, u, sqlCard.ID, nil, RunOptions{}); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
				t.Errorf("saved SQL on a database with a sandboxed table = %v, want forbidden", err)
			}
			// Tables nobody sandboxes keep All Users' no self-service.
			if got, err := runDash(u, 1); err != nil || got != "642" {
				t.Errorf("dashboard card on Feedback = %q, %v; want all 642 rows counted", got, err)
			}
		})
	}

	t.Run("re-signing a customer with groups [] moves them out of the sandbox, not into all rows", func(t *testing.T) {
		u := signIn(jwt.MapClaims{"email": "ann@acme.example", "account_id": 28, "groups": []string{"Customer-Acme"}})
		if got, err := runCard(u); err != nil || got != "22" {
			t.Errorf("Ann's saved Invoice count = %q, %v; want 22", got, err)
		}
		if got, err := runDash(u, 0); err != nil || got != "22" {
			t.Errorf("Ann's dashboard card = %q, %v; want 22", got, err)
		}
		u = signIn(jwt.MapClaims{"email": "ann@acme.example", "account_id": 28, "groups": []string{}})
		if got, err := runCard(u); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
			t.Errorf("Ann's saved Invoice count after groups [] = %q, %v; want forbidden", got, err)
		}
	})

	t.Run("administrators and explicitly unrestricted groups still see every row", func(t *testing.T) {
		if got, err := runCard(admin); err != nil || got != "13856" {
			t.Errorf("admin's Invoice count = %q, %v; want 13856", got, err)
		}
		analysts, err := a.CreateGroup(ctx, admin, "Analysts")
		if err != nil {
			t.Fatal(err)
		}
		w.putData(t, map[int64]access.WireDBPerms{analysts.ID: {ViewData: access.ViewUnrestricted, CreateQueries: access.QueryBuilder}})
		staff := w.user(t, "staff@example.com", nil, analysts.ID)
		if got, err := runCard(staff); err != nil || got != "13856" {
			t.Errorf("analyst's Invoice count = %q, %v; want 13856", got, err)
		}
		wantCount(t, a, staff, "analyst's ad-hoc count", w.count(w.inv.ID), 13856)
	})

	t.Run("without JWT sign-in All Users' grant counts as before", func(t *testing.T) {
		if err := a.UpdateSettings(ctx, admin, map[string]string{sightline.SettingJWTEnabled: "false"}); err != nil {
			t.Fatal(err)
		}
		carl := w.user(t, "carl@example.com", nil)
		if got, err := runCard(carl); err != nil || got != "13856" {
			t.Errorf("Carl's Invoice count without JWT = %q, %v; want 13856", got, err)
		}
	})
}
