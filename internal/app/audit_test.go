package app

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

func TestAuditLog(t *testing.T) {
	a, _, admin := newTestApp(t)
	ctx := context.Background()
	bob, err := a.CreateUser(ctx, admin, NewUserInput{Email: "bob@example.com", Password: "bob password"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := a.CreateGroup(ctx, admin, "Customer Acme")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.RenameGroup(ctx, admin, g.ID, "Acme Corp"); err != nil {
		t.Fatal(err)
	}
	if err := a.UpdateSettings(ctx, admin, map[string]string{sightline.SettingSiteName: "Acme BI", sightline.SettingJWTSharedSecret: "s3cret-value"}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetUserActive(ctx, admin, bob.ID, false); err != nil {
		t.Fatal(err)
	}

	all, err := a.AuditLog(ctx, admin, 0, 10, "")
	if err != nil {
		t.Fatal(err)
	}
	var topics []string
	for _, e := range all {
		topics = append(topics, e.Topic)
		if e.Who() != "Ada" || e.Email != "admin@example.com" {
			t.Errorf("entry %s was made by %q <%s>, want Ada <admin@example.com>", e.Topic, e.Who(), e.Email)
		}
		if strings.Contains(e.Detail, "s3cret-value") {
			t.Errorf("entry %s shows a secret: %s", e.Topic, e.Detail)
		}
		if !hasAuditTopic(e.Topic) {
			t.Errorf("topic %q is not under any of AuditTopics()", e.Topic)
		}
	}
	want := []string{"user-deactivate", "settings", "group-rename", "group-create", "user-create"}
	if diff := cmp.Diff(want, topics); diff != "" {
		t.Errorf("AuditLog topics mismatch (-want +got):\n%s", diff)
	}

	tests := []struct {
		name          string
		offset, limit int
		topic         string
		want          []string
	}{
		{"a page", 1, 2, "", []string{"settings", "group-rename"}},
		{"the last page", 4, 2, "", []string{"user-create"}},
		{"groups", 0, 10, "group", []string{"group-rename", "group-create"}},
		{"topic case and spaces", 0, 10, " Settings ", []string{"settings"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := a.AuditLog(ctx, admin, tt.offset, tt.limit, tt.topic)
			if err != nil {
				t.Fatal(err)
			}
			var topics []string
			for _, e := range got {
				topics = append(topics, e.Topic)
			}
			if diff := cmp.Diff(tt.want, topics); diff != "" {
				t.Errorf("AuditLog(%d, %d, %q) mismatch (-want +got):\n%s", tt.offset, tt.limit, tt.topic, diff)
			}
		})
	}
}

func TestAuditLogRefuses(t *testing.T) {
	a, _, admin := newTestApp(t)
	ctx := context.Background()
	bob, err := a.CreateUser(ctx, admin, NewUserInput{Email: "bob@example.com", Password: "bob password"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		actor         *sightline.User
		offset, limit int
		topic         string
		want          string
	}{
		{"signed out", nil, 0, 10, "", sightline.EUNAUTHORIZED},
		{"not an admin", bob, 0, 10, "", sightline.EFORBIDDEN},
		{"negative offset", admin, -1, 10, "", sightline.EINVALID},
		{"zero limit", admin, 0, 0, "", sightline.EINVALID},
		{"limit too large", admin, 0, MaxAuditLimit + 1, "", sightline.EINVALID},
		{"topic too long", admin, 0, 10, strings.Repeat("x", 101), sightline.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := a.AuditLog(ctx, tt.actor, tt.offset, tt.limit, tt.topic); sightline.ErrorCode(err) != tt.want {
				t.Errorf("AuditLog() = %v, want code %s", err, tt.want)
			}
		})
	}
}

// hasAuditTopic reports whether topic falls under one of AuditTopics().
func hasAuditTopic(topic string) bool {
	for _, at := range AuditTopics() {
		if strings.HasPrefix(topic, at.Prefix) {
			return true
		}
	}
	return false
}
