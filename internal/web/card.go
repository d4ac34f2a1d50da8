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

// writeDataset writes a query's result. Like the reference vendor, which
// streams results, every endpoint that runs a query answers 202 Accepted;
// errors found before the query runs keep their own status.
func (s *Server) writeDataset(w http.ResponseWriter, res *app.Result, started time.Time) {
	s.writeJSON(w, http.StatusAccepted, datasetJSON(res, started))
}

// datasetJSON is the API form of a result, in the reference vendor's shape.
func datasetJSON(res *app.Result, started time.Time) map[string]any {
	return map[string]any{
		"data":         map[string]any{"cols": res.Columns, "rows": res.Rows, "rows_truncated": res.Truncated},
		"row_count":    res.RowCount,
		"status":       "completed",
		"running_time": time.Since(started).Milliseconds(),
	}
}

// apiDataset serves POST /api/dataset: run an ad-hoc query.
func (s *Server) apiDataset(w http.ResponseWriter, r *http.Request) error {
	started := time.Now()
	q, err := decodeQuery(r)
	if err != nil {
		return err
	}
	res, err := s.app.RunQuery(r.Context(), userFrom(r.Context()), q, app.RunOptions{})
	if err != nil {
		return err
	}
	s.writeDataset(w, res, started)
	return nil
}

// decodeQuery reads a query in the wire format; malformed or unknown
// clauses are 400s that name the problem.
func decodeQuery(r *http.Request) (*sightline.Query, error) {
	var raw json.RawMessage
	if err := decodeJSON(r, &raw); err != nil {
		return nil, err
	}
	return sightline.ParseQuery(raw)
}

// cardBody is the API form of a saved question being created or updated.
type cardBody struct {
	Name         *string         `json:"name"`
	Description  *string         `json:"description"`
	CollectionID *int64          `json:"collection_id"`
	Query        json.RawMessage `json:"dataset_query"`
	Display      *string         `json:"display"`
	VizSettings  json.RawMessage `json:"visualization_settings"`
	Archived     *bool           `json:"archived"`
	Pinned       *bool           `json:"pinned"`
	Revision     *int            `json:"revision"`
	// EnableEmbedding and EmbeddingParams publish the question for static
	// embedding (administrators only).
	EnableEmbedding *bool              `json:"enable_embedding"`
	EmbeddingParams *map[string]string `json:"embedding_params"`
	// Accepted for compatibility with the reference vendor's clients and
	// ignored: Sightline derives or does not use them.
	Parameters     json.RawMessage `json:"parameters"`
	ResultMetadata json.RawMessage `json:"result_metadata"`
	Type           json.RawMessage `json:"type"`
	CacheTTL       json.RawMessage `json:"cache_ttl"`
}

// apply copies the fields present in the body onto c.
func (b *cardBody) apply(c *sightline.Card) error {
	if b.Name != nil {
		c.Name = *b.Name
	}
	if b.Description != nil {
		c.Description = *b.Description
	}
	if b.CollectionID != nil {
		c.CollectionID = *b.CollectionID
	}
	if len(b.Query) > 0 {
		q, err := sightline.ParseQuery(b.Query)
		if err != nil {
			return err
		}
		c.Query = q
	}
	if b.Display != nil {
		c.Display = *b.Display
	}
	if len(b.VizSettings) > 0 {
		c.VizSettings = b.VizSettings
	}
	if b.EnableEmbedding != nil {
		c.EnableEmbedding = *b.EnableEmbedding
	}
	if b.EmbeddingParams != nil {
		c.EmbeddingParams = *b.EmbeddingParams
	}
	if b.Archived != nil {
		c.Archived = *b.Archived
	}
	if b.Pinned != nil {
		c.Pinned = *b.Pinned
	}
	if b.Revision != nil {
		c.Revision = *b.Revision
	}
	return nil
}

// apiCreateCard serves POST /api/card.
func (s *Server) apiCreateCard(w http.ResponseWriter, r *http.Request) error {
	var b cardBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	c := &sightline.Card{}
	if err := b.apply(c); err != nil {
		return err
	}
	c, err := s.app.CreateCard(r.Context(), userFrom(r.Context()), c)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, c)
	return nil
}

// apiGetCard serves GET /api/card/{id}.
func (s *Server) apiGetCard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.app.Card(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, c)
	return nil
}

// apiUpdateCard serves PUT /api/card/{id}. Without a "revision" the update
// applies to the current revision; with one, a stale revision is a 409.
func (s *Server) apiUpdateCard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b cardBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	c, err := s.app.Card(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	if err := b.apply(c); err != nil {
		return err
	}
	if c, err = s.app.UpdateCard(r.Context(), userFrom(r.Context()), c); err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, c)
	return nil
}

// apiRunCard serves POST /api/card/{id}/query with optional
// {"parameters": [...]}.
func (s *Server) apiRunCard(w http.ResponseWriter, r *http.Request) error {
	started := time.Now()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	params, err := decodeParameters(r)
	if err != nil {
		return err
	}
	_, res, err := s.app.RunCard(r.Context(), userFrom(r.Context()), id, params, app.RunOptions{})
	if err != nil {
		return err
	}
	s.writeDataset(w, res, started)
	return nil
}

// parametersBody is an optional body of the routes that run a question: the filter values.
type parametersBody struct {
	Parameters json.RawMessage `json:"parameters"`
}

// decodeParameters reads an optional {"parameters": [...]} body.
func decodeParameters(r *http.Request) ([]sightline.Parameter, error) {
	if r.ContentLength == 0 {
		return nil, nil
	}
	var body parametersBody
	if err := decodeJSON(r, &body); err != nil {
		return nil, err
	}
	if len(body.Parameters) == 0 {
		return nil, nil
	}
	return sightline.ParseParameters(body.Parameters)
}

// idFromSlug reads "12" or "12-a-look-at-your-invoices-table".
func idFromSlug(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	if i := strings.IndexByte(v, '-'); i > 0 {
		v = v[:i]
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, sightline.Errorf(sightline.ENOTFOUND, "The page you asked for does not exist.")
	}
	return id, nil
}
