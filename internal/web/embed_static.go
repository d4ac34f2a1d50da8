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

// preview serves an embed route as an administrator's preview (the
// /api/preview_embed/ routes): a signed-in administrator's session is
// required, and the item need not be published.
func (s *Server) preview(h func(http.ResponseWriter, *http.Request) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx, err := app.PreviewEmbed(r.Context(), userFrom(r.Context()))
		if err != nil {
			return err
		}
		return h(w, r.WithContext(ctx))
	}
}

// apiSignPreviewToken serves POST /api/preview_embed/token: a token for an
// administrator's preview, signed with the embedding secret key.
func (s *Server) apiSignPreviewToken(w http.ResponseWriter, r *http.Request) error {
	var in app.PreviewTokenInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	tok, err := s.app.SignPreviewToken(r.Context(), userFrom(r.Context()), in)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, map[string]string{"token": tok})
	return nil
}

// embeddableJSON is a published item as the embeddable lists show it.
type embeddableJSON struct {
	ID              int64             `json:"id"`
	Name            string            `json:"name"`
	Description     string            `json:"description"`
	CollectionID    int64             `json:"collection_id,omitempty"`
	EnableEmbedding bool              `json:"enable_embedding"`
	EmbeddingParams map[string]string `json:"embedding_params"`
}

// apiEmbeddable serves GET /api/card/embeddable and GET
// /api/dashboard/embeddable.
func (s *Server) apiEmbeddable(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	out := []embeddableJSON{}
	params := func(m map[string]string) map[string]string {
		if m == nil {
			return map[string]string{}
		}
		return m
	}
	if publicLinkModel(r) == sightline.PublicDashboard {
		ds, err := s.app.EmbeddableDashboards(r.Context(), u)
		if err != nil {
			return err
		}
		for _, d := range ds {
			out = append(out, embeddableJSON{ID: d.ID, Name: d.Name, Description: d.Description, CollectionID: d.CollectionID,
				EnableEmbedding: true, EmbeddingParams: params(d.EmbeddingParams)})
		}
	} else {
		cs, err := s.app.EmbeddableCards(r.Context(), u)
		if err != nil {
			return err
		}
		for _, c := range cs {
			out = append(out, embeddableJSON{ID: c.ID, Name: c.Name, Description: c.Description, CollectionID: c.CollectionID,
				EnableEmbedding: true, EmbeddingParams: params(c.EmbeddingParams)})
		}
	}
	s.writeJSON(w, http.StatusOK, out)
	return nil
}
