package datasource

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"sightline"
)

// Pool holds one Source per database id. A source is opened on first use,
// replaced when the database's engine or connection details change, and
// closed when the database is removed or the Pool is closed. It is safe for
// concurrent use.
type Pool struct {
	mu      sync.Mutex
	sources map[int64]*Source
	closed  bool
	// retiring counts replaced sources still finishing their queries.
	retiring sync.WaitGroup
	// protected are files no SQLite source may open.
	protected []string
}

// NewPool returns an empty Pool. No SQLite source of it may open one of
// the protected files, whatever path leads to it (a symbolic or hard link,
// another spelling): Sightline's own app database is one, since its tables
// hold the server's accounts, settings and secrets.
func NewPool(protected ...string) *Pool {
	return &Pool{sources: map[int64]*Source{}, protected: protected}
}

// Check refuses db when it is a SQLite database whose file is one of the
// pool's protected files, with an EINVALID error saying so; anything else
// passes. Callers check new connection details with it before saving them.
func (p *Pool) Check(db sightline.Database) error {
	if db.Engine != sightline.EngineSQLite || len(p.protected) == 0 {
		return nil
	}
	st, err := os.Stat(db.Details.Path)
	if err != nil {
		// Opening the file reports why it cannot be read.
		return nil
	}
	return p.checkFile(db.Details.Path, st)
}

// checkFile refuses the file st, found at path, when it is protected.
func (p *Pool) checkFile(path string, st os.FileInfo) error {
	for _, f := range p.protected {
		if pst, err := os.Stat(f); err == nil && os.SameFile(st, pst) {
			return sightline.Errorf(sightline.EINVALID, "%s is Sightline's own app database, which cannot be a data source: its tables hold this server's accounts and settings.", path)
		}
	}
	return nil
}

// Source returns the open source for db, opening it, or replacing it when
// db's engine, details or name differ from those it was opened with, or
// when its SQLite file was moved, deleted or replaced. A replaced source is
// closed once its running queries end. A database that cannot be opened is
// an EUNAVAILABLE error naming it.
func (p *Pool) Source(ctx context.Context, db sightline.Database) (*Source, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, sightline.Errorf(sightline.EUNAVAILABLE, "The server is shutting down.")
	}
	old := p.sources[db.ID]
	if old != nil && old.engine == db.Engine && old.details == db.Details && old.name == db.Name && !old.fileMoved() {
		return old, nil
	}
	s, err := Open(ctx, db)
	if err == nil && s.file != nil {
		// The file the source opened, not its path, since the path could
		// lead elsewhere by now.
		if err = p.checkFile(db.Details.Path, s.file); err != nil {
			_ = s.Close()
		}
	}
	if err != nil {
		if old != nil {
			delete(p.sources, db.ID)
			p.retire(old)
		}
		return nil, openError(db, err)
	}
	p.sources[db.ID] = s
	if old != nil {
		p.retire(old)
	}
	return s, nil
}

// openError says which database cannot be opened. Its details were good
// enough to save, so whatever fails now makes it unavailable rather than
// the request invalid.
func openError(db sightline.Database, err error) error {
	var e *sightline.Error
	if !errors.As(err, &e) || e.Code != sightline.EINVALID {
		return err
	}
	msg := e.Message
	if db.Engine == sightline.EngineSQLite && errors.Is(err, fs.ErrNotExist) {
		msg = fmt.Sprintf("its SQLite file %s is gone: it was moved or deleted. An administrator can restore the file, or give its new path in Admin > Databases.", db.Details.Path)
	}
	return &sightline.Error{Code: sightline.EUNAVAILABLE, Message: fmt.Sprintf("Cannot reach the database %q: %s", db.Name, msg), Err: err}
}

// Remove closes and forgets the source of database id, if any. Queries
// still running on it finish first, in the background.
func (p *Pool) Remove(id int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s := p.sources[id]; s != nil {
		delete(p.sources, id)
		p.retire(s)
	}
}

// retire closes s without blocking the caller: sql.DB.Close waits for
// running queries. Callers hold p.mu.
func (p *Pool) retire(s *Source) {
	p.retiring.Add(1)
	go func() {
		defer p.retiring.Done()
		_ = s.Close()
	}()
}

// Close closes every source and waits for all of them, including replaced
// ones, to finish. The Pool cannot be used afterwards.
func (p *Pool) Close() error {
	p.mu.Lock()
	p.closed = true
	var errs []error
	for id, s := range p.sources {
		errs = append(errs, s.Close())
		delete(p.sources, id)
	}
	p.mu.Unlock()
	p.retiring.Wait()
	return errors.Join(errs...)
}

// Len returns how many sources are open.
func (p *Pool) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.sources)
}
