package app

import (
	"context"
	"encoding/json"
	"strconv"

	"sightline"
)

// publicSettings are the settings anyone may read, signed in or not: what
// the sign-in page and every page's chrome need. Nothing here is a secret
// or says how the instance is secured beyond which sign-in methods exist.
func publicSettings() []string {
	return []string{
		sightline.SettingSiteName, sightline.SettingSiteURL, sightline.SettingApplicationName,
		sightline.SettingApplicationColors, sightline.SettingApplicationFont, sightline.SettingApplicationLogo,
		sightline.SettingPasswordLoginEnabled, sightline.SettingJWTEnabled, sightline.SettingEnableXrays,
		sightline.SettingReportTimezone,
	}
}

// maskedSecret stands for a secret setting's value, which never leaves.
const maskedSecret = "**********"

// Typed returns the setting's value as its kind reads in JSON: a boolean,
// a number, a decoded JSON value, a string, or nil when it has no value. A
// secret comes back masked when it is set, and nil otherwise.
func (s Setting) Typed() any {
	switch {
	case s.Kind == sightline.SettingSecret:
		if s.Value != "" {
			return maskedSecret
		}
		return nil
	case s.Value == "":
		return nil
	case s.Kind == sightline.SettingBool:
		if b, err := strconv.ParseBool(s.Value); err == nil {
			return b
		}
	case s.Kind == sightline.SettingInt:
		if n, err := strconv.ParseInt(s.Value, 10, 64); err == nil {
			return n
		}
	case s.Kind == sightline.SettingJSON:
		var v any
		if err := json.Unmarshal([]byte(s.Value), &v); err == nil {
			return v
		}
	}
	return s.Value
}

// SessionProperties returns the settings a person may read, by key, typed:
// the public ones for anyone (signed in or not), and for an administrator
// every other setting as well, secrets masked.
func (a *App) SessionProperties(ctx context.Context, actor *sightline.User) (map[string]any, error) {
	keys := publicSettings()
	if actor != nil && actor.IsAdmin {
		keys = make([]string, 0, len(sightline.Settings))
		for _, d := range sightline.Settings {
			keys = append(keys, d.Key)
		}
	}
	out := make(map[string]any, len(keys))
	for _, k := range keys {
		s, err := a.settings.Get(ctx, k)
		if err != nil {
			return nil, err
		}
		out[k] = s.Typed()
	}
	return out, nil
}

// SettingValue returns one setting for an administrator. An unknown key is
// not found.
func (a *App) SettingValue(ctx context.Context, actor *sightline.User, key string) (Setting, error) {
	if err := requireAdmin(actor); err != nil {
		return Setting{}, err
	}
	if _, ok := sightline.LookupSetting(key); !ok {
		return Setting{}, sightline.Errorf(sightline.ENOTFOUND, "There is no setting named %q.", key)
	}
	return a.settings.Get(ctx, key)
}
