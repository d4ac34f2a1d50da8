package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"sightline"
	"sightline/internal/app"
)

// publicLinkModel is the model a public-link admin route acts on, from the
// first segment of its path.
func publicLinkModel(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/api/dashboard/") {
		return sightline.PublicDashboard
	}
	return sightline.PublicCard
}

// apiCreatePublicLink serves POST /api/card/{id}/public_link and
// POST /api/dashboard/{id}/public_link: {"uuid": "..."}.
func (s *Server) apiCreatePublicLink(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	uuid, err := s.app.CreatePublicLink(r.Context(), userFrom(r.Context()), publicLinkModel(r), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, map[string]string{"uuid": uuid})
	return nil
}

// apiDeletePublicLink serves DELETE /api/card/{id}/public_link and
// DELETE /api/dashboard/{id}/public_link.
func (s *Server) apiDeletePublicLink(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.DeletePublicLink(r.Context(), userFrom(r.Context()), publicLinkModel(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiListPublicLinks serves GET /api/card/public and GET
// /api/dashboard/public.
func (s *Server) apiListPublicLinks(w http.ResponseWriter, r *http.Request) error {
	links, err := s.app.PublicLinks(r.Context(), userFrom(r.Context()), publicLinkModel(r))
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, links)
	return nil
}

// publicCardJSON is a question as a public link shows it: how to display
// it, never its query, collection or author.
type publicCardJSON struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Display     string          `json:"display"`
	VizSettings json.RawMessage `json:"visualization_settings"`
}

func publicCard(c *sightline.Card) *publicCardJSON {
	if c == nil {
		return nil
	}
	return &publicCardJSON{ID: c.ID, Name: c.Name, Description: c.Description, Display: c.Display, VizSettings: c.VizSettings}
}

// publicDashcardJSON is a dashboard card as a public link shows it.
type publicDashcardJSON struct {
	ID          int64                        `json:"id"`
	CardID      int64                        `json:"card_id,omitempty"`
	TabID       int64                        `json:"dashboard_tab_id,omitempty"`
	Row         int                          `json:"row"`
	Col         int                          `json:"col"`
	SizeX       int                          `json:"size_x"`
	SizeY       int                          `json:"size_y"`
	Mappings    []sightline.ParameterMapping `json:"parameter_mappings"`
	VizSettings json.RawMessage              `json:"visualization_settings"`
	Card        *publicCardJSON              `json:"card,omitempty"`
}

// apiPublicCard serves GET /api/public/card/{uuid}.
func (s *Server) apiPublicCard(w http.ResponseWriter, r *http.Request) error {
	c, err := s.app.PublicCard(r.Context(), r.PathValue("uuid"))
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, publicCard(c))
	return nil
}

// publicParameters reads the optional "parameters" query-string value, a
// JSON list, into v.
func publicParameters(r *http.Request, v any) error {
	p := r.URL.Query().Get("parameters")
	if p == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(p), v); err != nil {
		return sightline.Errorf(sightline.EINVALID, "The parameters value must be a JSON list of filter values: %v.", err)
	}
	return nil
}

// apiPublicCardQuery serves GET /api/public/card/{uuid}/query.
func (s *Server) apiPublicCardQuery(w http.ResponseWriter, r *http.Request) error {
	started := time.Now()
	// Parameters carry their target (a variable or a field) in the wire
	// form that only sightline.ParseParameters reads.
	var params []sightline.Parameter
	if p := r.URL.Query().Get("parameters"); p != "" {
		var err error
		if params, err = sightline.ParseParameters([]byte(p)); err != nil {
			return err
		}
	}
	_, res, err := s.app.RunPublicCard(r.Context(), r.PathValue("uuid"), params, app.RunOptions{})
	if err != nil {
		return err
	}
	s.writeDataset(w, res, started)
	return nil
}

// apiPublicDashboard serves GET /api/public/dashboard/{uuid}.
func (s *Server) apiPublicDashboard(w http.ResponseWriter, r *http.Request) error {
	d, err := s.app.PublicDashboard(r.Context(), r.PathValue("uuid"))
	if err != nil {
		return err
	}
	cards := make([]publicDashcardJSON, 0, len(d.Cards))
	for _, dc := range d.Cards {
		cards = append(cards, publicDashcardJSON{ID: dc.ID, CardID: dc.CardID, TabID: dc.TabID, Row: dc.Row, Col: dc.Col,
			SizeX: dc.SizeX, SizeY: dc.SizeY, Mappings: dc.Mappings, VizSettings: dc.VizSettings, Card: publicCard(dc.Card)})
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"id": d.ID, "name": d.Name, "description": d.Description,
		"parameters": d.Parameters, "tabs": d.Tabs, "dashcards": cards})
	return nil
}

// apiPublicDashcard serves
// GET /api/public/dashboard/{uuid}/dashcard/{dashcard}/card/{card}.
func (s *Server) apiPublicDashcard(w http.ResponseWriter, r *http.Request) error {
	started := time.Now()
	dcID, cardID, err := dashcardPath(r)
	if err != nil {
		return err
	}
	var values []app.FilterValue
	if err := publicParameters(r, &values); err != nil {
		return err
	}
	res, err := s.app.RunPublicDashcard(r.Context(), r.PathValue("uuid"), dcID, cardID, values, app.RunOptions{})
	if err != nil {
		return err
	}
	s.writeDataset(w, res, started)
	return nil
}

// apiPublicDashboardParamValues serves
// GET /api/public/dashboard/{uuid}/params/{param}/values.
func (s *Server) apiPublicDashboardParamValues(w http.ResponseWriter, r *http.Request) error {
	pv, err := s.app.PublicDashboardParamValues(r.Context(), r.PathValue("uuid"), r.PathValue("param"), r.URL.Query())
	if err != nil {
		return err
	}
	s.writeParamValues(w, pv)
	return nil
}

// apiPublicCardParamValues serves
// GET /api/public/card/{uuid}/params/{param}/values.
func (s *Server) apiPublicCardParamValues(w http.ResponseWriter, r *http.Request) error {
	pv, err := s.app.PublicCardParamValues(r.Context(), r.PathValue("uuid"), r.PathValue("param"))
	if err != nil {
		return err
	}
	s.writeParamValues(w, pv)
	return nil
}

// apiPublicCardDownload serves GET /api/public/card/{uuid}/query/{format},
// with parameter values in `parameters` as for the query route.
func (s *Server) apiPublicCardDownload(w http.ResponseWriter, r *http.Request) error {
	format, err := downloadFormat(r)
	if err != nil {
		return err
	}
	// Parameters carry their target (a variable or a field) in the wire
	// form that only sightline.ParseParameters reads.
	var params []sightline.Parameter
	if raw := r.URL.Query().Get("parameters"); raw != "" {
		if params, err = sightline.ParseParameters([]byte(raw)); err != nil {
			return err
		}
	}
	c, err := s.app.PublicCard(r.Context(), r.PathValue("uuid"))
	if err != nil {
		return err
	}
	dw := newDownloadWriter(w, format, c.Name)
	if _, _, err := s.app.DownloadPublicCard(r.Context(), r.PathValue("uuid"), params, dw); err != nil {
		return dw.fail(err)
	}
	return dw.finish()
}

// apiPublicDashcardDownload serves
// POST /api/public/dashboard/{uuid}/dashcard/{dashcard}/card/{card}/{format}:
// filter values as {"parameters": [{"id", "value"}]} in a JSON body, or
// that list in a "parameters" form field.
func (s *Server) apiPublicDashcardDownload(w http.ResponseWriter, r *http.Request) error {
	dcID, cardID, err := dashcardPath(r)
	if err != nil {
		return err
	}
	format, err := downloadFormat(r)
	if err != nil {
		return err
	}
	values, err := downloadFilterValues(w, r)
	if err != nil {
		return err
	}
	dw := newDownloadWriter(w, format, "query_result")
	open := func(c *sightline.Card) app.RowWriter {
		dw.name = c.Name
		return dw
	}
	if _, err := s.app.DownloadPublicDashcard(r.Context(), r.PathValue("uuid"), dcID, cardID, values, open); err != nil {
		return dw.fail(err)
	}
	return dw.finish()
}
