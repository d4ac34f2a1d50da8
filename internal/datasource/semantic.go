package datasource

import (
	"slices"
	"strings"

	"sightline"
)

// Words in field names that give away what a field holds.
var (
	urlWords         = []string{"url", "uri", "website", "homepage", "link"}
	latitudeWords    = []string{"latitude", "lat"}
	longitudeWords   = []string{"longitude", "lng", "lon", "long"}
	zipWords         = []string{"zip", "zipcode", "postal", "postcode"}
	stateWords       = []string{"state", "province"}
	currencyWords    = []string{"price", "payment", "total", "subtotal", "tax", "amount", "cost", "revenue", "discount", "fee", "salary", "income", "spend", "balance", "sales", "profit", "mrr", "arr"}
	quantityWords    = []string{"quantity", "qty", "units"}
	scoreWords       = []string{"score", "rating", "stars"}
	descriptionNames = []string{"description", "desc", "body", "notes", "note", "comment", "comments", "summary", "details", "bio", "about", "content", "message", "review", "text"}
	creationNames    = []string{"created", "created at", "created on", "created date", "created time", "creation date", "creation time", "date created", "inserted at", "create time", "create date"}
)

// nameWords splits an identifier into lower-case words the way display names
// are made: "PAGE_URL" -> [page url], "createdAt" -> [created at].
func nameWords(name string) []string {
	return strings.Fields(strings.ToLower(sightline.HumanizeName(name)))
}

// InferSemanticType guesses what a synced field means from its keys, name,
// base type and probe figures (DistinctCount, AvgLength). pkColumns is the
// number of columns in the table's primary key. It returns "" when nothing
// fits. It is pure: sync calls it after probing.
func InferSemanticType(f Field, pkColumns int) string {
	switch {
	case f.PK > 0 && (pkColumns == 1 || f.FK == nil):
		return sightline.SemanticPK
	case f.FK != nil:
		return sightline.SemanticFK
	}
	words := nameWords(f.Name)
	joined := strings.Join(words, " ")
	has := func(set []string) bool {
		return slices.ContainsFunc(words, func(w string) bool { return slices.Contains(set, w) })
	}
	last := ""
	if len(words) > 0 {
		last = words[len(words)-1]
	}
	text := f.BaseType == sightline.BaseText
	numeric := sightline.IsNumeric(f.BaseType)

	switch {
	case text && (has([]string{"email"}) || joined == "e mail"):
		return sightline.SemanticEmail
	case text && has(urlWords):
		return sightline.SemanticURL
	case numeric && has(latitudeWords):
		return sightline.SemanticLatitude
	case numeric && has(longitudeWords):
		return sightline.SemanticLongitude
	case (text || numeric) && has(zipWords):
		return sightline.SemanticZipCode
	case text && has([]string{"city"}):
		return sightline.SemanticCity
	case text && has(stateWords):
		return sightline.SemanticState
	case text && has([]string{"country"}):
		return sightline.SemanticCountry
	case sightline.IsTemporal(f.BaseType) && f.BaseType != sightline.BaseTime && slices.Contains(creationNames, joined):
		return sightline.SemanticCreationTime
	case numeric && has(currencyWords):
		return sightline.SemanticCurrency
	case numeric && has(quantityWords):
		return sightline.SemanticQuantity
	case numeric && has(scoreWords):
		return sightline.SemanticScore
	case text && (joined == "name" || last == "name" || joined == "full name"):
		return sightline.SemanticName
	case text && last == "title":
		return sightline.SemanticTitle
	case text && (slices.Contains(descriptionNames, joined) || f.AvgLength >= DescriptionMinAvgLength):
		return sightline.SemanticDescription
	case f.BaseType == sightline.BaseBoolean:
		return sightline.SemanticCategory
	case text && f.DistinctCount >= 1 && f.DistinctCount <= CategoryMaxDistinct:
		return sightline.SemanticCategory
	}
	return ""
}
