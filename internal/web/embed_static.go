package web

import (
	"net/http"
	"time"

	"sightline/internal/app"
)

// Static (signed) embedding: the routes take a token in the path and no
// session; internal/app decides from the token alone what they may reach.

// apiEmbedDashboard serves GET /api/embed/dashboard/{token}.
func (s *Server) apiEmbedDashboard(w http.ResponseWriter, r *http.Request) error {
	d, err := s.app.EmbedDashboard(r.Context(), r.PathValue("token"), r.URL.Query())
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, d)
	return nil
}

// apiEmbedDashcard serves
// GET /api/embed/dashboard/{token}/dashcard/{dashcard}/card/{card}.
func (s *Server) apiEmbedDashcard(w http.ResponseWriter, r *http.Request) error {
	started := time.Now()
	dcID, cardID, err := dashcardPath(r)
	if err != nil {
		return err
	}
	res, err := s.app.RunEmbedDashcard(r.Context(), r.PathValue("token"), r.URL.Query(), dcID, cardID, app.RunOptions{})
	if err != nil {
		return err
	}
	s.writeDataset(w, res, started)
	return nil
}

// apiEmbedCard serves GET /api/embed/card/{token}.
func (s *Server) apiEmbedCard(w http.ResponseWriter, r *http.Request) error {
	c, err := s.app.EmbedCard(r.Context(), r.PathValue("token"), r.URL.Query())
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, c)
	return nil
}

// apiEmbedCardQuery serves GET /api/embed/card/{token}/query.
func (s *Server) apiEmbedCardQuery(w http.ResponseWriter, r *http.Request) error {
	started := time.Now()
	_, res, err := s.app.RunEmbedCard(r.Context(), r.PathValue("token"), r.URL.Query(), app.RunOptions{})
	if err != nil {
		return err
	}
	s.writeDataset(w, res, started)
	return nil
}
