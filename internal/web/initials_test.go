package web

import (
	"testing"

	"sightline"
)

func TestInitials(t *testing.T) {
	for _, tt := range []struct {
		u    *sightline.User
		want string
	}{
		{nil, "?"},
		{&sightline.User{FirstName: "Ada", LastName: "Lovelace"}, "AL"},
		{&sightline.User{FirstName: "émile", LastName: "Zola"}, "ÉZ"},
		{&sightline.User{FirstName: "Ōta", LastName: "Ñúñez", Email: "x@example.com"}, "ŌÑ"},
		{&sightline.User{FirstName: "Jean Paul", LastName: "Sartre"}, "JP"},
		{&sightline.User{Email: "ünal@example.com"}, "Ü"},
		{&sightline.User{}, "?"},
	} {
		if got := initials(tt.u); got != tt.want {
			t.Errorf("initials(%+v) = %q, want %q", tt.u, got, tt.want)
		}
	}
}
