package query

import (
	"sightline"
)

// Metadata gives the compiler the tables, fields and saved questions a query
// refers to. Implementations return an ENOTFOUND *sightline.Error for an
// unknown ID. The compiler is pure: callers load what it needs beforehand
// (StaticMetadata) or wrap a cache.
type Metadata interface {
	Table(id int64) (*sightline.Table, error)
	Field(id int64) (*sightline.Field, error)
	// Card returns the query of a saved question.
	Card(id int64) (*sightline.Query, error)
}

// StaticMetadata is Metadata held in memory.
type StaticMetadata struct {
	tables map[int64]*sightline.Table
	fields map[int64]*sightline.Field
	cards  map[int64]*sightline.Query
}

// NewStaticMetadata indexes tables (with their Fields) and saved questions.
func NewStaticMetadata(tables []sightline.Table, cards map[int64]*sightline.Query) *StaticMetadata {
	m := &StaticMetadata{
		tables: make(map[int64]*sightline.Table, len(tables)),
		fields: make(map[int64]*sightline.Field),
		cards:  cards,
	}
	for i := range tables {
		t := &tables[i]
		m.tables[t.ID] = t
		for j := range t.Fields {
			m.fields[t.Fields[j].ID] = &t.Fields[j]
		}
	}
	return m
}

// Table returns the table with the given ID.
func (m *StaticMetadata) Table(id int64) (*sightline.Table, error) {
	if t, ok := m.tables[id]; ok {
		return t, nil
	}
	return nil, sightline.Errorf(sightline.ENOTFOUND, "Table %d does not exist.", id)
}

// Field returns the field with the given ID.
func (m *StaticMetadata) Field(id int64) (*sightline.Field, error) {
	if f, ok := m.fields[id]; ok {
		return f, nil
	}
	return nil, sightline.Errorf(sightline.ENOTFOUND, "Field %d does not exist.", id)
}

// Card returns the query of the saved question with the given ID.
func (m *StaticMetadata) Card(id int64) (*sightline.Query, error) {
	if q, ok := m.cards[id]; ok {
		return q, nil
	}
	return nil, sightline.Errorf(sightline.ENOTFOUND, "Saved question %d does not exist.", id)
}
