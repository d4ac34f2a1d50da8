package app

import (
	"context"
	"errors"
	"strings"

	"sightline"
)

// AuditLogStore lists the audit log that Store.Audit appends to.
type AuditLogStore interface {
	// AuditLog returns entries newest first, at most limit after skipping
	// offset, keeping only topics that start with topicPrefix when it is set.
	AuditLog(ctx context.Context, topicPrefix string, offset, limit int) ([]sightline.AuditEntry, error)
}

// AuditTopic is a kind of change the audit log can be filtered by: the
// entries whose topic starts with Prefix.
type AuditTopic struct {
	Prefix string
	Label  string
}

// AuditTopics returns the kinds of change the app records (every topic passed
// to audit starts with one of these prefixes), in the order they are offered.
func AuditTopics() []AuditTopic {
	return []AuditTopic{
		{Prefix: "permissions", Label: "Permissions"},
		{Prefix: "sandbox", Label: "Sandboxes"},
		{Prefix: "group", Label: "Groups"},
		{Prefix: "user", Label: "People"},
		{Prefix: "settings", Label: "Settings"},
		{Prefix: "database", Label: "Databases"},
		{Prefix: "view-as", Label: "Previews as a user"},
		{Prefix: "api-key", Label: "API keys"},
		{Prefix: "public-link", Label: "Public links"},
	}
}

// MaxAuditLimit bounds how many audit entries one call returns.
const MaxAuditLimit = 500

// AuditLog returns part of the audit log to an administrator, newest first:
// at most limit entries after skipping offset, and when topic is not empty
// only those whose topic starts with it.
func (a *App) AuditLog(ctx context.Context, actor *sightline.User, offset, limit int, topic string) ([]sightline.AuditEntry, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	if offset < 0 {
		return nil, sightline.Errorf(sightline.EINVALID, "The offset must not be negative.")
	}
	if limit < 1 || limit > MaxAuditLimit {
		return nil, sightline.Errorf(sightline.EINVALID, "The limit must be between 1 and %d.", MaxAuditLimit)
	}
	topic = strings.TrimSpace(topic)
	if len(topic) > 100 {
		return nil, sightline.Errorf(sightline.EINVALID, "The topic must be at most 100 characters.")
	}
	if a.auditLog == nil {
		return nil, sightline.Internal(errors.New("no audit log store configured"))
	}
	entries, err := a.auditLog.AuditLog(ctx, strings.ToLower(topic), offset, limit)
	if err != nil {
		return nil, sightline.Internal(err)
	}
	return entries, nil
}
