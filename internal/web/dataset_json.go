package web

import (
	"encoding/json"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"sightline/internal/app"
)

// datasetFlushBytes is how much of a dataset answer is gathered before it
// is written to the response.
const datasetFlushBytes = 32 << 10

// datasetWriter writes the API form of a result, in the reference vendor's
// shape, straight from the result's values: the bytes are those
// encoding/json gives for
//
//	{"cached": …, "data": {"cols": …, "rows": …, "rows_truncated": …},
//	 "row_count": …, "running_time": …, "status": "completed", "updated_at": …}
//
// (keys in that order, HTML characters escaped, a final newline), without
// building the maps and interface values it would need. The one difference
// is a float that JSON cannot hold (NaN, ±Inf, which PostgreSQL can
// return): encoding/json refuses the whole answer, this writes null, as
// downloads do.
type datasetWriter struct {
	w   io.Writer
	buf []byte
	err error
}

// writeDatasetJSON writes res to w as the dataset answer, running_time
// being runningMS. It returns the first write error.
func writeDatasetJSON(w io.Writer, res *app.Result, runningMS int64) error {
	size := 2 << 10
	if len(res.Rows) > 16 {
		// Room for a flush's worth and the row that crosses it.
		size = datasetFlushBytes + 8<<10
	}
	d := datasetWriter{w: w, buf: make([]byte, 0, size)}
	d.result(res, runningMS)
	d.flush()
	return d.err
}

func (d *datasetWriter) result(res *app.Result, runningMS int64) {
	d.buf = append(d.buf, `{"cached":`...)
	d.buf = strconv.AppendBool(d.buf, res.Cached)
	d.buf = append(d.buf, `,"data":{"cols":`...)
	if res.Columns == nil {
		d.buf = append(d.buf, "null"...)
	} else {
		d.buf = append(d.buf, '[')
		for i := range res.Columns {
			if i > 0 {
				d.buf = append(d.buf, ',')
			}
			d.column(&res.Columns[i])
		}
		d.buf = append(d.buf, ']')
	}
	d.buf = append(d.buf, `,"rows":`...)
	if res.Rows == nil {
		d.buf = append(d.buf, "null"...)
	} else {
		d.buf = append(d.buf, '[')
		for i, row := range res.Rows {
			if i > 0 {
				d.buf = append(d.buf, ',')
			}
			d.row(row)
			if len(d.buf) >= datasetFlushBytes {
				d.flush()
			}
		}
		d.buf = append(d.buf, ']')
	}
	d.buf = append(d.buf, `,"rows_truncated":`...)
	d.buf = strconv.AppendBool(d.buf, res.Truncated)
	d.buf = append(d.buf, `},"row_count":`...)
	d.buf = strconv.AppendInt(d.buf, int64(res.RowCount), 10)
	d.buf = append(d.buf, `,"running_time":`...)
	d.buf = strconv.AppendInt(d.buf, runningMS, 10)
	d.buf = append(d.buf, `,"status":"completed","updated_at":`...)
	d.time(res.UpdatedAt)
	d.buf = append(d.buf, "}\n"...)
}

// column writes a column as encoding/json writes an app.Column.
func (d *datasetWriter) column(c *app.Column) {
	d.buf = append(d.buf, `{"name":`...)
	d.string(c.Name)
	d.buf = append(d.buf, `,"display_name":`...)
	d.string(c.DisplayName)
	d.buf = append(d.buf, `,"base_type":`...)
	d.string(c.BaseType)
	d.buf = append(d.buf, `,"semantic_type":`...)
	d.string(c.SemanticType)
	if c.FieldID != 0 {
		d.buf = append(d.buf, `,"id":`...)
		d.buf = strconv.AppendInt(d.buf, c.FieldID, 10)
	}
	d.buf = append(d.buf, `,"source":`...)
	d.string(c.Source)
	if c.Unit != "" {
		d.buf = append(d.buf, `,"unit":`...)
		d.string(c.Unit)
	}
	d.buf = append(d.buf, '}')
}

func (d *datasetWriter) row(row []any) {
	if row == nil {
		d.buf = append(d.buf, "null"...)
		return
	}
	d.buf = append(d.buf, '[')
	for i, v := range row {
		if i > 0 {
			d.buf = append(d.buf, ',')
		}
		d.value(v)
	}
	d.buf = append(d.buf, ']')
}

// value writes one cell. The types the data door hands out (see
// datasource's normalize) are written directly; anything else goes
// through encoding/json.
func (d *datasetWriter) value(v any) {
	switch x := v.(type) {
	case nil:
		d.buf = append(d.buf, "null"...)
	case int64:
		d.buf = strconv.AppendInt(d.buf, x, 10)
	case float64:
		d.float(x)
	case string:
		d.string(x)
	case bool:
		d.buf = strconv.AppendBool(d.buf, x)
	case time.Time:
		d.time(x)
	default:
		d.marshal(v)
	}
}

// float writes f in encoding/json's form: the shortest decimal that reads
// back as f, in exponent form only below 1e-6 or from 1e21 on, with a
// one-digit negative exponent unpadded (1e-7, not 1e-07).
func (d *datasetWriter) float(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		d.buf = append(d.buf, "null"...)
		return
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	d.buf = strconv.AppendFloat(d.buf, f, format, -1, 64)
	if format == 'e' {
		n := len(d.buf)
		if n >= 4 && d.buf[n-4] == 'e' && d.buf[n-3] == '-' && d.buf[n-2] == '0' {
			d.buf[n-2] = d.buf[n-1]
			d.buf = d.buf[:n-1]
		}
	}
}

// string writes s quoted. Text of plain printable ASCII, most of what
// databases return, is copied as is; anything with a byte JSON or HTML
// escaping would touch goes through encoding/json.
func (d *datasetWriter) string(s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			d.marshal(s)
			return
		}
	}
	d.buf = append(d.buf, '"')
	d.buf = append(d.buf, s...)
	d.buf = append(d.buf, '"')
}

// time writes t as time.Time's MarshalJSON does (RFC 3339 with the
// nanoseconds it has); years it cannot write go through it for its error.
func (d *datasetWriter) time(t time.Time) {
	if y := t.Year(); y < 0 || y > 9999 {
		d.marshal(t)
		return
	}
	d.buf = append(d.buf, '"')
	if t.Location() == time.UTC {
		d.buf = appendUTC(d.buf, t)
	} else {
		d.buf = t.AppendFormat(d.buf, time.RFC3339Nano)
	}
	d.buf = append(d.buf, '"')
}

// appendUTC appends t, a UTC time of a year from 0 to 9999, in
// time.RFC3339Nano's form ("2024-02-29T13:14:15.5Z"), without the layout
// parsing of AppendFormat: the times of a result are UTC, and a page of
// rows holds thousands of them.
func appendUTC(b []byte, t time.Time) []byte {
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	b = append(b, byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-')
	b = append(b, byte('0'+int(month)/10), byte('0'+int(month)%10), '-', byte('0'+day/10), byte('0'+day%10), 'T')
	b = append(b, byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':')
	b = append(b, byte('0'+sec/10), byte('0'+sec%10))
	if ns := t.Nanosecond(); ns != 0 {
		// Nine digits, then the trailing zeros dropped.
		var frac [9]byte
		for i := 8; i >= 0; i-- {
			frac[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := 9
		for frac[n-1] == '0' {
			n--
		}
		b = append(b, '.')
		b = append(b, frac[:n]...)
	}
	return append(b, 'Z')
}

// marshal writes v through encoding/json; a value it cannot encode is
// written as null rather than cutting the answer short.
func (d *datasetWriter) marshal(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		d.buf = append(d.buf, "null"...)
		return
	}
	d.buf = append(d.buf, b...)
}

func (d *datasetWriter) flush() {
	if d.err == nil && len(d.buf) > 0 {
		_, d.err = d.w.Write(d.buf)
	}
	d.buf = d.buf[:0]
}
