package datasource

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sightline"
)

func TestBaseType(t *testing.T) {
	const pg, my, lite = sightline.EnginePostgres, sightline.EngineMySQL, sightline.EngineSQLite
	tests := []struct {
		engine, dbType, want string
	}{
		{pg, "integer", sightline.BaseInteger},
		{pg, "INT4", sightline.BaseInteger},
		{pg, "bigint", sightline.BaseBigInt},
		{pg, "double precision", sightline.BaseFloat},
		{pg, "numeric(10,2)", sightline.BaseDecimal},
		{pg, "character varying(20)", sightline.BaseText},
		{pg, "boolean", sightline.BaseBoolean},
		{pg, "date", sightline.BaseDate},
		{pg, "timestamp(3) without time zone", sightline.BaseDateTime},
		{pg, "timestamp with time zone", sightline.BaseDateTimeTZ},
		{pg, "TIMESTAMPTZ", sightline.BaseDateTimeTZ},
		{pg, "time without time zone", sightline.BaseTime},
		{pg, "jsonb", sightline.BaseJSON},
		{pg, "uuid", sightline.BaseUUID},
		{pg, "bytea", sightline.BaseBinary},
		{pg, "integer[]", sightline.BaseArray},
		{pg, "_INT4", sightline.BaseArray},
		{pg, "interval", sightline.BaseUnknown},
		{my, "tinyint(1)", sightline.BaseBoolean},
		{my, "TINYINT", sightline.BaseInteger},
		{my, "tinyint(4)", sightline.BaseInteger},
		{my, "int(10) unsigned", sightline.BaseInteger},
		{my, "UNSIGNED BIGINT", sightline.BaseBigInt},
		{my, "decimal(10,2)", sightline.BaseDecimal},
		{my, "double", sightline.BaseFloat},
		{my, "enum('a','b')", sightline.BaseText},
		{my, "longtext", sightline.BaseText},
		{my, "datetime(6)", sightline.BaseDateTime},
		{my, "timestamp", sightline.BaseDateTime},
		{my, "date", sightline.BaseDate},
		{my, "time", sightline.BaseTime},
		{my, "json", sightline.BaseJSON},
		{my, "bit(1)", sightline.BaseBoolean},
		{my, "varbinary(16)", sightline.BaseBinary},
		{my, "geometry", sightline.BaseUnknown},
		{lite, "INTEGER", sightline.BaseInteger},
		{lite, "BIGINT", sightline.BaseBigInt},
		{lite, "VARCHAR(40)", sightline.BaseText},
		{lite, "BOOLEAN", sightline.BaseBoolean},
		{lite, "DATETIME", sightline.BaseDateTime},
		{lite, "TIMESTAMP", sightline.BaseDateTime},
		{lite, "TIMESTAMP WITH TIME ZONE", sightline.BaseDateTimeTZ},
		{lite, "DATE", sightline.BaseDate},
		{lite, "TIME", sightline.BaseTime},
		{lite, "DECIMAL(10,2)", sightline.BaseDecimal},
		{lite, "NUMERIC", sightline.BaseDecimal},
		{lite, "REAL", sightline.BaseFloat},
		{lite, "DOUBLE PRECISION", sightline.BaseFloat},
		{lite, "BLOB", sightline.BaseBinary},
		{lite, "JSON", sightline.BaseJSON},
		{lite, "", sightline.BaseUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.engine+" "+tt.dbType, func(t *testing.T) {
			if got := BaseType(tt.engine, tt.dbType); got != tt.want {
				t.Errorf("BaseType(%q, %q) = %q, want %q", tt.engine, tt.dbType, got, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	midnight := time.Date(2024, 3, 9, 0, 0, 0, 0, time.UTC)
	stamp := time.Date(2024, 3, 9, 14, 5, 6, 0, time.UTC)
	paris := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		base string
		in   any
		want any
	}{
		{"nil", sightline.BaseInteger, nil, nil},
		{"int from bytes", sightline.BaseInteger, []byte("42"), int64(42)},
		{"unsigned", sightline.BaseBigInt, uint64(7), int64(7)},
		{"decimal from pg text", sightline.BaseDecimal, "295.00", 295.0},
		{"decimal from mysql bytes", sightline.BaseDecimal, []byte("-1.5"), -1.5},
		{"decimal from sqlite integer", sightline.BaseDecimal, int64(12), 12.0},
		{"float32", sightline.BaseFloat, float32(0.5), 0.5},
		{"bool from tinyint", sightline.BaseBoolean, int64(1), true},
		{"bool from bit", sightline.BaseBoolean, []byte{0}, false},
		{"bool from text", sightline.BaseBoolean, "true", true},
		{"date from sqlite text", sightline.BaseDate, "2024-03-09", midnight},
		{"date from time with zone", sightline.BaseDate, time.Date(2024, 3, 9, 0, 0, 0, 0, paris), midnight},
		{"datetime from sqlite text", sightline.BaseDateTime, "2024-03-09 14:05:06", stamp},
		{"datetime ISO", sightline.BaseDateTime, "2024-03-09T14:05:06Z", stamp},
		{"datetime to UTC", sightline.BaseDateTimeTZ, time.Date(2024, 3, 9, 15, 5, 6, 0, paris), stamp},
		{"unparseable date stays text", sightline.BaseDate, "soon", "soon"},
		{"time of day from bytes", sightline.BaseTime, []byte("08:30:00"), "08:30:00"},
		{"time of day from time", sightline.BaseTime, time.Date(0, 1, 1, 8, 30, 0, 0, time.UTC), "08:30:00"},
		{"text from bytes", sightline.BaseText, []byte("abc"), "abc"},
		{"json from bytes", sightline.BaseJSON, []byte(`{"a":1}`), `{"a":1}`},
		{"uuid from array", sightline.BaseUUID, [16]byte{0xa1, 0xb2, 0xc3, 0xd4, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 1}, "a1b2c3d4-0000-4000-8000-000000000001"},
		{"binary stays bytes", sightline.BaseBinary, []byte{1, 2}, []byte{1, 2}},
		{"unknown bytes become text", sightline.BaseUnknown, []byte("x"), "x"},
		{"unknown int stays", sightline.BaseUnknown, int64(3), int64(3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normalize(tt.base, tt.in); !cmp.Equal(got, tt.want) {
				t.Errorf("normalize(%s, %#v) = %#v, want %#v", tt.base, tt.in, got, tt.want)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		engine, schema, table, want string
	}{
		{sightline.EnginePostgres, "public", `we"ird`, `"public"."we""ird"`},
		{sightline.EngineSQLite, "", "order", `"order"`},
		{sightline.EngineMySQL, "", "back`tick", "`back``tick`"},
		{sightline.EngineMySQL, "shop", "Mixed Case", "`shop`.`Mixed Case`"},
	}
	for _, tt := range tests {
		if got := QuoteTable(tt.engine, tt.schema, tt.table); got != tt.want {
			t.Errorf("QuoteTable(%s, %q, %q) = %s, want %s", tt.engine, tt.schema, tt.table, got, tt.want)
		}
	}
}
