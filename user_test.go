package sightline

import "testing"

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"admin@example.com", "admin@example.com"},
		{"ADMIN@Example.COM", "admin@example.com"},
		{"  admin@example.com  ", "admin@example.com"},
		{"\tAdmin@Example.com\n", "admin@example.com"},
		// Only ASCII letters fold: the Kelvin sign stays, and so do other
		// letters with a case.
		{"\u212Aate@example.com", "\u212Aate@example.com"},
		{"\u212AATE@example.com", "\u212Aate@example.com"},
		{"ÉLODIE@example.com", "Élodie@example.com"},
		{"İnan@example.com", "İnan@example.com"},
	}
	for _, tt := range tests {
		if got := NormalizeEmail(tt.in); got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
