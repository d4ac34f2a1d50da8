package sampledata

import (
	"fmt"

	"sightline"
)

// Kind is the engine-independent type of a column's values. It decides the
// declared type on each engine and the Go type Generate emits.
type Kind int

// Column kinds and the Go value Generate emits for each (nil for NULL).
const (
	Integer   Kind = iota + 1 // int64
	Money                     // float64 with two decimals
	Float                     // float64
	Text                      // string
	Bool                      // bool
	Date                      // time.Time at midnight UTC
	Timestamp                 // time.Time in UTC, whole seconds
)

// Column describes one column of a sample table.
type Column struct {
	Name        string
	Kind        Kind
	Size        int // VARCHAR length for Text; 0 means TEXT
	Nullable    bool
	PrimaryKey  bool
	References  string // the table whose ID this column points at, or ""
	Description string
}

// TableDef describes one sample table: its columns in order, its row count
// at scale 1 and a short description for the data browser. The first column
// is always the integer primary key ID.
type TableDef struct {
	Name        string
	Description string
	Rows        int
	Columns     []Column
}

// RowCount returns how many rows the table has at the given scale.
func (t TableDef) RowCount(scale int) int {
	return t.Rows * normScale(scale)
}

// Type returns the column's declared type on dialect (sightline.EngineSQLite,
// EnginePostgres or EngineMySQL). The SQLite names are chosen so that a
// metadata sync reading the declared type recognises the base type.
func (c Column) Type(dialect string) string {
	switch c.Kind {
	case Integer:
		if dialect == sightline.EngineMySQL {
			return "INT"
		}
		return "INTEGER"
	case Money:
		if dialect == sightline.EnginePostgres {
			return "NUMERIC(10,2)"
		}
		return "DECIMAL(10,2)"
	case Float:
		if dialect == sightline.EnginePostgres {
			return "DOUBLE PRECISION"
		}
		return "DOUBLE"
	case Text:
		if c.Size > 0 {
			return fmt.Sprintf("VARCHAR(%d)", c.Size)
		}
		return "TEXT"
	case Bool:
		if dialect == sightline.EngineMySQL {
			return "TINYINT(1)"
		}
		return "BOOLEAN"
	case Date:
		return "DATE"
	case Timestamp:
		if dialect == sightline.EngineMySQL {
			return "DATETIME"
		}
		return "TIMESTAMP"
	}
	return "TEXT"
}

// Table names, in the order Generate emits them: every table comes after the
// tables its foreign keys point at.
const (
	Accounts       = "ACCOUNTS"
	Invoices       = "INVOICES"
	AnalyticEvents = "ANALYTIC_EVENTS"
	Feedback       = "FEEDBACK"
	People         = "PEOPLE"
	Products       = "PRODUCTS"
	Orders         = "ORDERS"
	Reviews        = "REVIEWS"
)

func id(desc string) Column {
	return Column{Name: "ID", Kind: Integer, PrimaryKey: true, Description: desc}
}

// Tables returns the definitions of the eight sample tables in dependency
// order. The slice is freshly built on every call and may be modified.
func Tables() []TableDef {
	return []TableDef{
		{
			Name:        Accounts,
			Description: "One row per customer account of a SaaS product: who signed up, on which plan, and whether they still pay.",
			Rows:        2495,
			Columns: []Column{
				id("Unique identifier of the account."),
				{Name: "EMAIL", Kind: Text, Size: 255, Description: "Email address of the account's owner."},
				{Name: "FIRST_NAME", Kind: Text, Size: 255, Description: "First name of the account's owner."},
				{Name: "LAST_NAME", Kind: Text, Size: 255, Description: "Last name of the account's owner."},
				{Name: "PLAN", Kind: Text, Size: 255, Description: "Current subscription plan: Basic, Premium or Business."},
				{Name: "SOURCE", Kind: Text, Size: 255, Nullable: true, Description: "Where the account came from: Invite, Google, Twitter or Facebook; empty when unknown."},
				{Name: "SEATS", Kind: Integer, Description: "Number of paid seats (users) on the account."},
				{Name: "CREATED_AT", Kind: Timestamp, Description: "When the account signed up and its trial started."},
				{Name: "TRIAL_ENDS_AT", Kind: Timestamp, Description: "When the 14-day trial ends or ended."},
				{Name: "CANCELED_AT", Kind: Timestamp, Nullable: true, Description: "When the subscription was canceled; empty while it is active."},
				{Name: "TRIAL_CONVERTED", Kind: Bool, Description: "True if the trial turned into a paid subscription."},
				{Name: "ACTIVE_SUBSCRIPTION", Kind: Bool, Description: "True if the account is paying today."},
				{Name: "LEGACY_PLAN", Kind: Bool, Description: "True for a few Business accounts still on retired plan terms."},
				{Name: "LATITUDE", Kind: Float, Description: "Approximate latitude of the account's office."},
				{Name: "LONGITUDE", Kind: Float, Description: "Approximate longitude of the account's office."},
				{Name: "COUNTRY", Kind: Text, Size: 2, Description: "Two-letter ISO 3166 code of the account's country."},
			},
		},
		{
			Name:        Invoices,
			Description: "One row per monthly invoice sent to an account.",
			Rows:        13856,
			Columns: []Column{
				id("Unique identifier of the invoice."),
				{Name: "ACCOUNT_ID", Kind: Integer, References: Accounts, Description: "The account billed."},
				{Name: "PAYMENT", Kind: Money, Description: "Amount paid, in US dollars; depends on the plan and, for large Business accounts, on the seats."},
				{Name: "EXPECTED_INVOICE", Kind: Bool, Description: "True if the invoice was sent on the regular billing schedule; false for one-off invoices."},
				{Name: "PLAN", Kind: Text, Size: 255, Description: "Plan billed by this invoice: Basic, Premium or Business."},
				{Name: "DATE_RECEIVED", Kind: Date, Description: "Day the payment was received, usually the last day of the month."},
			},
		},
		{
			Name:        AnalyticEvents,
			Description: "One row per event recorded on the product's website over the last three months: a page view or a button click.",
			Rows:        37169,
			Columns: []Column{
				id("Unique identifier of the event."),
				{Name: "ACCOUNT_ID", Kind: Integer, References: Accounts, Description: "The signed-in account that caused the event."},
				{Name: "EVENT", Kind: Text, Size: 255, Description: "What happened: Page Viewed or Button Clicked."},
				{Name: "TIMESTAMP", Kind: Timestamp, Description: "When the event happened."},
				{Name: "PAGE_URL", Kind: Text, Size: 255, Nullable: true, Description: "Address of the page viewed; empty for button clicks."},
				{Name: "BUTTON_LABEL", Kind: Text, Size: 255, Nullable: true, Description: "Label of the button clicked; empty for page views."},
			},
		},
		{
			Name:        Feedback,
			Description: "One row per piece of feedback an account sent about the product; at most one per account.",
			Rows:        642,
			Columns: []Column{
				id("Unique identifier of the feedback."),
				{Name: "ACCOUNT_ID", Kind: Integer, References: Accounts, Description: "The account that gave the feedback."},
				{Name: "EMAIL", Kind: Text, Size: 255, Description: "Email address of the account's owner."},
				{Name: "DATE_RECEIVED", Kind: Date, Description: "Day the feedback arrived."},
				{Name: "RATING", Kind: Integer, Description: "Score from 1 (poor) to 5 (great)."},
				{Name: "RATING_MAPPED", Kind: Text, Size: 255, Description: "The rating in words: Poor, Below Average, Average, Good or Great."},
				{Name: "BODY", Kind: Text, Description: "Text of the feedback."},
			},
		},
		{
			Name:        People,
			Description: "One row per registered customer of the shop, with contact details and where they live.",
			Rows:        2500,
			Columns: []Column{
				id("Unique identifier of the person."),
				{Name: "NAME", Kind: Text, Size: 255, Description: "Full name."},
				{Name: "EMAIL", Kind: Text, Size: 255, Description: "Email address; unique."},
				{Name: "PASSWORD", Kind: Text, Size: 255, Description: "A random token standing in for a password (no real credentials)."},
				{Name: "ADDRESS", Kind: Text, Size: 255, Description: "Street address."},
				{Name: "CITY", Kind: Text, Size: 255, Description: "City of the address."},
				{Name: "STATE", Kind: Text, Size: 2, Description: "Two-letter US state code of the address."},
				{Name: "ZIP", Kind: Text, Size: 5, Description: "Five-digit US ZIP code of the address."},
				{Name: "LATITUDE", Kind: Float, Description: "Latitude of the address."},
				{Name: "LONGITUDE", Kind: Float, Description: "Longitude of the address."},
				{Name: "SOURCE", Kind: Text, Size: 255, Description: "How the person found the shop: Affiliate, Facebook, Google, Organic or Twitter."},
				{Name: "BIRTH_DATE", Kind: Date, Description: "Date of birth."},
				{Name: "CREATED_AT", Kind: Timestamp, Description: "When the person registered."},
			},
		},
		{
			Name:        Products,
			Description: "One row per product the shop sells.",
			Rows:        200,
			Columns: []Column{
				id("Unique identifier of the product."),
				{Name: "EAN", Kind: Text, Size: 13, Description: "13-digit International Article Number (barcode)."},
				{Name: "TITLE", Kind: Text, Size: 255, Description: "Name of the product."},
				{Name: "CATEGORY", Kind: Text, Size: 255, Description: "Product line: Doohickey, Gadget, Gizmo or Widget."},
				{Name: "VENDOR", Kind: Text, Size: 255, Description: "Company that makes the product."},
				{Name: "PRICE", Kind: Money, Description: "List price in US dollars."},
				{Name: "RATING", Kind: Float, Description: "Average rating of the product's reviews, from 0 to 5; 0 when it has none."},
				{Name: "CREATED_AT", Kind: Timestamp, Description: "When the product was added to the catalog."},
			},
		},
		{
			Name:        Orders,
			Description: "One row per order a person placed for one product.",
			Rows:        18760,
			Columns: []Column{
				id("Unique identifier of the order."),
				{Name: "USER_ID", Kind: Integer, References: People, Description: "The person who placed the order."},
				{Name: "PRODUCT_ID", Kind: Integer, References: Products, Description: "The product ordered."},
				{Name: "SUBTOTAL", Kind: Money, Description: "Price of the product before tax and discount."},
				{Name: "TAX", Kind: Money, Description: "Sales tax of the buyer's state on the subtotal."},
				{Name: "TOTAL", Kind: Money, Description: "Amount charged: subtotal plus tax minus discount."},
				{Name: "DISCOUNT", Kind: Money, Nullable: true, Description: "Discount applied; empty when the order had none."},
				{Name: "CREATED_AT", Kind: Timestamp, Description: "When the order was placed."},
				{Name: "QUANTITY", Kind: Integer, Description: "Number of items ordered."},
			},
		},
		{
			Name:        Reviews,
			Description: "One row per review a shopper wrote about a product.",
			Rows:        1112,
			Columns: []Column{
				id("Unique identifier of the review."),
				{Name: "PRODUCT_ID", Kind: Integer, References: Products, Description: "The product reviewed."},
				{Name: "REVIEWER", Kind: Text, Size: 255, Description: "User name of the reviewer."},
				{Name: "RATING", Kind: Integer, Description: "Stars given, from 1 to 5."},
				{Name: "BODY", Kind: Text, Description: "Text of the review."},
				{Name: "CREATED_AT", Kind: Timestamp, Description: "When the review was posted."},
			},
		},
	}
}

func normScale(scale int) int {
	if scale < 1 {
		return 1
	}
	return scale
}
