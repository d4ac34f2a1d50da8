package sightline

// Models that can have a public link.
const (
	PublicCard      = "card"
	PublicDashboard = "dashboard"
)

// PublicLink is a question or dashboard shared by a public link: anyone
// with the link's uuid can see it without signing in.
type PublicLink struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	PublicUUID string `json:"public_uuid"`
}
