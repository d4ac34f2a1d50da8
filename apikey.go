package sightline

import (
	"strings"
	"time"
)

// APIKeyPrefixLen is how many leading characters of an API key are kept in
// the clear, so that lists can tell keys apart ("mb_AbCd").
const APIKeyPrefixLen = 7

// APIKey is a credential for scripts and API clients. A request made with
// a key acts as a member of the key's group (and of All Users): an
// administrator only when the group is Administrators. Only a hash of the
// key is stored; Prefix is its first APIKeyPrefixLen characters.
type APIKey struct {
	ID        int64
	Name      string
	GroupID   int64
	GroupName string
	Prefix    string
	CreatorID int64
	UpdatedBy int64
	// UpdatedByName is the common name of the person behind the last change.
	UpdatedByName string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// MaskedKey is how the key is shown after it was created: its prefix and
// stars.
func (k *APIKey) MaskedKey() string { return k.Prefix + "****************************************" }

// Validate checks a key's name and group.
func (k *APIKey) Validate() error {
	k.Name = strings.TrimSpace(k.Name)
	if k.Name == "" {
		return Errorf(EINVALID, "An API key needs a name.")
	}
	if len(k.Name) > 254 {
		return Errorf(EINVALID, "API key names must be at most 254 characters.")
	}
	if k.GroupID <= 0 {
		return Errorf(EINVALID, "An API key needs a group: its requests get that group's permissions.")
	}
	return nil
}
