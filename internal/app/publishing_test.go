package app

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"sightline"
)

// TestEmbeddableItemsAndUnpublish lists the published, unarchived items,
// unpublishes one (its parameter modes kept, the token refused at once),
// and refuses both to anyone but an administrator.
func TestEmbeddableItemsAndUnpublish(t *testing.T) {
	a, _, admin := newTestApp(t)
	ctx := context.Background()
	params := []sightline.DashboardParameter{{ID: "a", Name: "Account", Slug: "account_id", Type: "id"}}
	modes := map[string]string{"account_id": sightline.EmbedLocked}
	pub, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Published", Parameters: params, EnableEmbedding: true, EmbeddingParams: modes})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Draft", Parameters: params, EmbeddingParams: modes}); err != nil {
		t.Fatal(err)
	}
	gone, err := a.CreateDashboard(ctx, admin, &sightline.Dashboard{Name: "Archived", EnableEmbedding: true})
	if err != nil {
		t.Fatal(err)
	}
	gone.Archived = true
	if _, err := a.UpdateDashboard(ctx, admin, gone); err != nil {
		t.Fatal(err)
	}
	items, err := a.EmbeddableItems(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	want := []EmbeddableItem{{Model: sightline.PublicDashboard, ID: pub.ID, Name: "Published", Locked: []string{"account_id"}}}
	if !reflect.DeepEqual(items, want) {
		t.Errorf("EmbeddableItems = %+v, want %+v", items, want)
	}
	person := &sightline.User{ID: 99, Active: true}
	if _, err := a.EmbeddableItems(ctx, person); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("EmbeddableItems(non-admin) = %v, want forbidden", err)
	}
	if _, err := a.UnpublishEmbed(ctx, person, sightline.PublicDashboard, pub.ID); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("UnpublishEmbed(non-admin) = %v, want forbidden", err)
	}
	if _, err := a.UnpublishEmbed(ctx, admin, "table", 1); sightline.ErrorCode(err) != sightline.EINVALID {
		t.Errorf("UnpublishEmbed(table) = %v, want invalid", err)
	}

	if err := a.UpdateSettings(ctx, admin, map[string]string{sightline.SettingEmbeddingStatic: "true", sightline.SettingEmbeddingSecretKey: testEmbedSecret}); err != nil {
		t.Fatal(err)
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"resource": map[string]any{"dashboard": pub.ID},
		"params": map[string]any{"account_id": 28}}).SignedString([]byte(testEmbedSecret))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ResolveEmbed(ctx, token, nil); err != nil {
		t.Fatalf("ResolveEmbed before unpublishing = %v", err)
	}
	name, err := a.UnpublishEmbed(ctx, admin, sightline.PublicDashboard, pub.ID)
	if err != nil || name != "Published" {
		t.Fatalf("UnpublishEmbed = %q, %v", name, err)
	}
	d, err := a.content.Dashboard(ctx, pub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.EnableEmbedding || !reflect.DeepEqual(d.EmbeddingParams, modes) {
		t.Errorf("after UnpublishEmbed: enable_embedding %v, embedding_params %v; want false and %v kept", d.EnableEmbedding, d.EmbeddingParams, modes)
	}
	if _, err := a.ResolveEmbed(ctx, token, nil); err == nil || !strings.Contains(err.Error(), "Embedding is not enabled for this object.") {
		t.Errorf("ResolveEmbed after unpublishing = %v, want the refusal of an unpublished item", err)
	}
	if items, _ := a.EmbeddableItems(ctx, admin); len(items) != 0 {
		t.Errorf("EmbeddableItems after unpublishing = %+v, want none", items)
	}
}

// TestGenerateEmbeddingSecretKey makes a 64-hex key that the setting
// stores; a second call replaces it; only administrators may.
func TestGenerateEmbeddingSecretKey(t *testing.T) {
	a, _, admin := newTestApp(t)
	ctx := context.Background()
	key, err := a.GenerateEmbeddingSecretKey(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != 64 || strings.Trim(key, "0123456789abcdef") != "" {
		t.Errorf("GenerateEmbeddingSecretKey() = %q, want 64 lower-case hex characters", key)
	}
	if got := a.Settings().String(ctx, sightline.SettingEmbeddingSecretKey); got != key {
		t.Errorf("stored key = %q, want the generated one", got)
	}
	again, err := a.GenerateEmbeddingSecretKey(ctx, admin)
	if err != nil || again == key {
		t.Errorf("a second GenerateEmbeddingSecretKey() = %q, %v; want a new key", again, err)
	}
	if _, err := a.GenerateEmbeddingSecretKey(ctx, &sightline.User{ID: 99}); sightline.ErrorCode(err) != sightline.EFORBIDDEN {
		t.Errorf("GenerateEmbeddingSecretKey(non-admin) = %v, want forbidden", err)
	}
}
