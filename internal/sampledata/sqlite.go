package sampledata

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // driver "sqlite" for the bundled file

	"sightline"
)

// WriteSQLite writes the Sample Database for opts to a new SQLite file at
// path, replacing any file there only once the new one is complete: the data
// goes to a temporary file in the same directory that is renamed into place.
//
// Declared types follow Column.Type: money is DECIMAL(10,2) (SQLite stores
// whole amounts as integers), booleans are 0/1, dates are 'YYYY-MM-DD' and
// timestamps 'YYYY-MM-DD HH:MM:SS' text.
func WriteSQLite(ctx context.Context, path string, opts Options) (err error) {
	if _, err := newGenerator(opts); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return sightline.Errorf(sightline.EINVALID, "Cannot create the sample database next to %s: %v", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp, err)
	}
	if err := fillSQLite(ctx, tmp, opts); err != nil {
		return err
	}
	// The build ran without a journal or syncs; make the file durable before
	// it takes the final name.
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename sample database into place: %w", err)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return f.Close()
}

// fillSQLite creates the tables in the empty database file at path and
// inserts every row in one transaction.
func fillSQLite(ctx context.Context, path string, opts Options) (err error) {
	// A small page cache: the rows are appended table by table, so a bigger
	// cache would not make the build faster (measured), and SQLite's
	// allocator keeps the memory a cache once held for the life of the
	// process, which for the server means from its first start on.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=cache_size(-256)")
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close %s: %w", path, cerr)
		}
	}()
	db.SetMaxOpenConns(1)

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()

	tables := Tables()
	stmts := make(map[string]*sql.Stmt, len(tables))
	kinds := make(map[string][]Kind, len(tables))
	for _, t := range tables {
		for _, s := range createStatements(sightline.EngineSQLite, t) {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("create %s: %w", t.Name, err)
			}
		}
		stmt, err := tx.PrepareContext(ctx, insertStatement(sightline.EngineSQLite, t, 1))
		if err != nil {
			return fmt.Errorf("prepare insert into %s: %w", t.Name, err)
		}
		defer stmt.Close()
		stmts[t.Name] = stmt
		for _, c := range t.Columns {
			kinds[t.Name] = append(kinds[t.Name], c.Kind)
		}
	}

	var args []any
	n := 0
	err = Generate(opts, func(table string, row []any) error {
		if n++; n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		args = args[:0]
		for i, v := range row {
			args = append(args, value(sightline.EngineSQLite, kinds[table][i], v))
		}
		if _, err := stmts[table].ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
