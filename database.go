package sightline

import (
	"strings"
	"time"
	"unicode"
)

// Engines Sightline can query.
const (
	EngineSQLite   = "sqlite"
	EnginePostgres = "postgres"
	EngineMySQL    = "mysql"
)

// Database is a connection to one of the user's databases.
type Database struct {
	ID      int64           `json:"id"`
	Name    string          `json:"name"`
	Engine  string          `json:"engine"`
	Details DatabaseDetails `json:"details"`
	// IsSample marks the bundled Sample Database.
	IsSample bool `json:"is_sample"`

	SyncStatus    string    `json:"sync_status"` // "", "syncing", "complete", "failed"
	SyncProgress  string    `json:"sync_progress,omitempty"`
	LastSyncAt    time.Time `json:"last_sync_at"`
	LastSyncError string    `json:"last_sync_error,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// DatabaseDetails are an engine's connection settings. Password is never sent
// to a browser: the API replaces it with PasswordSet.
type DatabaseDetails struct {
	Path        string `json:"path,omitempty"` // SQLite file
	Host        string `json:"host,omitempty"`
	Port        int    `json:"port,omitempty"`
	DBName      string `json:"dbname,omitempty"`
	User        string `json:"user,omitempty"`
	Password    string `json:"password,omitempty"`
	PasswordSet bool   `json:"password_set,omitempty"`
	SSLMode     string `json:"ssl_mode,omitempty"` // PostgreSQL sslmode; MySQL tls
	// Options are extra driver parameters ("connect_timeout=5").
	Options string `json:"options,omitempty"`

	// Limits for this database's pool and queries; zero means the default.
	MaxOpenConns   int `json:"max_open_conns,omitempty"`
	QueryTimeoutMS int `json:"query_timeout_ms,omitempty"`
}

// Validate checks a database's name, engine and the details its engine needs.
func (d *Database) Validate() error {
	if strings.TrimSpace(d.Name) == "" {
		return Errorf(EINVALID, "A database needs a display name.")
	}
	switch d.Engine {
	case EngineSQLite:
		if strings.TrimSpace(d.Details.Path) == "" {
			return Errorf(EINVALID, "A SQLite database needs the path of its file.")
		}
	case EnginePostgres, EngineMySQL:
		if strings.TrimSpace(d.Details.Host) == "" {
			return Errorf(EINVALID, "Host is required.")
		}
		if d.Details.Port < 0 || d.Details.Port > 65535 {
			return Errorf(EINVALID, "Port must be between 1 and 65535.")
		}
		if strings.TrimSpace(d.Details.DBName) == "" {
			return Errorf(EINVALID, "Database name is required.")
		}
	default:
		return Errorf(EINVALID, "Unknown engine %q: choose sqlite, postgres or mysql.", d.Engine)
	}
	return nil
}

// Visibility of a table or field.
const (
	VisibilityNormal = "normal"
	VisibilityHidden = "hidden"
)

// Table is a table or view found by metadata sync.
type Table struct {
	ID          int64  `json:"id"`
	DatabaseID  int64  `json:"db_id"`
	Schema      string `json:"schema"`
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
	Description string `json:"description"`
	Visibility  string `json:"visibility_type"`
	IsView      bool   `json:"is_view"`
	RowCount    int64  `json:"rows,omitempty"`
	// EditedDisplayName/EditedDescription mark admin edits that re-sync keeps.
	EditedDisplayName bool `json:"-"`
	EditedDescription bool `json:"-"`

	Fields []Field `json:"fields,omitempty"`
}

// Field is a column of a table.
type Field struct {
	ID           int64  `json:"id"`
	TableID      int64  `json:"table_id"`
	Name         string `json:"name"`
	DisplayName  string `json:"display_name"`
	Description  string `json:"description"`
	DatabaseType string `json:"database_type"` // as the engine reports it: "numeric(10,2)"
	BaseType     string `json:"base_type"`     // normalised: BaseInteger, ...
	SemanticType string `json:"semantic_type"` // SemanticPK, ... or ""
	Position     int    `json:"position"`
	Nullable     bool   `json:"nullable"`
	// FKTargetFieldID is the primary key a foreign key points at, or 0.
	FKTargetFieldID int64  `json:"fk_target_field_id"`
	Visibility      string `json:"visibility_type"`
	// Distinct-value fingerprint, filled for category fields by sync.
	DistinctCount int64 `json:"distinct_count,omitempty"`

	EditedDisplayName  bool `json:"-"`
	EditedDescription  bool `json:"-"`
	EditedSemanticType bool `json:"-"`

	// FKTarget names the column a foreign key points at, as metadata sync
	// found it; the app database resolves it to FKTargetFieldID.
	FKTarget *ColumnRef `json:"-"`
	// Values are the distinct values sync cached for a category field.
	Values []any `json:"-"`
}

// ColumnRef names a column by schema, table and column name.
type ColumnRef struct {
	Schema, Table, Column string
}

// Base types: the engine-independent type of a column's values.
const (
	BaseInteger    = "type/Integer"
	BaseBigInt     = "type/BigInteger"
	BaseFloat      = "type/Float"
	BaseDecimal    = "type/Decimal"
	BaseText       = "type/Text"
	BaseBoolean    = "type/Boolean"
	BaseDate       = "type/Date"
	BaseDateTime   = "type/DateTime"
	BaseDateTimeTZ = "type/DateTimeWithTZ"
	BaseTime       = "type/Time"
	BaseJSON       = "type/JSON"
	BaseUUID       = "type/UUID"
	BaseBinary     = "type/Binary"
	BaseArray      = "type/Array"
	BaseUnknown    = "type/*"
)

// Semantic types: what a column means, inferred by sync or set by an admin.
const (
	SemanticPK           = "type/PK"
	SemanticFK           = "type/FK"
	SemanticCategory     = "type/Category"
	SemanticEmail        = "type/Email"
	SemanticURL          = "type/URL"
	SemanticCurrency     = "type/Currency"
	SemanticQuantity     = "type/Quantity"
	SemanticScore        = "type/Score"
	SemanticLatitude     = "type/Latitude"
	SemanticLongitude    = "type/Longitude"
	SemanticCity         = "type/City"
	SemanticState        = "type/State"
	SemanticCountry      = "type/Country"
	SemanticZipCode      = "type/ZipCode"
	SemanticCreationTime = "type/CreationTimestamp"
	SemanticName         = "type/Name"
	SemanticTitle        = "type/Title"
	SemanticDescription  = "type/Description"
)

// SemanticTypes lists every semantic type an admin can choose, in menu order.
var SemanticTypes = []string{
	SemanticPK, SemanticFK, SemanticCategory, SemanticEmail, SemanticURL,
	SemanticCurrency, SemanticQuantity, SemanticScore, SemanticLatitude,
	SemanticLongitude, SemanticCity, SemanticState, SemanticCountry,
	SemanticZipCode, SemanticCreationTime, SemanticName, SemanticTitle,
	SemanticDescription,
}

// IsNumeric reports whether a base type holds numbers.
func IsNumeric(base string) bool {
	switch base {
	case BaseInteger, BaseBigInt, BaseFloat, BaseDecimal:
		return true
	}
	return false
}

// IsTemporal reports whether a base type holds dates or times.
func IsTemporal(base string) bool {
	switch base {
	case BaseDate, BaseDateTime, BaseDateTimeTZ, BaseTime:
		return true
	}
	return false
}

// HumanizeName turns an identifier into a display name:
// "ACCOUNT_ID" -> "Account ID", "createdAt" -> "Created At".
func HumanizeName(s string) string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '_' || r == '-' || r == ' ' || r == '.':
			flush()
		case unicode.IsUpper(r) && i > 0 && unicode.IsLower(rs[i-1]):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	for i, w := range words {
		lw := strings.ToLower(w)
		switch lw {
		case "id", "url", "uuid", "ip", "api", "ean", "sku", "utc":
			words[i] = strings.ToUpper(lw)
			continue
		}
		r := []rune(lw)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// TableEdit is an admin's change to a table's metadata; nil leaves a value.
type TableEdit struct {
	DisplayName, Description, Visibility *string
}

// FieldEdit is an admin's change to a field's metadata; nil leaves a value.
type FieldEdit struct {
	DisplayName, Description, SemanticType, Visibility *string
}
