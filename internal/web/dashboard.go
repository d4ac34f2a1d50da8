package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sightline"
	"sightline/internal/app"
)

// apiGetDashboard serves GET /api/dashboard/{id}.
func (s *Server) apiGetDashboard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.app.Dashboard(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, d)
	return nil
}

// dashboardBody is the API form of a dashboard being created or saved.
type dashboardBody struct {
	Name         *string                         `json:"name"`
	Description  *string                         `json:"description"`
	CollectionID *int64                          `json:"collection_id"`
	Parameters   *[]sightline.DashboardParameter `json:"parameters"`
	Tabs         *[]sightline.DashboardTab       `json:"tabs"`
	Cards        *[]sightline.DashboardCard      `json:"dashcards"`
	AutoRefresh  *int                            `json:"auto_refresh"`
	Archived     *bool                           `json:"archived"`
	Pinned       *bool                           `json:"pinned"`
	Revision     *int                            `json:"revision"`
	// EnableEmbedding and EmbeddingParams publish the dashboard for static
	// embedding (administrators only).
	EnableEmbedding *bool              `json:"enable_embedding"`
	EmbeddingParams *map[string]string `json:"embedding_params"`
	// CacheTTL is the hours the cards' results are cached (null: the
	// caching settings decide).
	CacheTTL json.RawMessage `json:"cache_ttl"`
	// Accepted for compatibility and ignored.
	CollectionPosition json.RawMessage `json:"collection_position"`
}

func (b *dashboardBody) apply(d *sightline.Dashboard) error {
	if len(b.CacheTTL) > 0 {
		ttl, err := parseCacheTTL(b.CacheTTL)
		if err != nil {
			return err
		}
		d.CacheTTL = ttl
	}
	if b.Name != nil {
		d.Name = *b.Name
	}
	if b.Description != nil {
		d.Description = *b.Description
	}
	if b.CollectionID != nil {
		d.CollectionID = *b.CollectionID
	}
	if b.Parameters != nil {
		d.Parameters = *b.Parameters
	}
	if b.Tabs != nil {
		d.Tabs = *b.Tabs
	}
	if b.Cards != nil {
		d.Cards = *b.Cards
	}
	if b.AutoRefresh != nil {
		d.AutoRefresh = *b.AutoRefresh
	}
	if b.EnableEmbedding != nil {
		d.EnableEmbedding = *b.EnableEmbedding
	}
	if b.EmbeddingParams != nil {
		d.EmbeddingParams = *b.EmbeddingParams
	}
	if b.Archived != nil {
		d.Archived = *b.Archived
	}
	if b.Pinned != nil {
		d.Pinned = *b.Pinned
	}
	if b.Revision != nil {
		d.Revision = *b.Revision
	}
	return nil
}

// apiCreateDashboard serves POST /api/dashboard.
func (s *Server) apiCreateDashboard(w http.ResponseWriter, r *http.Request) error {
	var b dashboardBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	d := &sightline.Dashboard{}
	if err := b.apply(d); err != nil {
		return err
	}
	d, err := s.app.CreateDashboard(r.Context(), userFrom(r.Context()), d)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, d)
	return nil
}

// apiUpdateDashboard serves PUT /api/dashboard/{id}: fields present in the
// body replace the stored ones (dashcards replace the whole layout). With a
// "revision", a dashboard saved by someone else meanwhile is a 409.
func (s *Server) apiUpdateDashboard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b dashboardBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	u := userFrom(r.Context())
	d, err := s.app.Dashboard(r.Context(), u, id)
	if err != nil {
		return err
	}
	cp := *d
	if err := b.apply(&cp); err != nil {
		return err
	}
	saved, err := s.app.UpdateDashboard(r.Context(), u, &cp)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, saved)
	return nil
}

// apiCopyDashboard serves POST /api/dashboard/{id}/copy.
func (s *Server) apiCopyDashboard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.app.DuplicateDashboard(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, d)
	return nil
}

// dashcardParametersBody is the optional body of the routes that run or
// download a dashboard card: the dashboard's filter values.
type dashcardParametersBody struct {
	Parameters []app.FilterValue `json:"parameters"`
	// IgnoreCache re-runs the card instead of answering from the result
	// cache; the fresh result replaces the cached one.
	IgnoreCache bool `json:"ignore_cache"`
}

// dashcardPath reads the {dashcard} and {card} ids of a dashboard card's
// route: the card on the dashboard and the question it must show.
func dashcardPath(r *http.Request) (dashcard, card int64, err error) {
	if dashcard, err = pathID(r, "dashcard"); err != nil {
		return 0, 0, err
	}
	if card, err = pathID(r, "card"); err != nil {
		return 0, 0, err
	}
	return dashcard, card, nil
}

// apiRunDashcard serves
// POST /api/dashboard/{id}/dashcard/{dashcard}/card/{card}/query with
// {"parameters": [{"id": "plan", "value": ["Basic"]}]}.
func (s *Server) apiRunDashcard(w http.ResponseWriter, r *http.Request) error {
	started := time.Now()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	dcID, cardID, err := dashcardPath(r)
	if err != nil {
		return err
	}
	var body dashcardParametersBody
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &body); err != nil {
			return err
		}
	}
	res, err := s.app.RunDashcard(r.Context(), userFrom(r.Context()), id, dcID, cardID, body.Parameters, app.RunOptions{IgnoreCache: body.IgnoreCache})
	if err != nil {
		return err
	}
	s.writeDataset(w, res, started)
	return nil
}

// apiDashboardParamValues serves GET /api/dashboard/{id}/params/{param}/values:
// the values a dashboard filter's drop-down offers, computed the way the
// dashboard's questions run, as {"values": [[v], ...], "has_more_values": b}.
// The query string carries other filters' current values
// (?<filter id>=value, repeated for several), which narrow the list when
// the filter is limited by them (filteringParameters).
func (s *Server) apiDashboardParamValues(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pv, err := s.app.DashboardParamValues(r.Context(), userFrom(r.Context()), id, r.PathValue("param"), r.URL.Query())
	if err != nil {
		return err
	}
	wrapped := make([][]any, len(pv.Values))
	for i, v := range pv.Values {
		wrapped[i] = []any{v}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"values": wrapped, "has_more_values": pv.HasMore})
	return nil
}

// collectionID reads "root" or a number.
func collectionID(r *http.Request) (int64, error) {
	v := r.PathValue("id")
	if v == "root" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, sightline.Errorf(sightline.ENOTFOUND, "Collection not found.")
	}
	return id, nil
}

// item is one entry of GET /api/collection/{id}/items.
type item struct {
	Model       string `json:"model"`
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Display     string `json:"display,omitempty"`
	Pinned      bool   `json:"collection_position,omitempty"`
}

// apiCollectionItems serves GET /api/collection/{id}/items (id or "root")
// with the parameters models (repeated or comma-separated), archived,
// limit and offset, in the reference vendor's envelope
// {data, total, models, limit, offset}; total counts every item before
// limit and offset apply.
func (s *Server) apiCollectionItems(w http.ResponseWriter, r *http.Request) error {
	id, err := collectionID(r)
	if err != nil {
		return err
	}
	archived, err := boolParam(r, "archived")
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit")
	if err != nil {
		return err
	}
	offset, err := intParam(r, "offset")
	if err != nil {
		return err
	}
	v, err := s.app.CollectionItems(r.Context(), userFrom(r.Context()), id, archived)
	if err != nil {
		return err
	}
	models := r.URL.Query()["models"]
	if len(models) == 1 && strings.Contains(models[0], ",") {
		models = strings.Split(models[0], ",")
	}
	want := func(m string) bool {
		if len(models) == 0 {
			return true
		}
		for _, x := range models {
			if x == m {
				return true
			}
		}
		return false
	}
	data := []item{}
	if want("collection") {
		for _, c := range v.Collections {
			data = append(data, item{Model: "collection", ID: c.ID, Name: c.Name, Description: c.Description})
		}
	}
	if want("dashboard") {
		for _, d := range v.Dashboards {
			data = append(data, item{Model: "dashboard", ID: d.ID, Name: d.Name, Description: d.Description, Pinned: d.Pinned})
		}
	}
	if want("card") {
		for _, c := range v.Cards {
			data = append(data, item{Model: "card", ID: c.ID, Name: c.Name, Description: c.Description, Display: c.Display, Pinned: c.Pinned})
		}
	}
	total := len(data)
	var lim, off any
	if r.URL.Query().Has("offset") {
		off = offset
		data = data[min(int(offset), len(data)):]
	}
	if r.URL.Query().Has("limit") {
		lim = limit
		data = data[:min(int(limit), len(data))]
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"data": data, "total": total, "models": []string{"collection", "dashboard", "card"},
		"limit": lim, "offset": off})
	return nil
}

// apiGetCollection serves GET /api/collection/{id} (id or "root").
func (s *Server) apiGetCollection(w http.ResponseWriter, r *http.Request) error {
	id, err := collectionID(r)
	if err != nil {
		return err
	}
	v, err := s.app.CollectionView(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	out := map[string]any{"id": v.Collection.ID, "name": v.Collection.Name, "description": v.Collection.Description,
		"archived": v.Collection.Archived, "effective_ancestors": nonNilList(v.Ancestors), "can_write": v.CanWrite}
	if id == 0 {
		out["id"] = "root"
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}

// collectionBody is the API form of a collection being created.
type collectionBody struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	ParentID    *int64 `json:"parent_id"`
	Color       string `json:"color"`
}

// apiCreateCollection serves POST /api/collection with {name, description, parent_id}.
func (s *Server) apiCreateCollection(w http.ResponseWriter, r *http.Request) error {
	var in collectionBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var parent int64
	if in.ParentID != nil {
		parent = *in.ParentID
	}
	c, err := s.app.CreateCollection(r.Context(), userFrom(r.Context()), in.Name, in.Description, parent)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, c)
	return nil
}

// apiUpdateCollection serves PUT /api/collection/{id}.
func (s *Server) apiUpdateCollection(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var e app.CollectionEdit
	if err := decodeJSON(r, &e); err != nil {
		return err
	}
	c, err := s.app.UpdateCollection(r.Context(), userFrom(r.Context()), id, e)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, c)
	return nil
}
