package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"sightline"
	"sightline/internal/app"
)

// settingJSON is the API form of a setting, its value and default typed
// by the setting's kind; secrets are never sent back.
func settingJSON(s app.Setting) map[string]any {
	v := typedSetting(s.Kind, s.Value)
	if s.Kind == sightline.SettingSecret {
		v = nil
		if s.IsSet {
			v = sightline.SecretMask
		}
	}
	return map[string]any{"key": s.Key, "value": v, "default": typedSetting(s.Kind, s.Default), "description": s.Description,
		"is_env_setting": s.FromEnv, "env_name": sightline.EnvName(s.Key)}
}

// typedSetting is a stored setting value as the JSON type of its kind, as
// the reference vendor sends them: true rather than "true", 600 rather
// than "600", an object rather than its text. A value that does not parse
// as its kind, or is empty, is sent as stored.
func typedSetting(kind, v string) any {
	switch kind {
	case sightline.SettingBool:
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	case sightline.SettingInt:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	case sightline.SettingJSON:
		if v != "" && json.Valid([]byte(v)) {
			return json.RawMessage(v)
		}
	}
	return v
}

// apiListSettings serves GET /api/setting (administrators only).
func (s *Server) apiListSettings(w http.ResponseWriter, r *http.Request) error {
	all, err := s.app.AdminSettings(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(all))
	for _, st := range all {
		out = append(out, settingJSON(st))
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}

// settingBody is the body of PUT /api/setting/{key}.
type settingBody struct {
	Value any `json:"value"`
}

// apiPutSetting serves PUT /api/setting/{key} with {"value": ...}.
func (s *Server) apiPutSetting(w http.ResponseWriter, r *http.Request) error {
	var in settingBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := settingValueString(in.Value)
	if err != nil {
		return err
	}
	if err := checkAppearanceValue(r.PathValue("key"), v); err != nil {
		return err
	}
	if err := s.app.UpdateSettings(r.Context(), userFrom(r.Context()), map[string]string{r.PathValue("key"): v}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// settingValueString turns a JSON value into the stored string form.
func settingValueString(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case bool:
		if x {
			return "true", nil
		}
		return "false", nil
	case float64:
		return formatNumber(x), nil
	case map[string]any, []any:
		b, err := jsonMarshal(x)
		return string(b), err
	}
	return "", sightline.Errorf(sightline.EINVALID, "Unsupported setting value.")
}

// adminSettingsPage serves GET /admin/settings.
func (s *Server) adminSettingsPage(w http.ResponseWriter, r *http.Request) error {
	all, err := s.app.AdminSettings(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_settings", pageData{Title: "Settings", Shell: defaultShell("admin"),
		Flash: flashFrom(r), Data: map[string]any{"Settings": all}})
	return nil
}

// adminSettingsSubmit serves POST /admin/settings: the general settings form.
func (s *Server) adminSettingsSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return sightline.Errorf(sightline.EINVALID, "The form could not be read.")
	}
	all, err := s.app.AdminSettings(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	kv := settingsFormValues(r.PostForm, all)
	if err := s.app.UpdateSettings(r.Context(), userFrom(r.Context()), kv); err != nil {
		if sightline.ErrorCode(err) == sightline.EINVALID {
			s.render(w, r, http.StatusBadRequest, "admin_settings", pageData{Title: "Settings", Shell: defaultShell("admin"),
				Error: sightline.ErrorMessage(err), Data: map[string]any{"Settings": all}})
			return nil
		}
		return err
	}
	seeOther(w, r, "/admin/settings", "Saved.")
	return nil
}

// settingsFormValues picks the general settings form's values out of form.
// A setting that an environment variable sets is read-only on the page and
// skipped here, whatever the browser sent for it (a read-only input is still
// submitted, and a disabled checkbox would read as false), so that it does
// not stop the rest of the form from being saved.
func settingsFormValues(form url.Values, current []app.Setting) map[string]string {
	fromEnv := map[string]bool{}
	for _, st := range current {
		fromEnv[st.Key] = st.FromEnv
	}
	kv := map[string]string{}
	for _, key := range []string{sightline.SettingSiteName, sightline.SettingSiteURL, sightline.SettingSessionSameSite,
		sightline.SettingReportTimezone, sightline.SettingEnableXrays, sightline.SettingPasswordLoginEnabled} {
		if fromEnv[key] {
			continue
		}
		if _, ok := form[key]; ok {
			kv[key] = form.Get(key)
		}
	}
	for _, key := range []string{sightline.SettingEnableXrays, sightline.SettingPasswordLoginEnabled} {
		if !fromEnv[key] && form.Get(key+"__present") == "1" && form.Get(key) == "" {
			kv[key] = "false"
		}
	}
	return kv
}

// checkAppearanceValue applies the appearance form's checks to a value set
// through the API, so that colours or a logo the page would ignore are
// refused when they are saved rather than dropped when they are shown. (The
// font is one of its setting's choices, which the settings check.)
func checkAppearanceValue(key, v string) error {
	if v == "" {
		return nil
	}
	switch key {
	case sightline.SettingApplicationColors:
		_, err := decodeColors(v)
		return err
	case sightline.SettingApplicationLogo:
		_, _, err := parseLogoURL(v)
		return err
	}
	return nil
}
