// Package sampledata generates the bundled Sample Database: eight tables of a
// made-up SaaS business (accounts, their invoices, feedback and web analytics)
// and a made-up shop (people, products, orders, reviews).
//
// The data is synthetic and deterministic: a fixed seed inside the package
// means the same Options always give the same rows, byte for byte, so a
// stored anchor date is all a caller needs to regenerate an identical copy.
// Generate streams rows to a callback; WriteSQLite builds the bundled SQLite
// file and Load copies the same rows into PostgreSQL or MySQL/MariaDB.
//
// Account 28 is a fixed point relied on by the embedding walkthrough: it is on
// the Basic plan and has exactly 22 monthly invoices of 295.00 at every scale.
package sampledata
