package datasource

import (
	"testing"

	"sightline"
)

func TestInferSemanticType(t *testing.T) {
	fk := &ForeignKey{Table: "PEOPLE", Column: "ID"}
	text := func(name string, distinct int64, avg float64) Field {
		return Field{Name: name, BaseType: sightline.BaseText, DistinctCount: distinct, AvgLength: avg}
	}
	typed := func(name, base string) Field { return Field{Name: name, BaseType: base, DistinctCount: -1} }
	tests := []struct {
		name string
		f    Field
		pks  int
		want string
	}{
		{"primary key", Field{Name: "ID", BaseType: sightline.BaseBigInt, PK: 1}, 1, sightline.SemanticPK},
		{"single pk that is also fk", Field{Name: "USER_ID", BaseType: sightline.BaseInteger, PK: 1, FK: fk}, 1, sightline.SemanticPK},
		{"composite pk member that is fk", Field{Name: "ORDER_ID", BaseType: sightline.BaseInteger, PK: 1, FK: fk}, 2, sightline.SemanticFK},
		{"composite pk member", Field{Name: "LINE", BaseType: sightline.BaseInteger, PK: 2}, 2, sightline.SemanticPK},
		{"foreign key", Field{Name: "USER_ID", BaseType: sightline.BaseInteger, FK: fk}, 1, sightline.SemanticFK},
		{"email", text("EMAIL", 2000, 20), 1, sightline.SemanticEmail},
		{"camel email", text("contactEmail", 2000, 20), 1, sightline.SemanticEmail},
		{"url", text("PAGE_URL", 200, 30), 1, sightline.SemanticURL},
		{"website", text("website", 200, 30), 1, sightline.SemanticURL},
		{"latitude", typed("LATITUDE", sightline.BaseFloat), 1, sightline.SemanticLatitude},
		{"lat", typed("lat", sightline.BaseDecimal), 1, sightline.SemanticLatitude},
		{"longitude", typed("LONGITUDE", sightline.BaseFloat), 1, sightline.SemanticLongitude},
		{"lng", typed("home_lng", sightline.BaseFloat), 1, sightline.SemanticLongitude},
		{"text lat is no coordinate", text("lat", 500, 5), 1, ""},
		{"city", text("CITY", 1900, 9), 1, sightline.SemanticCity},
		{"state", text("STATE", 49, 2), 1, sightline.SemanticState},
		{"country", text("COUNTRY", 130, 2), 1, sightline.SemanticCountry},
		{"zip text", text("ZIP", 2000, 5), 1, sightline.SemanticZipCode},
		{"postal code integer", typed("postal_code", sightline.BaseInteger), 1, sightline.SemanticZipCode},
		{"created at", typed("CREATED_AT", sightline.BaseDateTime), 1, sightline.SemanticCreationTime},
		{"createdAt", typed("createdAt", sightline.BaseDateTimeTZ), 1, sightline.SemanticCreationTime},
		{"date created", typed("date_created", sightline.BaseDate), 1, sightline.SemanticCreationTime},
		{"other timestamp", typed("CANCELED_AT", sightline.BaseDateTime), 1, ""},
		{"created as text", text("CREATED_AT", 5000, 19), 1, ""},
		{"payment", typed("PAYMENT", sightline.BaseDecimal), 1, sightline.SemanticCurrency},
		{"price", typed("PRICE", sightline.BaseFloat), 1, sightline.SemanticCurrency},
		{"subtotal", typed("SUBTOTAL", sightline.BaseFloat), 1, sightline.SemanticCurrency},
		{"tax", typed("TAX", sightline.BaseFloat), 1, sightline.SemanticCurrency},
		{"total", typed("TOTAL", sightline.BaseFloat), 1, sightline.SemanticCurrency},
		{"discount", typed("DISCOUNT", sightline.BaseFloat), 1, sightline.SemanticCurrency},
		{"amount", typed("amount_usd", sightline.BaseDecimal), 1, sightline.SemanticCurrency},
		{"quantity", typed("QUANTITY", sightline.BaseInteger), 1, sightline.SemanticQuantity},
		{"qty", typed("qty", sightline.BaseInteger), 1, sightline.SemanticQuantity},
		{"rating", typed("RATING", sightline.BaseFloat), 1, sightline.SemanticScore},
		{"score", typed("lead_score", sightline.BaseInteger), 1, sightline.SemanticScore},
		{"text rating is a category", text("RATING_MAPPED", 5, 6), 1, sightline.SemanticCategory},
		{"name", text("NAME", 2400, 14), 1, sightline.SemanticName},
		{"first name", text("FIRST_NAME", 1200, 6), 1, sightline.SemanticName},
		{"title", text("TITLE", 199, 20), 1, sightline.SemanticTitle},
		{"description by name", text("DESCRIPTION", 10, 12), 1, sightline.SemanticDescription},
		{"body", text("BODY", 1100, 180), 1, sightline.SemanticDescription},
		{"long text", text("feedback_text_field", 1100, 200), 1, sightline.SemanticDescription},
		{"low-cardinality text", text("PLAN", 3, 6), 1, sightline.SemanticCategory},
		{"thirty values", text("SOURCE", CategoryMaxDistinct, 7), 1, sightline.SemanticCategory},
		{"thirty-one values", text("VENDOR", CategoryMaxDistinct+1, 7), 1, ""},
		{"unprobed text", text("VENDOR", -1, 0), 1, ""},
		{"empty table text", text("VENDOR", 0, 0), 1, ""},
		{"boolean", typed("ACTIVE_SUBSCRIPTION", sightline.BaseBoolean), 1, sightline.SemanticCategory},
		{"plain number", typed("SEATS", sightline.BaseInteger), 1, ""},
		{"plain text", text("PASSWORD", 2500, 16), 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := InferSemanticType(tt.f, tt.pks); got != tt.want {
				t.Errorf("InferSemanticType(%s %s, %d) = %q, want %q", tt.f.Name, tt.f.BaseType, tt.pks, got, tt.want)
			}
		})
	}
}
