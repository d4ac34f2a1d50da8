package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"sightline"
	"sightline/internal/app"
)

// Download formats.
const (
	formatCSV  = "csv"
	formatJSON = "json"
	formatXLSX = "xlsx"
)

// apiDownloadDataset serves POST /api/dataset/{format}: an ad-hoc query's
// results as a CSV, JSON or XLSX file. The query comes as the JSON body, or
// as the "query" field of a form (a plain form post makes the browser save
// the file as it streams).
func (s *Server) apiDownloadDataset(w http.ResponseWriter, r *http.Request) error {
	format, err := downloadFormat(r)
	if err != nil {
		return err
	}
	var q *sightline.Query
	if isForm(r) {
		raw, err := formValue(w, r, "query")
		if err != nil {
			return err
		}
		if raw == "" {
			return sightline.Errorf(sightline.EINVALID, "Send the query to download in the \"query\" form field.")
		}
		if q, err = sightline.ParseQuery([]byte(raw)); err != nil {
			return err
		}
	} else if q, err = decodeQuery(r); err != nil {
		return err
	}
	dw := newDownloadWriter(w, format, "query_result")
	if _, err := s.app.Download(r.Context(), userFrom(r.Context()), q, dw); err != nil {
		return dw.fail(err)
	}
	return dw.finish()
}

// apiDownloadCard serves GET and POST /api/card/{id}/query/{format}: a saved
// question's results as a file named after the question. Parameter values
// come as {"parameters": [...]} in a JSON body, or as a "parameters" form or
// URL query field holding that list.
func (s *Server) apiDownloadCard(w http.ResponseWriter, r *http.Request) error {
	id, err := idFromSlug(r, "id")
	if err != nil {
		return err
	}
	format, err := downloadFormat(r)
	if err != nil {
		return err
	}
	var params []sightline.Parameter
	switch {
	case r.Method == http.MethodGet || isForm(r):
		raw, err := formValue(w, r, "parameters")
		if err != nil {
			return err
		}
		if raw != "" {
			if params, err = sightline.ParseParameters([]byte(raw)); err != nil {
				return err
			}
		}
	default:
		if params, err = decodeParameters(r); err != nil {
			return err
		}
	}
	u := userFrom(r.Context())
	c, err := s.app.Card(r.Context(), u, id)
	if err != nil {
		return err
	}
	dw := newDownloadWriter(w, format, c.Name)
	if _, _, err := s.app.DownloadCard(r.Context(), u, id, params, dw); err != nil {
		return dw.fail(err)
	}
	return dw.finish()
}

// downloadFormat reads and checks the {format} path segment.
func downloadFormat(r *http.Request) (string, error) {
	f := strings.ToLower(r.PathValue("format"))
	switch f {
	case formatCSV, formatJSON, formatXLSX:
		return f, nil
	}
	return "", sightline.Errorf(sightline.EINVALID, "Unknown download format %q: use csv, json or xlsx.", r.PathValue("format"))
}

// isForm reports whether a request body is a form post.
func isForm(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data"
}

// formValue reads one field of a form body or of the URL query, with the
// body bounded like the JSON API's.
func formValue(w http.ResponseWriter, r *http.Request, key string) (string, error) {
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	}
	if err := r.ParseForm(); err != nil {
		return "", sightline.Errorf(sightline.EINVALID, "The form could not be read: %v", err)
	}
	return r.Form.Get(key), nil
}

// downloadFilename is the file a download is saved as: the question's name
// made safe for file systems, and the date, as "Revenue by month
// 2026-01-15.csv". A question's name is anyone's text, so characters that
// do not show as themselves are dropped: invisible and direction-changing
// ones (U+202E would show "report\u202Egpj.exe 2026-01-15.csv" with a
// false ".jpg" ending) and leading dots, which would hide the file.
func downloadFilename(name, ext string, now time.Time) string {
	var b strings.Builder
	space := false
	for _, c := range strings.TrimSpace(name) {
		switch {
		case c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|':
			space = true
		case unicode.IsSpace(c) || unicode.IsControl(c) || unicode.In(c, unicode.Zl, unicode.Zp):
			space = true
		case unicode.Is(unicode.Cf, c) || c == '.' && b.Len() == 0:
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(c)
		}
		if b.Len() >= 120 {
			break
		}
	}
	base := b.String()
	if base == "" {
		base = "query_result"
	}
	return base + " " + now.Format("2006-01-02") + "." + ext
}

// contentType is a download format's media type.
func contentType(format string) string {
	switch format {
	case formatCSV:
		return "text/csv; charset=utf-8"
	case formatJSON:
		return "application/json; charset=utf-8"
	}
	return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

// downloadWriter turns streamed rows into a file on the response. CSV and
// JSON reach the client as rows arrive (headers are sent with the first
// row, so an error before it is still a JSON error); XLSX rows go through
// excelize's StreamWriter, which keeps them on disk rather than in memory,
// and the file is sent once complete, since a zip archive has its directory
// at the end.
type downloadWriter struct {
	w      http.ResponseWriter
	rc     *http.ResponseController
	format string
	name   string
	cols   []app.Column
	begun  bool
	rows   int

	buf   *bufio.Writer
	csv   *csv.Writer
	keys  [][]byte // JSON object keys, encoded once
	xlsx  *excelize.File
	sheet *excelize.StreamWriter
	date  int // XLSX style IDs
	stamp int
}

// flushEvery is how many rows are written between flushes to the client.
const flushEvery = 2000

func newDownloadWriter(w http.ResponseWriter, format, name string) *downloadWriter {
	return &downloadWriter{w: w, rc: http.NewResponseController(w), format: format, name: name}
}

// headers sets the file's headers.
func (d *downloadWriter) headers() {
	h := d.w.Header()
	h.Set("Content-Type", contentType(d.format))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": downloadFilename(d.name, d.format, time.Now())}))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
}

// Begin implements app.RowWriter: it sends the headers and the header row.
func (d *downloadWriter) Begin(cols []app.Column) error {
	d.cols, d.begun = cols, true
	names := uniqueNames(cols)
	switch d.format {
	case formatCSV, formatJSON:
		d.headers()
		d.w.WriteHeader(http.StatusOK)
		d.buf = bufio.NewWriterSize(d.w, 32<<10)
		if d.format == formatCSV {
			d.csv = csv.NewWriter(d.buf)
			safe := make([]string, len(names))
			for i, n := range names {
				safe[i] = inertText(n)
			}
			return d.csv.Write(safe)
		}
		for _, n := range names {
			k, err := json.Marshal(n)
			if err != nil {
				return err
			}
			d.keys = append(d.keys, k)
		}
		_, err := d.buf.WriteString("[")
		return err
	}
	d.xlsx = excelize.NewFile()
	sheet, err := d.xlsx.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	d.sheet = sheet
	if d.date, err = d.xlsx.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")}); err != nil {
		return err
	}
	if d.stamp, err = d.xlsx.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm:ss")}); err != nil {
		return err
	}
	bold, err := d.xlsx.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	head := make([]any, len(names))
	for i, n := range names {
		head[i] = excelize.Cell{StyleID: bold, Value: n}
	}
	return d.sheet.SetRow("A1", head)
}

func ptr[T any](v T) *T { return &v }

// Row implements app.RowWriter.
func (d *downloadWriter) Row(row []any) error {
	d.rows++
	switch d.format {
	case formatCSV:
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = csvValue(d.col(i), v)
		}
		if err := d.csv.Write(rec); err != nil {
			return err
		}
	case formatJSON:
		if d.rows > 1 {
			d.buf.WriteByte(',')
		}
		d.buf.WriteByte('{')
		for i, v := range row {
			if i > 0 {
				d.buf.WriteByte(',')
			}
			if i < len(d.keys) {
				d.buf.Write(d.keys[i])
			} else {
				d.buf.WriteString(strconv.Quote("column " + strconv.Itoa(i+1)))
			}
			d.buf.WriteByte(':')
			b, err := json.Marshal(jsonValue(d.col(i), v))
			if err != nil {
				return err
			}
			d.buf.Write(b)
		}
		if _, err := d.buf.WriteString("}"); err != nil {
			return err
		}
	case formatXLSX:
		cells := make([]any, len(row))
		for i, v := range row {
			cells[i] = d.xlsxValue(d.col(i), v)
		}
		cell, err := excelize.CoordinatesToCellName(1, d.rows+1)
		if err != nil {
			return err
		}
		return d.sheet.SetRow(cell, cells)
	}
	if d.rows%flushEvery == 0 {
		return d.flush()
	}
	return nil
}

// flush sends what is buffered to the client.
func (d *downloadWriter) flush() error {
	if d.csv != nil {
		d.csv.Flush()
		if err := d.csv.Error(); err != nil {
			return err
		}
	}
	if err := d.buf.Flush(); err != nil {
		return err
	}
	// Some writers (a test recorder) cannot flush; the data still goes out.
	if err := d.rc.Flush(); err != nil && err != http.ErrNotSupported {
		return err
	}
	return nil
}

// col returns the i-th column, or an empty one for an unexpected extra value.
func (d *downloadWriter) col(i int) app.Column {
	if i < len(d.cols) {
		return d.cols[i]
	}
	return app.Column{}
}

// finish completes the file after the last row.
func (d *downloadWriter) finish() error {
	switch d.format {
	case formatCSV, formatJSON:
		if d.format == formatJSON {
			d.buf.WriteString("]\n")
		}
		if err := d.flush(); err != nil {
			d.abort()
		}
		return nil
	}
	defer d.xlsx.Close()
	if err := d.sheet.Flush(); err != nil {
		return sightline.Internal(err)
	}
	d.headers()
	d.w.WriteHeader(http.StatusOK)
	if err := d.xlsx.Write(d.w); err != nil {
		d.abort()
	}
	return nil
}

// fail handles an error from the query or the writer. Before anything was
// sent, it is returned to be shown as a JSON error; once part of a file has
// gone out, the connection is cut so that the client sees an incomplete
// download rather than a file that looks whole.
func (d *downloadWriter) fail(err error) error {
	if d.xlsx != nil {
		d.xlsx.Close()
	}
	if !d.begun || d.format == formatXLSX {
		return err
	}
	d.abort()
	return nil
}

// abort cuts the response short.
func (d *downloadWriter) abort() {
	panic(http.ErrAbortHandler)
}

// uniqueNames are the columns' display names, numbered when repeated, for
// header rows and JSON keys.
func uniqueNames(cols []app.Column) []string {
	seen := map[string]int{}
	out := make([]string, len(cols))
	for i, c := range cols {
		n := c.DisplayName
		if n == "" {
			n = c.Name
		}
		seen[n]++
		if k := seen[n]; k > 1 {
			n += " " + strconv.Itoa(k)
		}
		out[i] = n
	}
	return out
}

// timeText writes a time as it came back: a date alone for dates and
// day-or-coarser buckets, else the date and time with its offset.
func timeText(c app.Column, t time.Time) string {
	if c.BaseType == sightline.BaseDate || isDateUnit(c.Unit) {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339Nano)
}

// isDateUnit reports whether a temporal unit buckets to whole days.
func isDateUnit(u string) bool {
	switch u {
	case sightline.UnitDay, sightline.UnitWeek, sightline.UnitMonth, sightline.UnitQuarter, sightline.UnitYear:
		return true
	}
	return false
}

// csvValue is a value's CSV text: numbers in full, times as timeText, NULL
// as an empty cell, and any text made inert for spreadsheets (inertText).
func csvValue(c app.Column, v any) string {
	switch v.(type) {
	case nil, int64, float64, bool, time.Time:
		return plainText(c, v)
	}
	return inertText(plainText(c, v))
}

// plainText is a value as text, as it came back.
func plainText(c app.Column, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return timeText(c, x)
	case []byte:
		return string(x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// inertText keeps a spreadsheet from reading a text cell as a formula, as
// OWASP's CSV injection guidance advises: text starting with "=", "+", "-",
// "@", a tab or a carriage return (or the full-width "＝", "＋", "－", "＠",
// which some spreadsheets also accept) gets a leading single quote, which
// spreadsheets read as "this is text". A plain decimal number such as
// "-12.50" (a DECIMAL column comes back as text) cannot be a formula and
// stays as it is, so it still opens as a number.
func inertText(s string) string {
	if s == "" || isPlainNumber(s) {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	for _, p := range []string{"＝", "＋", "－", "＠"} {
		if strings.HasPrefix(s, p) {
			return "'" + s
		}
	}
	return s
}

// isPlainNumber reports a decimal number: an optional sign, digits with at
// most one ".", and an optional exponent; no spaces, no "Inf" or "NaN".
func isPlainNumber(s string) bool {
	s = trimSign(s)
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	whole, frac, _ := strings.Cut(mant, ".")
	if whole+frac == "" || !allDigits(whole) || !allDigits(frac) {
		return false
	}
	if hasExp {
		exp = trimSign(exp)
		return exp != "" && allDigits(exp)
	}
	return true
}

func trimSign(s string) string {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		return s[1:]
	}
	return s
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// jsonValue is a value as a JSON file holds it; NaN and infinities, which
// JSON cannot carry, become null.
func jsonValue(c app.Column, v any) any {
	switch x := v.(type) {
	case time.Time:
		return timeText(c, x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
	case []byte:
		return string(x)
	}
	return v
}

// xlsxValue is a cell: numbers and booleans as such, times as dates with a
// date format, the rest as text. Text is always a string cell, never a
// formula, whatever it starts with, so a spreadsheet shows "=HYPERLINK(...)"
// as the characters it is and runs nothing.
func (d *downloadWriter) xlsxValue(c app.Column, v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		style := d.stamp
		if c.BaseType == sightline.BaseDate || isDateUnit(c.Unit) {
			style = d.date
		}
		// Spreadsheets have no time zones: keep the wall time as it came back.
		wall := time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(), x.Nanosecond(), time.UTC)
		return excelize.Cell{StyleID: style, Value: wall}
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	case int64, bool, string:
		return x
	case []byte:
		return string(x)
	}
	return plainText(c, v)
}
