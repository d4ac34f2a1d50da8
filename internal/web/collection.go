package web

import (
	"net/http"
	"strconv"
	"strings"

	"sightline"
	"sightline/internal/app"
)

// collectionPage serves GET /collection/{id}: id, id-slug or "root".
func (s *Server) collectionPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	var id int64
	if r.PathValue("id") != "root" {
		if id, err = idFromSlug(r, "id"); err != nil {
			return err
		}
	}
	if id == 0 && !u.IsAPIKey() {
		// Every person has a personal collection listed at the root.
		if _, err := s.app.PersonalCollection(r.Context(), u); err != nil {
			return err
		}
	}
	v, err := s.app.CollectionView(r.Context(), u, id)
	if err != nil {
		return err
	}
	var pinned, dashboards, cards []any
	for _, d := range v.Dashboards {
		if d.Pinned {
			pinned = append(pinned, collectionItem("dashboard", d.ID, d.Name, d.Description, d.Pinned, ""))
		} else {
			dashboards = append(dashboards, collectionItem("dashboard", d.ID, d.Name, d.Description, d.Pinned, ""))
		}
	}
	for _, c := range v.Cards {
		if c.Pinned {
			pinned = append(pinned, collectionItem("card", c.ID, c.Name, c.Description, c.Pinned, c.Display))
		} else {
			cards = append(cards, collectionItem("card", c.ID, c.Name, c.Description, c.Pinned, c.Display))
		}
	}
	s.render(w, r, http.StatusOK, "collection", pageData{Title: v.Collection.Name, Shell: defaultShell("collection"),
		Flash: flashFrom(r), Data: map[string]any{"View": v, "ID": id, "Pinned": pinned,
			"Dashboards": dashboards, "Cards": cards}})
	return nil
}

// listItem is one row of a collection page.
type listItem struct {
	Model, Name, Description, Display, URL string
	ID                                     int64
	Pinned                                 bool
}

func collectionItem(model string, id int64, name, desc string, pinned bool, display string) listItem {
	url := "/dashboard/" + strconv.FormatInt(id, 10) + "-" + sightline.Slug(name)
	if model == "card" {
		url = "/question/" + strconv.FormatInt(id, 10) + "-" + sightline.Slug(name)
	}
	return listItem{Model: model, ID: id, Name: name, Description: desc, Pinned: pinned, Display: display, URL: url}
}

// newCollectionSubmit serves POST /collection: a new collection under parent.
func (s *Server) newCollectionSubmit(w http.ResponseWriter, r *http.Request) error {
	parent, _ := strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	c, err := s.app.CreateCollection(r.Context(), userFrom(r.Context()), r.PostFormValue("name"), r.PostFormValue("description"), parent)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/collection/"+strconv.FormatInt(c.ID, 10)+"-"+sightline.Slug(c.Name), http.StatusSeeOther)
	return nil
}

// newCollectionPage serves GET /collection/new.
func (s *Server) newCollectionPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "collection_new", pageData{Title: "New collection", Shell: defaultShell("collection"),
		Data: map[string]any{"ParentID": r.URL.Query().Get("parent")}})
	return nil
}

// itemActionSubmit serves POST /item/{model}/{id}: pin, unpin, archive,
// restore or move (collection_id) a dashboard, question or collection.
func (s *Server) itemActionSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var e app.ItemEdit
	yes, no := true, false
	switch r.PostFormValue("action") {
	case "pin":
		e.Pinned = &yes
	case "unpin":
		e.Pinned = &no
	case "archive":
		e.Archived = &yes
	case "restore":
		e.Archived = &no
	case "move":
		coll, err := strconv.ParseInt(r.PostFormValue("collection_id"), 10, 64)
		if err != nil {
			return sightline.Errorf(sightline.EINVALID, "Pick a collection to move to.")
		}
		e.CollectionID = &coll
	default:
		return sightline.Errorf(sightline.EINVALID, "Unknown action %q.", r.PostFormValue("action"))
	}
	if err := s.app.UpdateItem(r.Context(), userFrom(r.Context()), r.PathValue("model"), id, e); err != nil {
		return err
	}
	back := r.PostFormValue("back")
	http.Redirect(w, r, safeLocalPath(back), http.StatusSeeOther)
	return nil
}

// trashPage serves GET /trash: archived items, each restorable.
func (s *Server) trashPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	items, err := s.app.Trash(r.Context(), u)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "trash", pageData{Title: "Trash", Shell: defaultShell("collection"), Data: items})
	return nil
}

// searchGroup is one kind of result on the search page.
type searchGroup struct {
	Model, Title string
	Results      []sightline.SearchResult
}

// searchPage serves GET /search?q=&type=.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	q := r.URL.Query().Get("q")
	typ := r.URL.Query().Get("type")
	var models []string
	if typ != "" {
		models = []string{typ}
	}
	results, err := s.app.Search(r.Context(), u, q, models)
	if err != nil {
		return err
	}
	groups := []searchGroup{{Model: "dashboard", Title: "Dashboards"}, {Model: "card", Title: "Questions"},
		{Model: "collection", Title: "Collections"}, {Model: "table", Title: "Tables"}}
	for _, res := range results {
		for i := range groups {
			if groups[i].Model == res.Model {
				groups[i].Results = append(groups[i].Results, res)
			}
		}
	}
	s.render(w, r, http.StatusOK, "search", pageData{Title: "Search", Shell: defaultShell("collection"),
		Data: map[string]any{"Q": q, "Type": typ, "Groups": groups, "Total": len(results)}})
	return nil
}

// apiSearch serves GET /api/search?q=&models=.
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	models := r.URL.Query()["models"]
	if len(models) == 1 && strings.Contains(models[0], ",") {
		models = strings.Split(models[0], ",")
	}
	results, err := s.app.Search(r.Context(), userFrom(r.Context()), r.URL.Query().Get("q"), models)
	if err != nil {
		return err
	}
	if results == nil {
		results = []sightline.SearchResult{}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"data": results, "total": len(results)})
	return nil
}

// resultURL is where a search result or trash item links to.
func resultURL(res sightline.SearchResult) string {
	id := strconv.FormatInt(res.ID, 10)
	switch res.Model {
	case "dashboard":
		return "/dashboard/" + id + "-" + sightline.Slug(res.Name)
	case "card":
		return "/question/" + id + "-" + sightline.Slug(res.Name)
	case "collection":
		return "/collection/" + id + "-" + sightline.Slug(res.Name)
	case "table":
		return "/table/" + id
	}
	return "/"
}
