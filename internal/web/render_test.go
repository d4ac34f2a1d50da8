package web

import (
	"testing"

	"sightline"
)

func TestInitials(t *testing.T) {
	tests := []struct {
		first, last, email, want string
	}{
		{"Ada", "Lovelace", "ada@example.com", "AL"},
		{"Émile", "Zola", "emile@example.com", "ÉZ"},
		{"Øyvind", "Ødegård Berg", "o@example.com", "ØØ"},
		{"李", "小龙", "li@example.com", "李小"},
		{"ñandú", "", "n@example.com", "Ñ"},
		{"", "", "zoë@example.com", "Z"},
		{"<script>", "&amp;", "x@example.com", "<&"},
	}
	for _, tt := range tests {
		u := &sightline.User{FirstName: tt.first, LastName: tt.last, Email: tt.email}
		if got := initials(u); got != tt.want {
			t.Errorf("initials(%q, %q, %q) = %q, want %q", tt.first, tt.last, tt.email, got, tt.want)
		}
	}
	if got := initials(nil); got != "?" {
		t.Errorf("initials(nil) = %q, want \"?\"", got)
	}
}
