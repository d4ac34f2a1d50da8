package datasource

import (
	"context"
	"testing"

	"sightline"
)

// sampleLike builds a SQLite file shaped like the Sample Database: the same
// eight tables, 71 columns, keys and row counts, with synthetic values.
func sampleLike(t testing.TB) sightline.Database {
	t.Helper()
	series := func(n string) string {
		return "(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < " + n + ") SELECT i FROM s)"
	}
	return sqliteFixture(t, []string{
		`CREATE TABLE ACCOUNTS (ID INTEGER PRIMARY KEY, EMAIL TEXT, FIRST_NAME TEXT, LAST_NAME TEXT, PLAN TEXT,
			SOURCE TEXT, SEATS INTEGER, CREATED_AT DATETIME, TRIAL_ENDS_AT DATETIME, CANCELED_AT DATETIME,
			TRIAL_CONVERTED BOOLEAN, ACTIVE_SUBSCRIPTION BOOLEAN, LEGACY_PLAN BOOLEAN, LATITUDE REAL, LONGITUDE REAL, COUNTRY TEXT)`,
		`CREATE TABLE INVOICES (ID INTEGER PRIMARY KEY, ACCOUNT_ID INTEGER REFERENCES ACCOUNTS (ID), PAYMENT DECIMAL(10,2),
			EXPECTED_INVOICE BOOLEAN, PLAN TEXT, DATE_RECEIVED DATE)`,
		`CREATE TABLE PEOPLE (ID INTEGER PRIMARY KEY, ADDRESS TEXT, EMAIL TEXT, PASSWORD TEXT, NAME TEXT, CITY TEXT,
			STATE TEXT, ZIP TEXT, LATITUDE REAL, LONGITUDE REAL, SOURCE TEXT, BIRTH_DATE DATE, CREATED_AT DATETIME)`,
		`CREATE TABLE PRODUCTS (ID INTEGER PRIMARY KEY, EAN TEXT, TITLE TEXT, CATEGORY TEXT, VENDOR TEXT, PRICE REAL,
			RATING REAL, CREATED_AT DATETIME)`,
		`CREATE TABLE ORDERS (ID INTEGER PRIMARY KEY, USER_ID INTEGER REFERENCES PEOPLE (ID), PRODUCT_ID INTEGER REFERENCES PRODUCTS (ID),
			SUBTOTAL REAL, TAX REAL, TOTAL REAL, DISCOUNT REAL, CREATED_AT DATETIME, QUANTITY INTEGER)`,
		`CREATE TABLE REVIEWS (ID INTEGER PRIMARY KEY, PRODUCT_ID INTEGER REFERENCES PRODUCTS (ID), REVIEWER TEXT,
			RATING INTEGER, BODY TEXT, CREATED_AT DATETIME)`,
		`CREATE TABLE ANALYTIC_EVENTS (ID INTEGER PRIMARY KEY, ACCOUNT_ID INTEGER REFERENCES ACCOUNTS (ID), EVENT TEXT,
			TIMESTAMP DATETIME, PAGE_URL TEXT, BUTTON_LABEL TEXT)`,
		`CREATE TABLE FEEDBACK (ID INTEGER PRIMARY KEY, ACCOUNT_ID INTEGER REFERENCES ACCOUNTS (ID), EMAIL TEXT,
			DATE_RECEIVED DATE, RATING INTEGER, RATING_MAPPED TEXT, BODY TEXT)`,
		`INSERT INTO ACCOUNTS SELECT i, 'acct' || i || '@example.com', 'First' || (i % 700), 'Last' || (i % 900),
			CASE WHEN i % 29 = 0 THEN 'Premium' WHEN i % 80 = 0 THEN 'Business' ELSE 'Basic' END,
			CASE i % 5 WHEN 0 THEN 'Invite' WHEN 1 THEN 'Google' WHEN 2 THEN 'Twitter' WHEN 3 THEN 'Facebook' END,
			1 + i % 13, datetime('2022-01-01', '+' || (i % 900) || ' days'), datetime('2022-01-15', '+' || (i % 900) || ' days'),
			CASE WHEN i % 4 = 0 THEN datetime('2024-01-01', '+' || (i % 300) || ' days') END,
			i % 7 < 3, i % 5 = 0, i % 97 = 0, -60 + (i % 120) * 1.01, -170 + (i % 340) * 1.003, 'C' || (i % 130)
			FROM ` + series("2495"),
		`INSERT INTO INVOICES SELECT i, 1 + i % 2495, CASE WHEN i % 11 = 0 THEN 875.00 WHEN i % 2 = 0 THEN 295.00 ELSE 251.50 END,
			i % 33 <> 0, CASE WHEN i % 11 = 0 THEN 'Business' ELSE 'Basic' END, date('2022-01-31', '+' || (i % 1000) || ' days')
			FROM ` + series("13856"),
		`INSERT INTO PEOPLE SELECT i, i || ' Main Street', 'person' || i || '@example.com', hex(randomblob(8)),
			'Person Name ' || i, 'City' || (i % 1900), 'S' || (i % 49), printf('%05d', i * 7 % 99999),
			20 + (i % 40) * 0.9, -120 + (i % 50) * 0.9,
			CASE i % 5 WHEN 0 THEN 'Facebook' WHEN 1 THEN 'Affiliate' WHEN 2 THEN 'Google' WHEN 3 THEN 'Twitter' ELSE 'Organic' END,
			date('1960-01-01', '+' || (i * 13 % 15000) || ' days'), datetime('2022-01-01', '+' || (i % 1400) || ' days')
			FROM ` + series("2500"),
		`INSERT INTO PRODUCTS SELECT i, printf('%013d', i * 7919), 'Adjective Material Noun ' || i,
			CASE i % 4 WHEN 0 THEN 'Widget' WHEN 1 THEN 'Gadget' WHEN 2 THEN 'Gizmo' ELSE 'Doohickey' END,
			'Vendor ' || i, 15.69 + (i % 80), (i % 50) / 10.0, datetime('2022-01-01', '+' || i || ' days')
			FROM ` + series("200"),
		`INSERT INTO ORDERS SELECT i, 1 + i % 1750, 1 + i % 200, 15.69 + (i % 80), 1.5, 17.19 + (i % 80),
			CASE WHEN i % 10 = 0 THEN 2.5 END, datetime('2022-01-01', '+' || (i % 1460) || ' days'), 1 + i % 6
			FROM ` + series("18760"),
		`INSERT INTO REVIEWS SELECT i, 1 + i % 176, 'reviewer' || (i % 900), 1 + i % 5,
			'A long review body that goes on about the product for quite a few words, number ' || i,
			datetime('2022-01-01', '+' || (i % 1000) || ' days')
			FROM ` + series("1112"),
		`INSERT INTO ANALYTIC_EVENTS SELECT i, 1 + i % 1500, CASE WHEN i % 7 = 0 THEN 'Button Clicked' ELSE 'Page Viewed' END,
			datetime('2024-01-01', '+' || (i % 7776000) || ' seconds'),
			CASE WHEN i % 7 <> 0 THEN 'https://example.com/page/' || (i % 40) END,
			CASE WHEN i % 7 = 0 THEN 'Button ' || (i % 9) END
			FROM ` + series("37169"),
		`INSERT INTO FEEDBACK SELECT i, i, 'acct' || i || '@example.com', date('2023-01-01', '+' || i || ' days'), 1 + i % 5,
			CASE i % 5 WHEN 0 THEN 'Poor' WHEN 1 THEN 'Below Average' WHEN 2 THEN 'Average' WHEN 3 THEN 'Good' ELSE 'Great' END,
			'Feedback body text that is long enough to read as a description of how things went, entry ' || i
			FROM ` + series("642"),
	})
}

// TestSyncSampleLike checks the semantic types sync infers on a database
// shaped like the Sample Database.
func TestSyncSampleLike(t *testing.T) {
	s := open(t, sampleLike(t))
	md, err := s.Sync(context.Background())
	if err != nil {
		t.Fatalf("Sync() = %v", err)
	}
	got := map[string]string{}
	fields := 0
	for _, tb := range md.Tables {
		for _, f := range tb.Fields {
			got[tb.Name+"."+f.Name] = f.SemanticType
			fields++
		}
	}
	if len(md.Tables) != 8 || fields != 71 {
		t.Errorf("Sync() = %d tables, %d fields, want 8, 71", len(md.Tables), fields)
	}
	want := map[string]string{
		"ACCOUNTS.ID": sightline.SemanticPK, "ACCOUNTS.EMAIL": sightline.SemanticEmail,
		"ACCOUNTS.FIRST_NAME": sightline.SemanticName, "ACCOUNTS.PLAN": sightline.SemanticCategory,
		"ACCOUNTS.SOURCE": sightline.SemanticCategory, "ACCOUNTS.SEATS": "",
		"ACCOUNTS.CREATED_AT": sightline.SemanticCreationTime, "ACCOUNTS.TRIAL_CONVERTED": sightline.SemanticCategory,
		"ACCOUNTS.LATITUDE": sightline.SemanticLatitude, "ACCOUNTS.LONGITUDE": sightline.SemanticLongitude,
		"ACCOUNTS.COUNTRY":    sightline.SemanticCountry,
		"INVOICES.ACCOUNT_ID": sightline.SemanticFK, "INVOICES.PAYMENT": sightline.SemanticCurrency,
		"INVOICES.EXPECTED_INVOICE": sightline.SemanticCategory, "INVOICES.PLAN": sightline.SemanticCategory,
		"INVOICES.DATE_RECEIVED": "",
		"PEOPLE.ADDRESS":         "", "PEOPLE.PASSWORD": "", "PEOPLE.NAME": sightline.SemanticName,
		"PEOPLE.CITY": sightline.SemanticCity, "PEOPLE.STATE": sightline.SemanticState, "PEOPLE.ZIP": sightline.SemanticZipCode,
		"PRODUCTS.TITLE": sightline.SemanticTitle, "PRODUCTS.CATEGORY": sightline.SemanticCategory,
		"PRODUCTS.VENDOR": "", "PRODUCTS.PRICE": sightline.SemanticCurrency, "PRODUCTS.RATING": sightline.SemanticScore,
		"ORDERS.USER_ID": sightline.SemanticFK, "ORDERS.PRODUCT_ID": sightline.SemanticFK,
		"ORDERS.TAX": sightline.SemanticCurrency, "ORDERS.DISCOUNT": sightline.SemanticCurrency,
		"ORDERS.QUANTITY":  sightline.SemanticQuantity,
		"REVIEWS.REVIEWER": "", "REVIEWS.BODY": sightline.SemanticDescription,
		"ANALYTIC_EVENTS.EVENT": sightline.SemanticCategory, "ANALYTIC_EVENTS.PAGE_URL": sightline.SemanticURL,
		"ANALYTIC_EVENTS.BUTTON_LABEL": sightline.SemanticCategory, "ANALYTIC_EVENTS.TIMESTAMP": "",
		"FEEDBACK.RATING": sightline.SemanticScore, "FEEDBACK.RATING_MAPPED": sightline.SemanticCategory,
		"FEEDBACK.BODY": sightline.SemanticDescription,
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("Sync() %s semantic type = %q, want %q", k, got[k], w)
		}
	}
	for _, tb := range md.Tables {
		if tb.Name == "INVOICES" && tb.RowCount != 13856 {
			t.Errorf("Sync() INVOICES rows = %d, want 13856", tb.RowCount)
		}
	}
}

// BenchmarkSyncSampleLike measures a full sync (catalog, probes, category
// values) of the Sample Database's shape on SQLite. Target: well under 1 s.
func BenchmarkSyncSampleLike(b *testing.B) {
	s := open(b, sampleLike(b))
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.Sync(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// pageQuery is the first page of INVOICES as browsing shows it.
const pageQuery = "SELECT * FROM INVOICES ORDER BY ID LIMIT 2001"

// BenchmarkExecInvoicesPage measures Exec on the first 2,000 rows of
// INVOICES; compare with BenchmarkRawInvoicesPage for Exec's overhead.
func BenchmarkExecInvoicesPage(b *testing.B) {
	s := open(b, sampleLike(b))
	ctx := context.Background()
	for b.Loop() {
		res, err := s.Exec(ctx, pageQuery, nil, Options{MaxRows: 2000})
		if err != nil || !res.Truncated {
			b.Fatalf("Exec() = %v, %v", res, err)
		}
	}
}

// BenchmarkRawInvoicesPage reads the same rows through database/sql alone,
// scanning into []any without normalising.
func BenchmarkRawInvoicesPage(b *testing.B) {
	s := open(b, sampleLike(b))
	ctx := context.Background()
	for b.Loop() {
		rows, err := s.db.QueryContext(ctx, pageQuery)
		if err != nil {
			b.Fatal(err)
		}
		cols, _ := rows.Columns()
		var out [][]any
		for rows.Next() && len(out) < 2000 {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				b.Fatal(err)
			}
			out = append(out, vals)
		}
		if err := rows.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExecSmall measures the fixed cost of one Exec round trip.
func BenchmarkExecSmall(b *testing.B) {
	for _, e := range engines() {
		b.Run(e.name, func(b *testing.B) {
			s := open(b, e.setup(b, nil))
			ctx := context.Background()
			for b.Loop() {
				if _, err := s.Exec(ctx, "SELECT 1", nil, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRawSmall is BenchmarkExecSmall through database/sql alone.
func BenchmarkRawSmall(b *testing.B) {
	for _, e := range engines() {
		b.Run(e.name, func(b *testing.B) {
			s := open(b, e.setup(b, nil))
			ctx := context.Background()
			var one any
			for b.Loop() {
				if err := s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
