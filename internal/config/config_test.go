package config

import (
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"sightline"
)

func TestLoad(t *testing.T) {
	env := map[string]string{
		"SIGHTLINE_PORT":     "4000",
		"SIGHTLINE_SITE_URL": "https://bi.example.com/",
		"SIGHTLINE_DATA_DIR": "/var/lib/sightline",
	}
	getenv := func(k string) string { return env[k] }
	c, err := Load([]string{"-port", "5000"}, getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 5000 {
		t.Errorf("Port = %d, want 5000 (flag wins over env)", c.Port)
	}
	if c.SiteURL != "https://bi.example.com" {
		t.Errorf("SiteURL = %q, want trailing slash trimmed", c.SiteURL)
	}
	if got, want := c.AppDBPath(), "/var/lib/sightline/sightline.db"; got != want {
		t.Errorf("AppDBPath() = %q, want %q", got, want)
	}
	if c.CacheURL != "" {
		t.Errorf("CacheURL = %q by default, want none (caches in process)", c.CacheURL)
	}
	env["SIGHTLINE_CACHE_URL"] = "redis://127.0.0.1:6379/2"
	if c, err := Load(nil, getenv, io.Discard); err != nil || c.CacheURL != "redis://127.0.0.1:6379/2" {
		t.Errorf("SIGHTLINE_CACHE_URL: CacheURL = %v, %v; want the environment's URL", c, err)
	}
	if !c.SampleDB || c.SyncInterval != time.Hour {
		t.Errorf("defaults: SampleDB=%v SyncInterval=%v, want true 1h", c.SampleDB, c.SyncInterval)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"bad port", []string{"-port", "http"}, nil},
		{"port out of range", nil, map[string]string{"SIGHTLINE_PORT": "70000"}},
		{"relative site url", []string{"-site-url", "bi.example.com"}, nil},
		{"mysql app db", []string{"-db-url", "mysql://root@localhost/x"}, nil},
		{"admin email without password", nil, map[string]string{"SIGHTLINE_ADMIN_EMAIL": "a@b.c"}},
		{"bad log format", []string{"-log-format", "xml"}, nil},
		{"bad duration", []string{"-sync-interval", "soon"}, nil},
		{"stray argument", []string{"extra"}, nil},
		{"cache url not redis", []string{"-cache-url", "memcached://127.0.0.1:11211"}, nil},
		{"cache url without a scheme", nil, map[string]string{"SIGHTLINE_CACHE_URL": "127.0.0.1:6379"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.args, func(k string) string { return tt.env[k] }, io.Discard)
			if err == nil {
				t.Errorf("Load(%v) = nil error, want an error", tt.args)
			}
		})
	}
}

// TestReferenceDocumentsEverySetting keeps docs/configuration.md true: every
// environment variable and admin setting must appear in it.
func TestReferenceDocumentsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, v := range Vars {
		if !strings.Contains(doc, "`"+v.Name+"`") {
			t.Errorf("docs/configuration.md does not document %s", v.Name)
		}
	}
	for _, s := range sightline.Settings {
		if !strings.Contains(doc, "`"+s.Key+"`") || !strings.Contains(doc, "`"+sightline.EnvName(s.Key)+"`") {
			t.Errorf("docs/configuration.md does not document the setting %s (%s)", s.Key, sightline.EnvName(s.Key))
		}
	}
}
