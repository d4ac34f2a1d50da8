package xray

import (
	"encoding/json"
	"fmt"
	"testing"

	"sightline"
)

// TestLayout checks every Sample Database X-ray: a valid dashboard, cards
// inside the 24-column grid without overlaps, full-width headings, valid
// questions on the X-rayed table, at most DefaultMaxCards of them, and
// filters wired only to columns of that table.
func TestLayout(t *testing.T) {
	s := sqliteSample(t)
	for _, name := range sampleTables() {
		t.Run(name, func(t *testing.T) {
			tbl := s.table(t, name)
			d, err := Generate(tbl, s.md, Options{})
			if err != nil {
				t.Fatalf("Generate(%s) = %v", name, err)
			}
			checkDashboard(t, d, tbl, s.md)
		})
	}
}

// checkDashboard checks the layout and wiring of an X-ray of tbl.
func checkDashboard(t *testing.T, d *sightline.Dashboard, tbl *sightline.Table, md Metadata) {
	t.Helper()
	if err := d.Validate(); err != nil {
		t.Errorf("Validate() = %v", err)
	}
	taken := map[[2]int]int{}
	questions := 0
	params := map[string]bool{}
	for _, p := range d.Parameters {
		params[p.ID] = true
	}
	for i, dc := range d.Cards {
		if dc.Col < 0 || dc.Row < 0 || dc.SizeX < 1 || dc.SizeY < 1 || dc.Col+dc.SizeX > sightline.GridColumns {
			t.Errorf("card %d at row %d col %d size %dx%d is outside the grid", i, dc.Row, dc.Col, dc.SizeX, dc.SizeY)
		}
		for y := dc.Row; y < dc.Row+dc.SizeY; y++ {
			for x := dc.Col; x < dc.Col+dc.SizeX; x++ {
				if j, ok := taken[[2]int{y, x}]; ok {
					t.Errorf("cards %d and %d overlap at row %d col %d", j, i, y, x)
				}
				taken[[2]int{y, x}] = i
			}
		}
		if dc.CardID != 0 {
			t.Errorf("card %d has CardID %d, want 0 (a new question)", i, dc.CardID)
		}
		if dc.Card == nil {
			var viz struct {
				Virtual struct{ Display string } `json:"virtual_card"`
				Text    string
			}
			if err := json.Unmarshal(dc.VizSettings, &viz); err != nil || viz.Virtual.Display != "heading" || viz.Text == "" {
				t.Errorf("card %d: settings %s, want a heading with text (err %v)", i, dc.VizSettings, err)
			}
			if dc.SizeX != sightline.GridColumns {
				t.Errorf("heading %q is %d columns wide, want %d", viz.Text, dc.SizeX, sightline.GridColumns)
			}
			if len(dc.Mappings) != 0 {
				t.Errorf("heading %q has filter mappings %v", viz.Text, dc.Mappings)
			}
			continue
		}
		questions++
		c := *dc.Card
		if err := c.Validate(); err != nil {
			t.Errorf("card %q: Validate() = %v", c.Name, err)
		}
		sq := c.Query.Structured
		if c.TableID != tbl.ID || c.DatabaseID != tbl.DatabaseID || c.Query.Database != tbl.DatabaseID || sq == nil || sq.SourceTable != tbl.ID {
			t.Errorf("card %q is not a question on table %d of database %d", c.Name, tbl.ID, tbl.DatabaseID)
			continue
		}
		if len(dc.Mappings) != len(d.Parameters) {
			t.Errorf("card %q has %d filter mappings, want one per filter (%d)", c.Name, len(dc.Mappings), len(d.Parameters))
		}
		for _, m := range dc.Mappings {
			if !params[m.ParameterID] {
				t.Errorf("card %q is wired to unknown filter %q", c.Name, m.ParameterID)
			}
			var id int64
			if _, err := fmt.Sscanf(string(m.Target), `["dimension",["field",%d,null]]`, &id); err != nil {
				t.Errorf("card %q: mapping target %s is not a field dimension: %v", c.Name, m.Target, err)
				continue
			}
			f, err := md.Field(id)
			if err != nil || f.TableID != sq.SourceTable {
				t.Errorf("card %q: filter %q targets field %d, not a column of table %d (err %v)", c.Name, m.ParameterID, id, sq.SourceTable, err)
			}
		}
	}
	if questions == 0 || questions > DefaultMaxCards {
		t.Errorf("the X-ray has %d questions, want 1 to %d", questions, DefaultMaxCards)
	}
}
