package sightline

import (
	"strings"
	"time"
)

// AuditEntry is one recorded administrative change: who made it, when, what
// kind of change it was and its details.
type AuditEntry struct {
	ID int64
	At time.Time
	// Topic names the change, e.g. "group-create" or "settings".
	Topic string
	// Detail is a JSON object describing the change; secrets never appear in it.
	Detail string
	// UserID is the person who made the change, 0 when there was none; the
	// name and email are empty when that person no longer exists.
	UserID    int64
	FirstName string
	LastName  string
	Email     string
}

// Who names the actor as the log shows them: their name, else their email,
// else a placeholder for a deleted person or a change no one signed in made.
func (e *AuditEntry) Who() string {
	if name := strings.TrimSpace(e.FirstName + " " + e.LastName); name != "" {
		return name
	}
	switch {
	case e.Email != "":
		return e.Email
	case e.UserID != 0:
		return "a deleted user"
	}
	return "the system"
}
