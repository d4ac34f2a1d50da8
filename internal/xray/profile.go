package xray

import (
	"strings"

	"sightline"
)

// profile is what Generate learned about a table's fields: the roles they
// can play on an X-ray.
type profile struct {
	table *sightline.Table
	// name is the table's display name ("Invoices").
	name string
	pk   *sightline.Field
	// date is the main date column, nil when the table has none; created
	// says whether it is a creation timestamp.
	date    *sightline.Field
	created bool
	links   []link
	// numbers are the numeric columns worth summing, averaging and binning.
	numbers []*sightline.Field
	// categories are the table's own category columns, small or large.
	categories []*sightline.Field
	// place holds the geographic columns, of the table itself or of the
	// first table a foreign key reaches that has any.
	place place
}

// link is a foreign key of the table and the table it points at (nil when
// the metadata does not know it).
type link struct {
	fk     *sightline.Field
	target *sightline.Table
}

// place holds geographic columns, reached through the foreign key via when
// it is not nil.
type place struct {
	via                      *sightline.Field
	country, state, city     *sightline.Field
	latitude, longitude      *sightline.Field
	hasCoordinates, hasAreas bool
}

// empty reports whether no geographic column was found.
func (p place) empty() bool { return !p.hasAreas && !p.hasCoordinates && p.city == nil }

// newProfile sorts the visible fields of t into roles, looking up the
// targets of foreign keys in md (which may be nil).
func newProfile(t *sightline.Table, md Metadata) (*profile, error) {
	p := &profile{table: t, name: displayName(t.DisplayName, t.Name)}
	p.date, p.created = mainDate(t)
	for i := range t.Fields {
		f := &t.Fields[i]
		if f.Visibility == sightline.VisibilityHidden {
			continue
		}
		switch {
		case isPK(f):
			if p.pk == nil {
				p.pk = f
			}
		case isFK(f):
			target, err := linkedTable(f, md)
			if err != nil {
				return nil, err
			}
			p.links = append(p.links, link{fk: f, target: target})
		case isCategory(f):
			p.categories = append(p.categories, f)
		case isMeasure(f):
			p.numbers = append(p.numbers, f)
		}
	}
	p.place = findPlace(t, nil)
	if p.place.empty() {
		for _, l := range p.links {
			if l.target == nil || l.target.ID == t.ID {
				continue
			}
			if pl := findPlace(l.target, l.fk); !pl.empty() {
				p.place = pl
				break
			}
		}
	}
	return p, nil
}

// linkedTable returns the table a foreign key points at, or nil when the
// metadata does not have it.
func linkedTable(fk *sightline.Field, md Metadata) (*sightline.Table, error) {
	if md == nil || fk.FKTargetFieldID == 0 {
		return nil, nil
	}
	pk, err := md.Field(fk.FKTargetFieldID)
	if sightline.ErrorCode(err) == sightline.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	t, err := md.Table(pk.TableID)
	if sightline.ErrorCode(err) == sightline.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

// findPlace collects the visible geographic columns of t.
func findPlace(t *sightline.Table, via *sightline.Field) place {
	pl := place{via: via}
	for i := range t.Fields {
		f := &t.Fields[i]
		if f.Visibility == sightline.VisibilityHidden {
			continue
		}
		switch f.SemanticType {
		case sightline.SemanticCountry:
			pl.country = first(pl.country, f)
		case sightline.SemanticState:
			pl.state = first(pl.state, f)
		case sightline.SemanticCity:
			pl.city = first(pl.city, f)
		case sightline.SemanticLatitude:
			if sightline.IsNumeric(f.BaseType) {
				pl.latitude = first(pl.latitude, f)
			}
		case sightline.SemanticLongitude:
			if sightline.IsNumeric(f.BaseType) {
				pl.longitude = first(pl.longitude, f)
			}
		}
	}
	pl.hasAreas = pl.country != nil || pl.state != nil
	pl.hasCoordinates = pl.latitude != nil && pl.longitude != nil
	return pl
}

// first returns cur, or f when cur is still unset.
func first(cur, f *sightline.Field) *sightline.Field {
	if cur != nil {
		return cur
	}
	return f
}

// mainDate picks the date the X-ray spreads rows over: the first visible
// creation timestamp, else the best-named visible date or date-time (names
// that read like a creation come first, names of later events such as an
// end, a cancellation or an update last; birth dates never count).
func mainDate(t *sightline.Table) (f *sightline.Field, created bool) {
	best, bestScore := -1, 0
	for i := range t.Fields {
		c := &t.Fields[i]
		if c.Visibility == sightline.VisibilityHidden || !isDate(c) {
			continue
		}
		if c.SemanticType == sightline.SemanticCreationTime {
			return c, true
		}
		score := dateScore(c.Name)
		if score < 0 {
			continue
		}
		if best < 0 || score < bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return nil, false
	}
	return &t.Fields[best], false
}

// dateScore ranks a date column by its name: 0 reads like a creation, 1 is
// neutral, 2 reads like a later event, -1 is a birth date.
func dateScore(name string) int {
	score := 1
	for _, w := range words(name) {
		switch w {
		case "birth", "birthday", "birthdate", "dob", "born":
			return -1
		case "created", "creation", "inserted", "added", "registered", "signup", "joined", "timestamp":
			score = min(score, 0)
		case "updated", "modified", "canceled", "cancelled", "deleted", "ends", "end", "ended", "expires", "expiry",
			"expiration", "due", "closed", "archived":
			score = 2
		}
	}
	return score
}

// words splits an identifier into lower-case words.
func words(name string) []string {
	return strings.Fields(strings.ToLower(sightline.HumanizeName(name)))
}

// isDate reports whether f holds dates or date-times (not times of day).
func isDate(f *sightline.Field) bool {
	return sightline.IsTemporal(f.BaseType) && f.BaseType != sightline.BaseTime
}

// isPK reports whether f is a primary key.
func isPK(f *sightline.Field) bool { return f.SemanticType == sightline.SemanticPK }

// isFK reports whether f is a foreign key.
func isFK(f *sightline.Field) bool {
	return f.SemanticType == sightline.SemanticFK || f.FKTargetFieldID != 0
}

// isCategory reports whether f holds a few repeated values worth counting:
// a category, or a boolean.
func isCategory(f *sightline.Field) bool {
	return f.SemanticType == sightline.SemanticCategory || f.BaseType == sightline.BaseBoolean
}

// isMeasure reports whether f is a number worth adding up: not a key, a
// coordinate, a zip code or an unlinked identifier ("..._ID").
func isMeasure(f *sightline.Field) bool {
	if !sightline.IsNumeric(f.BaseType) {
		return false
	}
	switch f.SemanticType {
	case sightline.SemanticPK, sightline.SemanticFK, sightline.SemanticLatitude, sightline.SemanticLongitude,
		sightline.SemanticZipCode, sightline.SemanticCategory:
		return false
	}
	w := words(f.Name)
	return len(w) == 0 || w[len(w)-1] != "id"
}

// averageOnly reports whether only the average of f means something: the
// sum of scores or ratings does not.
func averageOnly(f *sightline.Field) bool { return f.SemanticType == sightline.SemanticScore }

// distinct returns how many values a category field has as sync measured
// it, 0 when unknown. Booleans have two.
func distinct(f *sightline.Field) int64 {
	switch {
	case f.DistinctCount > 0:
		return f.DistinctCount
	case len(f.Values) > 0:
		return int64(len(f.Values))
	case f.BaseType == sightline.BaseBoolean:
		return 2
	}
	return 0
}

// isSmall reports whether a category has few enough values for a row chart.
func isSmall(f *sightline.Field) bool {
	n := distinct(f)
	return n > 0 && n <= SmallCategory
}

// displayName is a metadata display name, or one made from the identifier.
func displayName(display, name string) string {
	if strings.TrimSpace(display) != "" {
		return display
	}
	return sightline.HumanizeName(name)
}

// label names a column in card titles, prefixed by the foreign key it is
// reached through: "Country", "Account Country".
func label(f, via *sightline.Field) string {
	s := displayName(f.DisplayName, f.Name)
	if via == nil {
		return s
	}
	return viaName(via) + " " + s
}

// viaName names what a foreign key points at: "Account ID" -> "Account".
func viaName(fk *sightline.Field) string {
	return strings.TrimSuffix(displayName(fk.DisplayName, fk.Name), " ID")
}
