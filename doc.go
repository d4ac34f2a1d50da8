// Package sightline is the vocabulary of the Sightline analytics server: the
// domain types every other package speaks (users, groups, databases, tables,
// fields, settings, the query model) and the one error type that carries a
// machine-readable code and a message safe to show a person.
//
// It imports only the standard library. Storage, HTTP and drivers live under
// internal/ and depend on this package, never the other way round.
package sightline
