// Package testdb gives tests their own throw-away databases on the PostgreSQL
// and MariaDB servers of the machine. Each call creates a database with a
// random name and drops it when the test ends, so parallel runs never collide.
//
// When a server cannot be reached the test is skipped, except under CI=true,
// where it fails: CI must prove the code against every real engine.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // MariaDB driver for the admin connection
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver for the admin connection
	"github.com/redis/go-redis/v9"
)

// Server addresses; the environment may override them.
func pgAdminURL() string {
	if v := os.Getenv("SIGHTLINE_TEST_PG_URL"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

func mysqlHost() string {
	if v := os.Getenv("SIGHTLINE_TEST_MYSQL_ADDR"); v != "" {
		return v
	}
	return "127.0.0.1:3306"
}

func redisURL() string {
	if v := os.Getenv("SIGHTLINE_TEST_REDIS_URL"); v != "" {
		return v
	}
	return "redis://127.0.0.1:6379/0"
}

// unavailable skips the test, or fails it under CI.
func unavailable(t testing.TB, what string, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required in CI but unavailable: %v", what, err)
	}
	t.Skipf("%s unavailable: %v", what, err)
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return prefix + hex.EncodeToString(b)
}

// PostgresDB is a database created for one test.
type PostgresDB struct {
	Name string
	URL  string // the admin URL with the database NAME, e.g. postgres://postgres@127.0.0.1:5432/NAME?sslmode=disable
}

// Postgres creates an empty PostgreSQL database and returns its URL.
func Postgres(t testing.TB) PostgresDB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", pgAdminURL())
	if err != nil {
		unavailable(t, "PostgreSQL", err)
	}
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		unavailable(t, "PostgreSQL", err)
	}
	name := randomName("sl_test_")
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	u, err := url.Parse(pgAdminURL())
	if err != nil {
		t.Fatalf("SIGHTLINE_TEST_PG_URL: %v", err)
	}
	u.Path = "/" + name
	return PostgresDB{Name: name, URL: u.String()}
}

// MySQLDB is a MariaDB database created for one test.
type MySQLDB struct {
	Name string
	Host string
	Port int
	User string
	// DSN is a go-sql-driver/mysql DSN with parseTime=true.
	DSN string
	// URL is the same database as mysql://root@host:port/name.
	URL string
}

// MySQL creates an empty MariaDB database and returns how to reach it.
func MySQL(t testing.TB) MySQLDB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	addr := mysqlHost()
	admin, err := sql.Open("mysql", "root@tcp("+addr+")/?parseTime=true")
	if err != nil {
		unavailable(t, "MariaDB", err)
	}
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		unavailable(t, "MariaDB", err)
	}
	name := randomName("sl_test_")
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		admin.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("SIGHTLINE_TEST_MYSQL_ADDR %q: %v", addr, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		t.Fatalf("SIGHTLINE_TEST_MYSQL_ADDR %q: the port is not a number", addr)
	}
	return MySQLDB{
		Name: name, Host: host, Port: port, User: "root",
		DSN: fmt.Sprintf("root@tcp(%s)/%s?parseTime=true&multiStatements=false", addr, name),
		URL: fmt.Sprintf("mysql://root@%s/%s", addr, name),
	}
}

// RequireChromium returns the path of Debian's Chromium, skipping the test
// when it is missing (failing under CI).
func RequireChromium(t testing.TB) string {
	t.Helper()
	for _, p := range []string{os.Getenv("SIGHTLINE_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	unavailable(t, "Chromium", fmt.Errorf("no chromium binary (apt-get install -y chromium)"))
	return ""
}

// RedisServer is the Redis a test shares with others, and a key prefix
// that only this test uses.
type RedisServer struct {
	URL    string
	Prefix string
}

// Redis returns the machine's Redis with a fresh key prefix; the keys
// under it are deleted when the test ends.
func Redis(t testing.TB) RedisServer {
	t.Helper()
	opt, err := redis.ParseURL(redisURL())
	if err != nil {
		t.Fatalf("SIGHTLINE_TEST_REDIS_URL: %v", err)
	}
	c := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		unavailable(t, "Redis", err)
	}
	prefix := randomName("sl_test_") + ":"
	t.Cleanup(func() {
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		iter := c.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Logf("clean up Redis keys %s*: %v", prefix, err)
		}
	})
	return RedisServer{URL: redisURL(), Prefix: prefix}
}
