package resultcache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Remote is a store of encoded results that several processes share
// (see cachebus.Redis).
type Remote interface {
	// Get returns the value stored for digest on database db, nil when
	// there is none, and the slot a value for it is to be stored in.
	Get(ctx context.Context, db int64, digest string) (val []byte, slot string, err error)
	// Set stores a value in a slot from Get for ttl.
	Set(ctx context.Context, slot string, val []byte, ttl time.Duration) error
	// Drop forgets every value of database db in every process.
	Drop(ctx context.Context, db int64) error
}

// Codec turns values into bytes for a Remote and back.
type Codec[V any] struct {
	Encode func(V) ([]byte, error)
	Decode func([]byte) (V, error)
}

// Digest names a key compactly: a hash of everything Key holds, so that
// two keys share a digest only when they name the same result.
func (k Key) Digest() string {
	ek := k.entryKey()
	h := sha256.Sum256([]byte(ek.text))
	return hex.EncodeToString(h[:])
}

// Shared is a result cache kept in a Remote, so that every process using
// that Remote serves what any of them loaded. Concurrent loads of one key
// in this process still run once. When the Remote fails, calls load for
// themselves and store nothing, and the outage is logged once, when it
// begins; a drop that could not reach the Remote is retried before the
// Remote is read again.
type Shared[V any] struct {
	remote   Remote
	codec    Codec[V]
	maxEntry int64
	log      *slog.Logger

	mu    sync.Mutex
	calls map[string]*call[V]
	// pending holds the databases whose drop did not reach the Remote.
	pending map[int64]bool
	stats   Stats
	down    atomic.Bool
}

// NewShared returns a cache in remote that never stores an encoded value
// over maxEntry bytes.
func NewShared[V any](remote Remote, codec Codec[V], maxEntry int64, log *slog.Logger) *Shared[V] {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Shared[V]{remote: remote, codec: codec, maxEntry: maxEntry, log: log,
		calls: map[string]*call[V]{}, pending: map[int64]bool{}}
}

// GetPolicy is Cache.GetPolicy over the Remote.
func (s *Shared[V]) GetPolicy(ctx context.Context, k Key, p Policy[V], load func() (V, int64, error)) (v V, hit bool, err error) {
	digest := k.Digest()
	s.mu.Lock()
	if cl, ok := s.calls[digest]; ok && !p.Refresh {
		s.stats.Shared++
		s.mu.Unlock()
		return join(ctx, cl, load)
	}
	cl := &call[V]{done: make(chan struct{})}
	own := s.calls[digest] == nil
	if own {
		s.calls[digest] = cl
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if own {
			delete(s.calls, digest)
		}
		s.mu.Unlock()
		cl.val, cl.err = v, err
		close(cl.done)
	}()

	val, slot, rerr := s.fetch(ctx, k.Database, digest)
	if rerr == nil && val != nil && !p.Refresh {
		if v, err := s.codec.Decode(val); err == nil {
			s.count(func(st *Stats) { st.Hits++ })
			return v, true, nil
		}
	}
	s.count(func(st *Stats) { st.Misses++; st.Loads++ })
	var size int64
	v, size, err = load()
	if err != nil || slot == "" || p.TTL == nil {
		return v, false, err
	}
	ttl := p.TTL(v, size)
	if ttl <= 0 || size > s.maxEntry {
		return v, false, nil
	}
	b, eerr := s.codec.Encode(v)
	if eerr != nil || int64(len(b)) > s.maxEntry {
		return v, false, nil
	}
	if serr := s.remote.Set(ctx, slot, b, ttl); serr != nil {
		s.failed(serr)
	}
	return v, false, nil
}

// fetch reads a value from the Remote after retrying any pending drops;
// an empty slot means the Remote cannot be used now.
func (s *Shared[V]) fetch(ctx context.Context, db int64, digest string) ([]byte, string, error) {
	if err := s.flushDrops(ctx); err != nil {
		s.failed(err)
		return nil, "", err
	}
	val, slot, err := s.remote.Get(ctx, db, digest)
	if err != nil {
		s.failed(err)
		return nil, "", err
	}
	if s.down.CompareAndSwap(true, false) {
		s.log.Info("shared result cache answers again")
	}
	return val, slot, nil
}

// failed notes a Remote error, logging the first of an outage.
func (s *Shared[V]) failed(err error) {
	if s.down.CompareAndSwap(false, true) {
		s.log.Warn("shared result cache unreachable: queries run uncached until it answers", "err", err)
	}
}

func (s *Shared[V]) count(f func(*Stats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}

// DropDatabase forgets every result of database db in every process. When
// the Remote cannot be told now, nothing is read from it until it can.
func (s *Shared[V]) DropDatabase(db int64) {
	if err := s.remote.Drop(context.Background(), db); err != nil {
		s.failed(err)
		s.mu.Lock()
		s.pending[db] = true
		s.mu.Unlock()
	}
}

// flushDrops tells the Remote the drops it has not heard yet.
func (s *Shared[V]) flushDrops(ctx context.Context) error {
	s.mu.Lock()
	if len(s.pending) == 0 {
		s.mu.Unlock()
		return nil
	}
	dbs := make([]int64, 0, len(s.pending))
	for db := range s.pending {
		dbs = append(dbs, db)
	}
	s.mu.Unlock()
	for _, db := range dbs {
		if err := s.remote.Drop(ctx, db); err != nil {
			return err
		}
		s.mu.Lock()
		delete(s.pending, db)
		s.mu.Unlock()
	}
	return nil
}

// Stats returns the cache's counters; entries and bytes live in the
// Remote and are not counted here.
func (s *Shared[V]) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}
