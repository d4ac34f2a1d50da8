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

// TestLoadMemoryLimit reads the soft memory limit in the units GOMEMLIMIT
// takes; by default, and with 0 or off, the server sets none of its own.
func TestLoadMemoryLimit(t *testing.T) {
	tests := []struct {
		value string
		want  int64
	}{
		{"", 0},
		{"0", 0},
		{"off", 0},
		{"1048576", 1 << 20},
		{"4096B", 4096},
		{"512KiB", 512 << 10},
		{"256MiB", 256 << 20},
		{"2GiB", 2 << 30},
		{"1TiB", 1 << 40},
	}
	for _, tt := range tests {
		c, err := Load(nil, func(k string) string { return map[string]string{"SIGHTLINE_MEMORY_LIMIT": tt.value}[k] }, io.Discard)
		if err != nil {
			t.Errorf("SIGHTLINE_MEMORY_LIMIT=%q: %v", tt.value, err)
		} else if c.MemoryLimit != tt.want {
			t.Errorf("SIGHTLINE_MEMORY_LIMIT=%q: MemoryLimit = %d, want %d", tt.value, c.MemoryLimit, tt.want)
		}
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
		{"memory limit without a number", []string{"-memory-limit", "MiB"}, nil},
		{"memory limit in an unknown unit", nil, map[string]string{"SIGHTLINE_MEMORY_LIMIT": "64MB"}},
		{"negative memory limit", []string{"-memory-limit", "-1GiB"}, nil},
		{"memory limit past int64", []string{"-memory-limit", "9000000TiB"}, nil},
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
