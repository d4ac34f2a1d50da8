package cachebus

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Timing of the subscription's health check: Listen pings the subscribed
// connection when it has heard nothing for pingEvery, and takes it for
// lost when it has heard nothing, not even the answer to a ping, for
// quietLimit. quietLimit stays well under the few seconds instances trust
// their caches without a bus, so that a lost connection is never noticed
// later than a change would have shown without one.
const (
	pingEvery  = 500 * time.Millisecond
	quietLimit = 2 * time.Second
	retryEvery = 250 * time.Millisecond
	// opTimeout bounds each command, so that a Redis that stopped
	// answering costs a request little.
	opTimeout = 500 * time.Millisecond
)

// Redis is a bus and a shared result store on one Redis server. Every key
// and the channel start with a prefix, so that several Sightline
// installations (or tests) can share a server.
type Redis struct {
	client  *redis.Client
	prefix  string
	channel string
	// origin names this instance in the messages it publishes, so that
	// it ignores its own.
	origin string
	log    *slog.Logger
	// unheard is set when a Publish failed: the others missed a change.
	unheard atomic.Bool
	// seq numbers the failures this instance records.
	seq atomic.Uint64
}

// Open returns a Redis for a URL such as redis://127.0.0.1:6379/0 (see
// redis.ParseURL), with keys under prefix. It does not connect: commands
// connect when they run, and fail while the server is away.
func Open(url, prefix string, log *slog.Logger) (*Redis, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("cache URL: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opt.DialTimeout = opTimeout
	opt.ReadTimeout = opTimeout
	opt.WriteTimeout = opTimeout
	opt.PoolTimeout = opTimeout
	opt.MaxRetries = 0
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	return &Redis{client: redis.NewClient(opt), prefix: prefix, channel: prefix + "events",
		origin: hex.EncodeToString(b), log: log}, nil
}

// Close closes the connections.
func (r *Redis) Close() error { return r.client.Close() }

// Ping checks that the server answers.
func (r *Redis) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	return r.client.Ping(ctx).Err()
}

// message is what travels on the channel.
type message struct {
	Origin string `json:"o"`
	Event
}

// Publish implements Bus.
func (r *Redis) Publish(ctx context.Context, e Event) {
	if err := r.publish(ctx, e); err != nil {
		if !r.unheard.Swap(true) {
			r.log.Warn("cache bus: a change could not be told to the other instances; they will drop every cache once it can", "kind", e.Kind, "err", err)
		}
	}
}

func (r *Redis) publish(ctx context.Context, e Event) error {
	b, err := json.Marshal(message{Origin: r.origin, Event: e})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opTimeout)
	defer cancel()
	return r.client.Publish(ctx, r.channel, b).Err()
}

// Listen implements Bus. It subscribes to the channel and reads it; it
// reports live once the subscription is confirmed and not live as soon as
// reading fails or the connection stays quiet for quietLimit, then
// subscribes again.
func (r *Redis) Listen(ctx context.Context, on func(Event), live func(bool)) {
	isLive := false
	setLive := func(v bool) {
		if v != isLive {
			isLive = v
			live(v)
		}
	}
	defer setLive(false)
	for ctx.Err() == nil {
		r.listen(ctx, on, setLive)
		setLive(false)
		select {
		case <-ctx.Done():
		case <-time.After(retryEvery):
		}
	}
}

// listen reads one subscription until it fails.
func (r *Redis) listen(ctx context.Context, on func(Event), setLive func(bool)) {
	ps := r.client.Subscribe(ctx, r.channel)
	defer ps.Close()
	heard := time.Now()
	for {
		msg, err := ps.ReceiveTimeout(ctx, pingEvery)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			if !isTimeout(err) || time.Since(heard) > quietLimit {
				r.log.Debug("cache bus: subscription lost", "err", err)
				return
			}
			if err := ps.Ping(ctx); err != nil {
				return
			}
			r.retell(ctx)
			continue
		}
		heard = time.Now()
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind == "subscribe" {
				setLive(true)
				r.retell(ctx)
			}
		case *redis.Message:
			var ev message
			if err := json.Unmarshal([]byte(m.Payload), &ev); err != nil {
				r.log.Warn("cache bus: unreadable message", "err", err)
				on(Event{Kind: Everything})
				continue
			}
			if ev.Origin != r.origin {
				on(ev.Event)
			}
		}
	}
}

// retell tells the other instances to drop every cache when a change
// this one made could not be told.
func (r *Redis) retell(ctx context.Context) {
	if r.unheard.Load() && r.publish(ctx, Event{Kind: Everything}) == nil {
		r.unheard.Store(false)
		r.log.Info("cache bus: the other instances were told to drop every cache")
	}
}

// isTimeout reports whether err is a read that timed out, which on a
// quiet channel is no failure.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// getResult reads a database's generation and, under it, a result.
var getResult = redis.NewScript(`
local gen = redis.call('GET', KEYS[1]) or '0'
return {gen, redis.call('GET', ARGV[1] .. gen .. ':' .. ARGV[2])}
`)

func (r *Redis) genKey(db int64) string { return r.prefix + "gen:" + strconv.FormatInt(db, 10) }

// Get returns the result stored for digest on database db, or nil when
// there is none, and the key under which a result for it is to be
// stored. The key holds the database's generation, which Drop bumps: a
// result stored under an older generation is never read again.
func (r *Redis) Get(ctx context.Context, db int64, digest string) (val []byte, slot string, err error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	base := r.prefix + "r:" + strconv.FormatInt(db, 10) + ":"
	res, err := getResult.Run(ctx, r.client, []string{r.genKey(db)}, base, digest).Slice()
	if err != nil {
		return nil, "", err
	}
	if len(res) < 1 {
		return nil, "", errors.New("cache bus: short reply")
	}
	gen, _ := res[0].(string)
	slot = base + gen + ":" + digest
	if len(res) > 1 {
		if s, ok := res[1].(string); ok {
			val = []byte(s)
		}
	}
	return val, slot, nil
}

// Set stores a result under a key Get returned, for ttl.
func (r *Redis) Set(ctx context.Context, slot string, val []byte, ttl time.Duration) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opTimeout)
	defer cancel()
	return r.client.Set(ctx, slot, val, ttl).Err()
}

// Drop forgets every result of database db, on every instance, by
// bumping its generation; the old entries expire on their own.
func (r *Redis) Drop(ctx context.Context, db int64) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opTimeout)
	defer cancel()
	return r.client.Incr(ctx, r.genKey(db)).Err()
}

// failures keeps one key's failure times as a sorted set scored in
// milliseconds: it forgets those at or before the window's start, adds one
// when asked (keeping the newest limit), and answers the count and the
// oldest score. The key lives no longer than the window.
var failures = redis.NewScript(`
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if ARGV[4] == '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(limit + 1))
  redis.call('PEXPIRE', KEYS[1], window)
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {redis.call('ZCARD', KEYS[1]), first[2] or '0'}
`)

// failureKey names key's failure set. The key (an email and a client
// address) is hashed, so that neither is written to Redis in the clear.
func (r *Redis) failureKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return r.prefix + "fail:" + hex.EncodeToString(sum[:])
}

// Failures implements auth.FailureStore: the sign-in throttle's counts,
// shared by every instance on this Redis.
func (r *Redis) Failures(ctx context.Context, key string, now time.Time, window time.Duration, limit int, record bool) (int, time.Time, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opTimeout)
	defer cancel()
	rec := "0"
	if record {
		rec = "1"
	}
	ms := now.UnixMilli()
	member := strconv.FormatInt(now.UnixNano(), 10) + ":" + r.origin + ":" + strconv.FormatUint(r.seq.Add(1), 10)
	res, err := failures.Run(ctx, r.client, []string{r.failureKey(key)},
		ms, window.Milliseconds(), max(limit, 1), rec, member).Slice()
	if err != nil {
		return 0, time.Time{}, err
	}
	if len(res) != 2 {
		return 0, time.Time{}, errors.New("cache bus: short reply")
	}
	n, _ := res[0].(int64)
	s, _ := res[1].(string)
	oldest, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("cache bus: failure time %q: %w", s, err)
	}
	return int(n), time.UnixMilli(int64(oldest)), nil
}

// ForgetFailures implements auth.FailureStore.
func (r *Redis) ForgetFailures(ctx context.Context, key string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opTimeout)
	defer cancel()
	return r.client.Del(ctx, r.failureKey(key)).Err()
}
