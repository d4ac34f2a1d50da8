package app

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"sightline/internal/resultcache"
)

// resultCodec writes results for the shared result cache in a compact
// binary form: every value carries a one-byte tag for its Go type, so a
// result reads back with the types the data door returned (int64 stays
// int64, a time stays a time). A result holding a value of another type
// is not encoded, and so not shared.
var resultCodec = resultcache.Codec[*Result]{Encode: encodeResult, Decode: decodeResult}

// resultFormat is the first byte of an encoded result; a change of form
// takes a new one, and values of another form read as misses.
const resultFormat = 1

// Value tags.
const (
	tagNil byte = iota
	tagInt
	tagFloat
	tagFalse
	tagTrue
	tagString
	tagBytes
	tagTime
)

func encodeResult(r *Result) ([]byte, error) {
	b := []byte{resultFormat}
	b = binary.AppendUvarint(b, uint64(len(r.Columns)))
	for _, c := range r.Columns {
		for _, s := range []string{c.Name, c.DisplayName, c.BaseType, c.SemanticType, c.Source, c.Unit} {
			b = appendString(b, s)
		}
		b = binary.AppendVarint(b, c.FieldID)
	}
	b = binary.AppendUvarint(b, uint64(r.RowCount))
	b = append(b, boolByte(r.Truncated))
	b = binary.AppendVarint(b, int64(r.Duration))
	b = appendString(b, r.SQL)
	at, err := r.UpdatedAt.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b = appendString(b, string(at))
	b = binary.AppendUvarint(b, uint64(len(r.Rows)))
	for _, row := range r.Rows {
		b = binary.AppendUvarint(b, uint64(len(row)))
		for _, v := range row {
			switch x := v.(type) {
			case nil:
				b = append(b, tagNil)
			case int64:
				b = binary.AppendVarint(append(b, tagInt), x)
			case float64:
				b = binary.LittleEndian.AppendUint64(append(b, tagFloat), math.Float64bits(x))
			case bool:
				b = append(b, tagFalse+boolByte(x))
			case string:
				b = appendString(append(b, tagString), x)
			case []byte:
				b = appendString(append(b, tagBytes), string(x))
			case time.Time:
				t, err := x.MarshalBinary()
				if err != nil {
					return nil, err
				}
				b = appendString(append(b, tagTime), string(t))
			default:
				return nil, fmt.Errorf("result value of type %T", v)
			}
		}
	}
	return b, nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// errBadResult is any encoded result that does not read back.
var errBadResult = errors.New("unreadable cached result")

// reader reads an encoded result; its first error sticks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err, r.b = errBadResult, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err, r.b = errBadResult, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.err = errBadResult
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err, r.b = errBadResult, nil
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// count reads a length that cannot exceed what is left to read, so that
// a damaged value never makes a huge allocation.
func (r *reader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err, r.b = errBadResult, nil
		return 0
	}
	return int(n)
}

func decodeResult(b []byte) (*Result, error) {
	r := &reader{b: b}
	if r.byte() != resultFormat {
		return nil, errBadResult
	}
	res := &Result{Columns: make([]Column, r.count())}
	for i := range res.Columns {
		c := &res.Columns[i]
		for _, s := range []*string{&c.Name, &c.DisplayName, &c.BaseType, &c.SemanticType, &c.Source, &c.Unit} {
			*s = r.string()
		}
		c.FieldID = r.varint()
	}
	res.RowCount = int(r.uvarint())
	res.Truncated = r.byte() == 1
	res.Duration = time.Duration(r.varint())
	res.SQL = r.string()
	if err := res.UpdatedAt.UnmarshalBinary([]byte(r.string())); err != nil {
		return nil, errBadResult
	}
	res.Rows = make([][]any, r.count())
	for i := range res.Rows {
		row := make([]any, r.count())
		for j := range row {
			switch tag := r.byte(); tag {
			case tagNil:
			case tagInt:
				row[j] = r.varint()
			case tagFloat:
				if len(r.b) < 8 {
					return nil, errBadResult
				}
				row[j] = math.Float64frombits(binary.LittleEndian.Uint64(r.b))
				r.b = r.b[8:]
			case tagFalse, tagTrue:
				row[j] = tag == tagTrue
			case tagString:
				row[j] = r.string()
			case tagBytes:
				row[j] = []byte(r.string())
			case tagTime:
				var t time.Time
				if err := t.UnmarshalBinary([]byte(r.string())); err != nil {
					return nil, errBadResult
				}
				row[j] = t
			default:
				return nil, errBadResult
			}
		}
		res.Rows[i] = row
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errBadResult
	}
	return res, nil
}
