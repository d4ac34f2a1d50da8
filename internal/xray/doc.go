// Package xray generates X-rays: automatic dashboards built from a table's
// metadata alone. Generate looks at the table's fields (their base and
// semantic types, distinct counts, foreign keys and visibility) and returns
// a dashboard specification titled "A look at your <Table> table" whose
// cards are real questions on that table, grouped under headings:
//
//   - a summary: the row count, distinct counts of each foreign key, and the
//     rows added in the last 30 days when the table has a main date;
//   - how the rows spread over time: counts, sums and averages per month on
//     the main date, and breakdowns by day of the week and month of the year;
//   - where they are: region maps of the counts by country (world map) and
//     by state (US map), row charts of the top ten countries and states
//     when there are more, and a pin map of latitude and longitude, from
//     the table itself or from a table a foreign key points at;
//   - how they are distributed: row charts of small categories, top-10
//     tables of larger ones and histograms of numeric columns.
//
// The dashboard has filters for the main date and the main categories, wired
// to every card. Nothing is saved or run here: the package is pure, and the
// app layer saves the dashboard and runs its cards through the data door.
// The same metadata always gives the same dashboard.
package xray
