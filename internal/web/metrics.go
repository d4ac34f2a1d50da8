package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"sightline"
)

// metrics are the HTTP metrics, on a registry the caller owns.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sightline_http_requests_total", Help: "HTTP requests by route pattern and status.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "sightline_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// metricsPage serves GET /metrics to an administrator's session or to a
// scraper sending "Authorization: Bearer <metrics-token>"; anyone else gets
// a JSON 401 or 403, never a redirect to the sign-in page.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) {
	var bearer string
	if scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		bearer = strings.TrimSpace(cred)
	}
	if err := s.app.AuthorizeMetrics(r.Context(), userFrom(r.Context()), bearer); err != nil {
		code := sightline.ErrorCode(err)
		status := statusOf(code)
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sightline metrics"`)
		}
		s.writeJSON(w, status, apiError{Status: status, Code: code, Message: sightline.ErrorMessage(err)})
		return
	}
	s.metrics.handler().ServeHTTP(w, r)
}
