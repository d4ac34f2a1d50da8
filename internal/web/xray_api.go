package web

import (
	"net/http"

	"sightline"
)

// apiXRayTable serves GET /api/automagic-dashboards/table/{id}: the
// generated, unsaved X-ray dashboard of a table.
func (s *Server) apiXRayTable(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.app.XRay(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, d)
	return nil
}

// apiSaveXRay serves POST /api/dashboard/save: it saves a generated
// dashboard with its questions into "Automatically Generated Dashboards".
func (s *Server) apiSaveXRay(w http.ResponseWriter, r *http.Request) error {
	var d sightline.Dashboard
	if err := decodeJSONLoose(r, &d); err != nil {
		return err
	}
	saved, err := s.app.SaveXRay(r.Context(), userFrom(r.Context()), &d)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, saved)
	return nil
}
