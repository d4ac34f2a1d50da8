package app

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"time"

	"sightline"
)

// settingsTTL bounds how stale another instance's setting change can be
// here without a cache bus (see liveTTL).
const settingsTTL = 5 * time.Second

// SettingsCache serves typed settings: an environment variable wins, then
// the stored value, then the default. Stored values are cached for a few
// seconds so that several instances sharing one database converge quickly
// without a query per request.
type SettingsCache struct {
	store interface {
		Settings(ctx context.Context) (map[string]string, error)
		SetSettings(ctx context.Context, kv map[string]string) error
	}
	getenv func(string) string
	now    func() time.Time
	// fresh, when set, lengthens settingsTTL while the cache bus is
	// heard; changed, when set, tells other instances of a Set.
	fresh   *freshness
	changed func()

	mu     sync.Mutex
	stored map[string]string
	loaded time.Time
	// gen counts invalidations (see permCache.gen).
	gen     uint64
	loading flights[uint64, map[string]string]
}

// NewSettingsCache returns a cache over store.
func NewSettingsCache(store Store, getenv func(string) string, now func() time.Time) *SettingsCache {
	return &SettingsCache{store: store, getenv: getenv, now: now}
}

// Setting is a setting's current value and where it comes from, as the admin
// UI shows it.
type Setting struct {
	sightline.SettingDef
	Value string
	// FromEnv is true when an environment variable sets the value; the UI
	// shows it read-only.
	FromEnv bool
	IsSet   bool
}

// load returns the stored settings, reading them again once they are
// older than settingsTTL; concurrent requests share one read, which holds
// no lock while it runs.
func (c *SettingsCache) load(ctx context.Context) (map[string]string, error) {
	c.mu.Lock()
	stored, loaded, gen := c.stored, c.loaded, c.gen
	c.mu.Unlock()
	if stored != nil && c.now().Sub(loaded) < c.fresh.ttl(settingsTTL) {
		return stored, nil
	}
	return c.loading.do(ctx, context.Background(), gen, func(ctx context.Context) (map[string]string, error) {
		at := c.now()
		m, err := c.store.Settings(ctx)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		if c.gen == gen {
			c.stored, c.loaded = m, at
		}
		c.mu.Unlock()
		return m, nil
	})
}

// Get returns a setting's effective value.
func (c *SettingsCache) Get(ctx context.Context, key string) (Setting, error) {
	def, ok := sightline.LookupSetting(key)
	if !ok {
		return Setting{}, sightline.Errorf(sightline.EINVALID, "Unknown setting %q.", key)
	}
	s := Setting{SettingDef: def, Value: def.Default}
	if v := c.getenv(sightline.EnvName(key)); v != "" {
		if nv, err := def.Normalize(v); err == nil {
			v = nv
		}
		s.Value, s.FromEnv, s.IsSet = v, true, true
		return s, nil
	}
	stored, err := c.load(ctx)
	if err != nil {
		return Setting{}, err
	}
	if v, ok := stored[key]; ok {
		s.Value, s.IsSet = v, true
	}
	return s, nil
}

// String returns a setting's value, or its default when it cannot be read.
func (c *SettingsCache) String(ctx context.Context, key string) string {
	s, err := c.Get(ctx, key)
	if err != nil {
		def, _ := sightline.LookupSetting(key)
		return def.Default
	}
	return s.Value
}

// Bool returns a boolean setting.
func (c *SettingsCache) Bool(ctx context.Context, key string) bool {
	b, _ := strconv.ParseBool(c.String(ctx, key))
	return b
}

// JSON decodes a JSON setting into v.
func (c *SettingsCache) JSON(ctx context.Context, key string, v any) error {
	s := c.String(ctx, key)
	if s == "" {
		s = "{}"
	}
	return json.Unmarshal([]byte(s), v)
}

// All returns every setting in definition order.
func (c *SettingsCache) All(ctx context.Context) ([]Setting, error) {
	out := make([]Setting, 0, len(sightline.Settings))
	for _, d := range sightline.Settings {
		s, err := c.Get(ctx, d.Key)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Set validates and stores settings and returns the ones whose value
// changed. A value equal to the current one is no change: sending back
// what was read (an environment-fixed value, a secret as SecretMask) writes
// nothing. A setting fixed by an environment variable cannot be changed
// here.
func (c *SettingsCache) Set(ctx context.Context, kv map[string]string) (map[string]string, error) {
	clean := make(map[string]string, len(kv))
	for k, v := range kv {
		def, ok := sightline.LookupSetting(k)
		if !ok {
			return nil, sightline.Errorf(sightline.EINVALID, "Unknown setting %q.", k)
		}
		cur, err := c.Get(ctx, k)
		if err != nil {
			return nil, err
		}
		if def.Kind == sightline.SettingSecret && cur.IsSet && v == sightline.SecretMask {
			continue
		}
		if v != "" {
			nv, err := def.Normalize(v)
			if err != nil {
				return nil, err
			}
			if def.Kind == sightline.SettingJSON && !json.Valid([]byte(nv)) {
				return nil, sightline.Errorf(sightline.EINVALID, "%s must be valid JSON.", k)
			}
			v = nv
		}
		if v == cur.Value || def.Kind == sightline.SettingJSON && v != "" && sameJSON(v, cur.Value) {
			continue
		}
		if cur.FromEnv {
			return nil, sightline.Errorf(sightline.EINVALID, "%s is set by the environment variable %s and cannot be changed here.", k, sightline.EnvName(k))
		}
		clean[k] = v
	}
	if len(clean) == 0 {
		return clean, nil
	}
	if err := c.store.SetSettings(ctx, clean); err != nil {
		return nil, err
	}
	if c.changed != nil {
		c.changed()
	} else {
		c.forget()
	}
	return clean, nil
}

// forget drops the stored settings, so that the next read loads them.
func (c *SettingsCache) forget() {
	c.mu.Lock()
	c.stored = nil
	c.gen++
	c.mu.Unlock()
}

// sameJSON reports whether a and b are the same JSON value, whatever their
// spacing and key order.
func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// AdminSettings returns every setting for an administrator.
func (a *App) AdminSettings(ctx context.Context, actor *sightline.User) ([]Setting, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	return a.settings.All(ctx)
}

// UpdateSettings lets an administrator change settings; the change is
// recorded in the audit log (secret values are not).
func (a *App) UpdateSettings(ctx context.Context, actor *sightline.User, kv map[string]string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	before := make(map[string]string, len(kv))
	for k := range kv {
		if s, err := a.settings.Get(ctx, k); err == nil {
			before[k] = s.Value
		}
	}
	changed, err := a.settings.Set(ctx, kv)
	if err != nil || len(changed) == 0 {
		return err
	}
	// The entry maps each changed setting to its new value and, under
	// "previous", to the value it replaced, so that the log can say "from
	// A to B".
	logged := make(map[string]any, len(changed)+1)
	previous := make(map[string]string, len(changed))
	for k, v := range changed {
		logged[k], previous[k] = auditSettingValue(k, v), auditSettingValue(k, before[k])
	}
	logged["previous"] = previous
	a.audit(ctx, actor, "settings", jsonDetail(logged))
	return nil
}

// auditSettingValue is a setting's value as the audit log records it:
// never a secret, and a logo by its size.
func auditSettingValue(key, v string) string {
	if d, _ := sightline.LookupSetting(key); d.Kind == sightline.SettingSecret {
		if v == "" {
			return ""
		}
		return "(secret)"
	}
	if key == sightline.SettingApplicationLogo && v != "" {
		return fmt.Sprintf("(logo uploaded, %d bytes)", len(v))
	}
	return v
}
