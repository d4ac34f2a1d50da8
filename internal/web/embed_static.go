package web

import (
	"net/http"
	"time"

	"sightline"
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

// writeParamValues writes a filter's values in the shape of GET
// /api/dashboard/{id}/params/{param}/values.
func (s *Server) writeParamValues(w http.ResponseWriter, pv *app.ParamValues) {
	wrapped := make([][]any, len(pv.Values))
	for i, v := range pv.Values {
		wrapped[i] = []any{v}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"values": wrapped, "has_more_values": pv.HasMore})
}

// apiEmbedParamValues serves GET /api/embed/dashboard/{token}/params/{param}/values
// and GET /api/embed/card/{token}/params/{param}/values.
func (s *Server) apiEmbedParamValues(w http.ResponseWriter, r *http.Request) error {
	pv, err := s.app.EmbedParamValues(r.Context(), r.PathValue("token"), r.URL.Query(), r.PathValue("param"))
	if err != nil {
		return err
	}
	s.writeParamValues(w, pv)
	return nil
}

// apiEmbedCardDownload serves GET /api/embed/card/{token}/query/{format}.
func (s *Server) apiEmbedCardDownload(w http.ResponseWriter, r *http.Request) error {
	format, err := downloadFormat(r)
	if err != nil {
		return err
	}
	dw := newDownloadWriter(w, format, "query_result")
	c, err := s.app.EmbedCard(r.Context(), r.PathValue("token"), r.URL.Query())
	if err != nil {
		return err
	}
	dw.name = c.Name
	if _, _, err := s.app.DownloadEmbedCard(r.Context(), r.PathValue("token"), r.URL.Query(), dw); err != nil {
		return dw.fail(err)
	}
	return dw.finish()
}

// apiEmbedDashcardDownload serves
// GET /api/embed/dashboard/{token}/dashcard/{dashcard}/card/{card}/{format}.
func (s *Server) apiEmbedDashcardDownload(w http.ResponseWriter, r *http.Request) error {
	dcID, cardID, err := dashcardPath(r)
	if err != nil {
		return err
	}
	format, err := downloadFormat(r)
	if err != nil {
		return err
	}
	dw := newDownloadWriter(w, format, "query_result")
	open := func(c *sightline.Card) app.RowWriter {
		dw.name = c.Name
		return dw
	}
	if _, err := s.app.DownloadEmbedDashcard(r.Context(), r.PathValue("token"), r.URL.Query(), dcID, cardID, open); err != nil {
		return dw.fail(err)
	}
	return dw.finish()
}
