package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"sightline"
)

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// greeting picks a greeting for the time of day.
func greeting(now time.Time, name string) string {
	switch h := now.Hour(); {
	case h < 5 || h >= 18:
		return "Good evening, " + name
	case h < 12:
		return "Good morning, " + name
	default:
		return "Good afternoon, " + name
	}
}

// homePage serves GET /: where people land after signing in.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request) error {
	if need, err := s.app.NeedsSetup(r.Context()); err != nil {
		return err
	} else if need {
		http.Redirect(w, r, "/setup", http.StatusFound)
		return nil
	}
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	name := u.FirstName
	if name == "" {
		name = u.Email
	}
	recent, err := s.app.RecentItems(r.Context(), u, 8)
	if err != nil {
		return err
	}
	root, err := s.app.CollectionView(r.Context(), u, 0)
	if err != nil {
		return err
	}
	var pinned []listItem
	for _, d := range root.Dashboards {
		if d.Pinned {
			pinned = append(pinned, collectionItem("dashboard", d.ID, d.Name, d.Description, true, ""))
		}
	}
	var recentItems []listItem
	for _, it := range recent {
		recentItems = append(recentItems, collectionItem(it.Model, it.ID, it.Name, "", false, ""))
	}
	s.render(w, r, http.StatusOK, "home", pageData{Title: "Home", Shell: defaultShell("home"),
		Data: map[string]any{"Greeting": greeting(time.Now(), name), "Recent": recentItems, "Pinned": pinned}})
	return nil
}

// notFound serves every path no other route matches.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	if need, err := s.app.NeedsSetup(r.Context()); err == nil && need && !wantsJSON(r) {
		http.Redirect(w, r, "/setup", http.StatusFound)
		return nil
	}
	return sightline.Errorf(sightline.ENOTFOUND, "The page you asked for does not exist.")
}
