package datasource

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"sightline"
)

// pgResultFormats asks PostgreSQL for the columns whose binary form pgx
// decodes cheaply and exactly in binary, everything else (NUMERIC among
// them) as text: the formats pgx's database/sql adapter asks for, so that
// a value reads the same on either path.
var pgResultFormats = pgx.QueryResultFormatsByOID{
	pgtype.BoolOID:        pgx.BinaryFormatCode,
	pgtype.ByteaOID:       pgx.BinaryFormatCode,
	pgtype.CIDOID:         pgx.BinaryFormatCode,
	pgtype.DateOID:        pgx.BinaryFormatCode,
	pgtype.Float4OID:      pgx.BinaryFormatCode,
	pgtype.Float8OID:      pgx.BinaryFormatCode,
	pgtype.Int2OID:        pgx.BinaryFormatCode,
	pgtype.Int4OID:        pgx.BinaryFormatCode,
	pgtype.Int8OID:        pgx.BinaryFormatCode,
	pgtype.OIDOID:         pgx.BinaryFormatCode,
	pgtype.TimestampOID:   pgx.BinaryFormatCode,
	pgtype.TimestamptzOID: pgx.BinaryFormatCode,
	pgtype.XIDOID:         pgx.BinaryFormatCode,
}

// pgCell turns one non-null raw PostgreSQL value into its normal form.
type pgCell func(src []byte) (any, error)

// runPostgres runs a query on a PostgreSQL connection through pgx's own
// interface rather than database/sql: each column is decoded by a plan made
// once for the result, straight into the normal form of its base type,
// without database/sql's copying of every value and its per-row locking.
// The values are those the database/sql path gives (the same result
// formats, the same decoding, then normalize). Statements are prepared and
// cached per connection by pgx, as on the database/sql path.
//
// q carries the read-only transaction when there is one: the query runs on
// the same connection, inside it. The row loop is runRows's: the caller
// passes it in as each.
func (s *Source) runPostgres(ctx context.Context, conn *sql.Conn, sqlText string, args []any, opts Options, each func(cols []Column, next func() (bool, error), scan func(row []any) error) error) error {
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("postgres connection %T is not pgx's", dc)
		}
		pc := sc.Conn()
		if pc.IsClosed() {
			return driver.ErrBadConn
		}
		qargs := make([]any, 1+len(args))
		qargs[0] = pgResultFormats
		copy(qargs[1:], args)
		rows, err := pc.Query(ctx, sqlText, qargs...)
		if err != nil {
			if pgconn.SafeToRetry(err) {
				return driver.ErrBadConn
			}
			return err
		}
		defer rows.Close()
		fds := rows.FieldDescriptions()
		tm := pc.TypeMap()
		cols := make([]Column, len(fds))
		cells := make([]pgCell, len(fds))
		for i, fd := range fds {
			c := Column{Name: fd.Name}
			if dt, ok := tm.TypeForOID(fd.DataTypeOID); ok {
				c.DatabaseType = strings.ToUpper(dt.Name)
			} else {
				c.DatabaseType = strconv.FormatInt(int64(fd.DataTypeOID), 10)
			}
			if i < len(opts.BaseTypes) && opts.BaseTypes[i] != "" {
				c.BaseType = opts.BaseTypes[i]
			} else {
				c.BaseType = BaseType(s.engine, c.DatabaseType)
			}
			cols[i] = c
			cells[i] = pgCellPlan(tm, fd, c.BaseType)
			if reusable(fd.DataTypeOID) {
				cells[i] = reuseCells(cells[i])
			}
		}
		next := func() (bool, error) {
			if rows.Next() {
				return true, nil
			}
			rows.Close()
			return false, rows.Err()
		}
		scan := func(row []any) error {
			for i, rv := range rows.RawValues() {
				if rv == nil {
					row[i] = nil
					continue
				}
				v, err := cells[i](rv)
				if err != nil {
					return fmt.Errorf("convert field %d failed: %w", i, err)
				}
				row[i] = v
			}
			return nil
		}
		return each(cols, next, scan)
	})
}

// pgCellPlan decodes a column as pgx's database/sql adapter does (the Go
// type it gives for each PostgreSQL type) and normalises the value for
// base. The common types skip the detour through a driver value.
func pgCellPlan(tm *pgtype.Map, fd pgconn.FieldDescription, base string) pgCell {
	oid, format := fd.DataTypeOID, fd.Format
	switch oid {
	case pgtype.Int8OID:
		var d int64
		plan := tm.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) {
			if err := plan.Scan(src, &d); err != nil {
				return nil, err
			}
			return normalize(base, d), nil
		}
	case pgtype.Int4OID:
		var d int32
		plan := tm.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) {
			if err := plan.Scan(src, &d); err != nil {
				return nil, err
			}
			return normalize(base, int64(d)), nil
		}
	case pgtype.Int2OID:
		var d int16
		plan := tm.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) {
			if err := plan.Scan(src, &d); err != nil {
				return nil, err
			}
			return normalize(base, int64(d)), nil
		}
	case pgtype.Float8OID:
		var d float64
		plan := tm.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) {
			if err := plan.Scan(src, &d); err != nil {
				return nil, err
			}
			return normalize(base, d), nil
		}
	case pgtype.Float4OID:
		var d float32
		plan := tm.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) {
			if err := plan.Scan(src, &d); err != nil {
				return nil, err
			}
			return normalize(base, float64(d)), nil
		}
	case pgtype.BoolOID:
		var d bool
		plan := tm.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) {
			if err := plan.Scan(src, &d); err != nil {
				return nil, err
			}
			return normalize(base, d), nil
		}
	case pgtype.ByteaOID, pgtype.JSONOID, pgtype.JSONBOID, pgtype.XMLOID:
		// A fresh slice per value: the row outlives the read buffer.
		return func(src []byte) (any, error) {
			var d []byte
			if err := tm.PlanScan(oid, format, &d).Scan(src, &d); err != nil {
				return nil, err
			}
			return normalize(base, bytes.Clone(d)), nil
		}
	case pgtype.CIDOID, pgtype.OIDOID, pgtype.XIDOID:
		var d pgtype.Uint32
		return valuerCell(tm.PlanScan(oid, format, &d), &d, base)
	case pgtype.DateOID:
		var d pgtype.Date
		return valuerCell(tm.PlanScan(oid, format, &d), &d, base)
	case pgtype.TimestampOID:
		var d pgtype.Timestamp
		return valuerCell(tm.PlanScan(oid, format, &d), &d, base)
	case pgtype.TimestamptzOID:
		var d pgtype.Timestamptz
		return valuerCell(tm.PlanScan(oid, format, &d), &d, base)
	}
	var d string
	plan := tm.PlanScan(oid, format, &d)
	if format == pgx.TextFormatCode && (base == sightline.BaseFloat || base == sightline.BaseDecimal) {
		// NUMERIC comes as text: read the number from the bytes, and only
		// make a string of a value that is not one.
		return func(src []byte) (any, error) {
			if f, err := strconv.ParseFloat(strings.TrimSpace(string(src)), 64); err == nil {
				return f, nil
			}
			if err := plan.Scan(src, &d); err != nil {
				return nil, err
			}
			return normalize(base, d), nil
		}
	}
	return func(src []byte) (any, error) {
		if err := plan.Scan(src, &d); err != nil {
			return nil, err
		}
		return normalize(base, d), nil
	}
}

// valuerCell decodes into d, a pgtype value, and normalises its driver
// value.
func valuerCell(plan pgtype.ScanPlan, d interface {
	driver.Valuer
}, base string) pgCell {
	return func(src []byte) (any, error) {
		if err := plan.Scan(src, d); err != nil {
			return nil, err
		}
		v, err := d.Value()
		if err != nil {
			return nil, err
		}
		return normalize(base, v), nil
	}
}

// reuseMax is how many distinct values of a column reuseCells remembers.
const reuseMax = 128

// reusable reports whether values of the type can be shared between rows:
// they are immutable once decoded (numbers, text, times), unlike the byte
// slices of BYTEA and JSON.
func reusable(oid uint32) bool {
	switch oid {
	case pgtype.ByteaOID, pgtype.JSONOID, pgtype.JSONBOID, pgtype.XMLOID:
		return false
	}
	return true
}

// reuseCells hands out the very value decoded before for raw bytes seen
// before, so that a column of few distinct values (a plan, a status, a
// day) costs no allocation per row. A value depends only on its bytes
// (the column's type, format and base type being fixed), and rows never
// change the values they hold, so sharing one is safe. Once reuseMax
// values are remembered, a column whose values mostly differ (an id)
// stops looking them up.
func reuseCells(decode pgCell) pgCell {
	seen := make(map[string]any)
	hits, misses := 0, 0
	return func(src []byte) (any, error) {
		if seen == nil {
			return decode(src)
		}
		if v, ok := seen[string(src)]; ok {
			hits++
			return v, nil
		}
		v, err := decode(src)
		if err != nil {
			return nil, err
		}
		misses++
		if len(seen) < reuseMax {
			seen[string(src)] = v
		} else if misses > hits {
			seen = nil
		}
		return v, nil
	}
}
