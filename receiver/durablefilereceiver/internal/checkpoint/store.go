// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package checkpoint persists how far each file has been acknowledged by the pipeline.
//
// The state lives in one file with two slots, written in turn in place with one pwrite (the
// scheme of double-buffered headers in databases): a write that is torn by a crash can only
// spoil the slot being written, and the other slot still holds the previous state. Each slot
// starts with a header carrying a version, a generation, the body length and a CRC-32C; the
// valid slot with the highest generation wins. Slots grow by rewriting the file atomically
// (temp file, fsync, rename, directory fsync), which is also how the file is first created.
//
// A write reaches the page cache, which survives a crash or SIGKILL of the collector. With
// fsync on, every write is also on the device before it counts, which matters only when the
// node itself fails and the checkpoint directory outlives it. Either way a checkpoint never
// runs ahead of what was acknowledged: losing a write makes it older, so lines are sent again,
// never skipped. Writes are group commits made by the goroutine that waits for them: the
// first waiter writes every change made so far, the others wait for that write, so a busy
// receiver does not hand each acknowledgement to a writer goroutine and back.
//
// Versions. The header names the format the body was written in; the body is JSON, so a
// later format that only adds fields can still be read by this one, which ignores them:
// such a writer says so with "readable_by", the oldest version that reads it correctly.
// Format 2 (Flightlog before identity by inode and content) is read as it is and written
// back as 3; its entries have no identity, so they are matched as format 2 matched them,
// by their first bytes, until their file is resumed and they are written again with one.
// An older Flightlog, which reads only format 2, takes a format 3 file for corrupt: it
// moves it aside and reads every file again from its start (duplicates, no loss).
// Format 4 adds the flight recorder's window. It says it is readable by format 3 while no
// entry has one; with a window, format 3 would resume past the records held back and never
// ship them, so it takes the file for corrupt and reads every file again instead.
package checkpoint // import "github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/checkpoint"

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sync"
	"time"

	"go.uber.org/zap"
)

const (
	// version is the format written; versions from oldestRead on are read.
	version    = 4
	oldestRead = 2
	// readableWithoutWindows is the oldest format that reads a body with no window right.
	readableWithoutWindows = 3
	// header is fixed-width so that its length is known before the body is encoded; the
	// version takes one digit up to format 9.
	header     = "flightlog-checkpoint v%d gen=%020d len=%010d crc32c=%08x\n"
	headerLen  = len("flightlog-checkpoint v4 gen=") + 20 + len(" len=") + 10 + len(" crc32c=") + 8 + 1
	minSlot    = 4096
	slotsCount = 2
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt reports a checkpoint file that exists but cannot be trusted.
var ErrCorrupt = errors.New("checkpoint file is corrupt")

// ErrNotDurable reports a change that could not be written yet; the previous checkpoint
// stays in force.
var ErrNotDurable = errors.New("checkpoint not written")

// Entry is the acknowledged position in one incarnation of a file.
type Entry struct {
	// Path the file was last seen at; informational, files are matched by identity.
	Path string `json:"path"`
	// Offset is the first byte not yet acknowledged by the pipeline.
	Offset int64 `json:"offset"`
	// FingerprintLen bytes from the start of the file hash to Fingerprint.
	FingerprintLen int    `json:"fingerprint_len"`
	Fingerprint    string `json:"fingerprint"`
	// Updated is when the entry last changed, in Unix seconds; used to expire entries of
	// files that are gone.
	Updated int64 `json:"updated"`

	// Since format 3: the file's identity. Dev and Ino name it on its filesystem; the
	// TailLen bytes before Offset hash (xxhash64) to Tail, so a file found later is
	// resumed at Offset only if it still holds what was delivered before it. Size is the
	// file's size when the entry was recorded: [Offset, Size) was written and not yet
	// delivered, what a truncation while the collector is stopped destroys.
	Dev uint64 `json:"dev,omitempty"`
	Ino uint64 `json:"ino,omitempty"`
	// Born is the file's birth time (statx's btime) in Unix nanoseconds, 0 where the
	// filesystem keeps none: an inode given to a new file has another.
	Born    int64  `json:"born,omitempty"`
	TailLen int    `json:"tail_len,omitempty"`
	Tail    uint64 `json:"tail,omitempty"`
	Size    int64  `json:"size,omitempty"`
	// The AnchorLen bytes before AnchorAt hash to Anchor: where the file was last found
	// unchanged while it was read. Bytes read after a rewrite in place and before the
	// check that would have seen it are the new content's, and agree with the file; the
	// anchor, taken earlier, does not.
	AnchorAt  int64  `json:"anchor_at,omitempty"`
	AnchorLen int    `json:"anchor_len,omitempty"`
	Anchor    uint64 `json:"anchor,omitempty"`

	// Since format 4: the flight recorder's window. The WindowBytes before Offset hold
	// records held back that a trigger could still ship; every record ships up to the line
	// time ShipUntil (Unix nanoseconds) after the trigger that begins at TriggerAt.
	WindowBytes int64 `json:"window_bytes,omitempty"`
	ShipUntil   int64 `json:"ship_until,omitempty"`
	TriggerAt   int64 `json:"trigger_at,omitempty"`
}

// hasWindow tells whether the entry keeps a flight recorder's state.
func (e Entry) hasWindow() bool { return e.WindowBytes != 0 || e.ShipUntil != 0 }

// HasIdentity tells whether the entry names its file's inode and content: false for an
// entry from format 2, which only a file's first bytes identify.
func (e Entry) HasIdentity() bool { return e.Ino != 0 }

type state struct {
	Version int `json:"version"`
	// ReadableBy is the oldest format version that reads this body correctly; 0 means
	// Version.
	ReadableBy int              `json:"readable_by,omitempty"`
	Files      map[string]Entry `json:"files"`
}

// Hooks observe the store for internal telemetry.
type Hooks struct {
	Written func()
	Failed  func()
}

// Options tune how the store writes.
type Options struct {
	// Fsync syncs every write to the device before it counts as durable.
	Fsync bool
	// Interval is the shortest time between two writes; changes made meanwhile join the
	// next one. 0 writes as soon as someone waits.
	Interval time.Duration
	// Retry is the wait after a failed write.
	Retry time.Duration
}

// Store holds entries in memory and makes them durable when asked to.
type Store struct {
	path   string
	opts   Options
	logger *zap.Logger
	hooks  Hooks

	// writeMu is held by the one goroutine writing; it guards the fields below it.
	writeMu   sync.Mutex
	file      *os.File // nil until the file exists and after a failed write
	slot      int64    // slot size; the file is slotsCount*slot bytes
	gen       uint64   // generation of the newest slot on disk
	buf       []byte
	lastWrite time.Time

	mu       sync.Mutex
	entries  map[string]Entry
	dirty    uint64 // generation of the newest change
	durable  uint64 // generation known to be on disk
	written  chan struct{}
	closed   bool
	lastErr  error
	wake     chan struct{}
	stopped  chan struct{}
	stopOnce sync.Once
	stop     context.Context // done once Close is called
	cancel   context.CancelFunc
}

// Open loads the checkpoint file at path, creating its directory if needed. A corrupt file is moved
// aside (never deleted) and reported through the returned error wrapping ErrCorrupt,
// together with a usable empty store: the caller then reads files from a safe position.
// existed tells whether any checkpoint was found, corrupt or not.
func Open(path string, opts Options, logger *zap.Logger, hooks Hooks) (s *Store, existed bool, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, false, fmt.Errorf("create checkpoint directory: %w", err)
	}
	s = &Store{
		path:    path,
		opts:    opts,
		logger:  logger,
		hooks:   hooks,
		entries: map[string]Entry{},
		written: make(chan struct{}),
		wake:    make(chan struct{}, 1),
		stopped: make(chan struct{}),
	}
	s.stop, s.cancel = context.WithCancel(context.Background())
	// A temp file left by a write that was killed half-way is garbage by definition:
	// the rename that would have published it never happened. Creating it again tells,
	// before anything is read, that the directory takes writes: else every checkpoint
	// would fail and every restart send everything again.
	_ = os.Remove(s.path + ".tmp")
	probe, err := os.OpenFile(s.path+".tmp", os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o640)
	if err != nil {
		return nil, false, fmt.Errorf("the checkpoint directory %s takes no writes: %w", filepath.Dir(path), err)
	}
	_ = probe.Close()
	_ = os.Remove(s.path + ".tmp")

	data, err := os.ReadFile(s.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return s, false, nil
	case err != nil:
		return nil, true, fmt.Errorf("read checkpoint: %w", err)
	}
	entries, gen, decodeErr := decode(data)
	if decodeErr != nil {
		aside := fmt.Sprintf("%s.corrupt-%d", s.path, time.Now().UnixNano())
		if renameErr := os.Rename(s.path, aside); renameErr != nil {
			return nil, true, fmt.Errorf("move corrupt checkpoint aside: %w", renameErr)
		}
		return s, true, fmt.Errorf("%w (%v); kept as %s", ErrCorrupt, decodeErr, aside)
	}
	s.entries, s.gen, s.slot = entries, gen, int64(len(data)/slotsCount)
	return s, true, nil
}

// Read returns the entries of the checkpoint file at path without changing anything, for
// inspection while a collector may be writing it: a write in progress spoils at most the
// slot being written, and the other still decodes.
func Read(path string) (map[string]Entry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	entries, _, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return entries, nil
}

// decode returns the entries and generation of the newest valid slot.
func decode(data []byte) (map[string]Entry, uint64, error) {
	if len(data) < slotsCount*minSlot || len(data)%(slotsCount*minSlot) != 0 {
		return nil, 0, fmt.Errorf("file is %d bytes, not %d slots of a multiple of %d", len(data), slotsCount, minSlot)
	}
	size := len(data) / slotsCount
	var (
		best    map[string]Entry
		bestGen uint64
		errs    []error
	)
	for i := range slotsCount {
		entries, gen, err := decodeSlot(data[i*size : (i+1)*size])
		if err != nil {
			errs = append(errs, fmt.Errorf("slot %d: %w", i, err))
			continue
		}
		if best == nil || gen > bestGen {
			best, bestGen = entries, gen
		}
	}
	if best == nil {
		return nil, 0, errors.Join(errs...)
	}
	return best, bestGen, nil
}

func decodeSlot(data []byte) (map[string]Entry, uint64, error) {
	var v, n int
	var gen uint64
	var sum uint32
	if _, err := fmt.Sscanf(string(data[:headerLen]), header, &v, &gen, &n, &sum); err != nil {
		return nil, 0, fmt.Errorf("bad header: %w", err)
	}
	if v < oldestRead {
		return nil, 0, fmt.Errorf("unsupported version %d", v)
	}
	if n < 0 || n > len(data)-headerLen {
		return nil, 0, fmt.Errorf("body length %d does not fit the slot", n)
	}
	body := data[headerLen : headerLen+n]
	if got := crc32.Checksum(body, crcTable); got != sum {
		return nil, 0, fmt.Errorf("checksum %08x, header says %08x", got, sum)
	}
	var st state
	if err := json.Unmarshal(body, &st); err != nil {
		return nil, 0, fmt.Errorf("bad body: %w", err)
	}
	if v > version && (st.ReadableBy == 0 || st.ReadableBy > version) {
		return nil, 0, fmt.Errorf("version %d, written by a newer Flightlog, is not readable by version %d", v, version)
	}
	if st.Files == nil {
		st.Files = map[string]Entry{}
	}
	return st.Files, gen, nil
}

// encodeSlot appends a slot holding entries as generation gen to buf.
func encodeSlot(buf []byte, gen uint64, entries map[string]Entry) ([]byte, error) {
	buf = append(buf, make([]byte, headerLen)...)
	w := bytes.NewBuffer(buf)
	st := state{Version: version, ReadableBy: readableWithoutWindows, Files: entries}
	for _, e := range entries {
		if e.hasWindow() {
			st.ReadableBy = version
			break
		}
	}
	if err := json.NewEncoder(w).Encode(st); err != nil {
		return nil, err
	}
	buf = w.Bytes()
	body := buf[headerLen:]
	copy(buf, fmt.Appendf(nil, header, version, gen, len(body), crc32.Checksum(body, crcTable)))
	return buf, nil
}

// Entries returns a copy of all entries.
func (s *Store) Entries() map[string]Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]Entry, len(s.entries))
	for k, v := range s.entries {
		out[k] = v
	}
	return out
}

// Get returns the entry under key.
func (s *Store) Get(key string) (Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	return e, ok
}

// Put records e under key and returns the generation that WaitDurable waits for.
func (s *Store) Put(key string, e Entry) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries[key] = e
	s.dirty++
	return s.dirty
}

// Rewrite records e under key and has the background writer make it durable, as nobody
// waits for it (an entry of format 2 given its identity).
func (s *Store) Rewrite(key string, e Entry) {
	s.mu.Lock()
	s.entries[key] = e
	s.dirty++
	s.poke()
	s.mu.Unlock()
}

// Delete forgets key; the background writer makes it durable, as nobody waits for it.
func (s *Store) Delete(key string) {
	s.mu.Lock()
	if _, ok := s.entries[key]; ok {
		delete(s.entries, key)
		s.dirty++
		s.poke()
	}
	s.mu.Unlock()
}

// WaitDurable blocks until generation gen is on disk, ctx ends, or the store is closed. The
// first waiter writes, for itself and for everyone waiting with it. A write that fails is
// not waited out: WaitDurable returns an error wrapping ErrNotDurable, and the store keeps
// retrying in the background (Run) until a write succeeds, so that a full or read-only
// checkpoint volume does not stop delivery.
func (s *Store) WaitDurable(ctx context.Context, gen uint64) error {
	for {
		s.mu.Lock()
		if s.durable >= gen {
			s.mu.Unlock()
			return nil
		}
		if s.closed {
			s.mu.Unlock()
			return errors.New("checkpoint store closed")
		}
		ch, failing := s.written, s.lastErr
		s.mu.Unlock()
		if s.writeMu.TryLock() {
			err := s.writeOnce(ctx)
			s.unlockWriter()
			if err != nil {
				s.poke() // Run retries until a write succeeds
				return notDurable(err)
			}
			continue
		}
		if failing != nil {
			return notDurable(failing) // Run is retrying a failed write: do not wait for the disk
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func notDurable(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrNotDurable, err)
}

// writeOnce writes what changed, after waiting out Interval since the last write. writeMu
// is held.
func (s *Store) writeOnce(ctx context.Context) error {
	if wait := s.opts.Interval - time.Since(s.lastWrite); wait > 0 {
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return s.flush()
}

// writeLocked is writeOnce, retried every Retry until it succeeds or ctx ends. writeMu is
// held.
func (s *Store) writeLocked(ctx context.Context) error {
	for {
		err := s.writeOnce(ctx)
		if err == nil || ctx.Err() != nil {
			return err
		}
		select {
		case <-time.After(s.opts.Retry):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// unlockWriter lets go of the file, then wakes the waiters: each finds its generation
// durable, or the file free to write it. Woken before the writer let go, a waiter that came
// during the write, after it took what to write, found the file taken and waited for a write
// that nobody made: the last batch a quiet file sent was never released (the model test
// stalled so, once in some 60 runs of `make test`).
func (s *Store) unlockWriter() {
	s.writeMu.Unlock()
	s.mu.Lock()
	s.wakeWaiters()
	s.mu.Unlock()
}

// wakeWaiters wakes everyone in WaitDurable. s.mu is held.
func (s *Store) wakeWaiters() {
	close(s.written)
	s.written = make(chan struct{})
}

// Run writes changes nobody waits for (deletions) until Close is called, and what is
// pending then.
func (s *Store) Run() {
	defer close(s.stopped)
	for {
		select {
		case <-s.wake:
		case <-s.stop.Done():
			s.writeMu.Lock()
			_ = s.flush()
			s.unlockWriter()
			return
		}
		s.writeMu.Lock()
		_ = s.writeLocked(s.stop)
		s.unlockWriter()
	}
}

func (s *Store) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// flush writes the current state if it changed since the last durable write. writeMu is held.
func (s *Store) flush() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return errors.New("checkpoint store closed")
	}
	gen := s.dirty
	if gen == s.durable {
		s.mu.Unlock()
		return nil
	}
	var err error
	s.buf, err = encodeSlot(s.buf[:0], s.gen+1, s.entries)
	s.mu.Unlock()
	if err == nil {
		err = s.write(s.buf)
	}
	if err != nil {
		if s.hooks.Failed != nil {
			s.hooks.Failed()
		}
		s.mu.Lock()
		repeated := s.lastErr != nil && s.lastErr.Error() == err.Error()
		s.lastErr = err
		s.wakeWaiters() // they return: Run may hold the file for as long as writes fail
		s.mu.Unlock()
		if !repeated {
			s.logger.Warn("Checkpoint write failed; delivery goes on and the write is retried every "+s.opts.Retry.String()+
				"; until one succeeds the previous checkpoint stays in force, so a restart would send again what was delivered since",
				zap.String("path", s.path), zap.Error(err))
		}
		return err
	}
	s.lastWrite = time.Now()
	if s.hooks.Written != nil {
		s.hooks.Written()
	}
	s.mu.Lock()
	if s.lastErr != nil {
		s.logger.Info("Checkpoint writes succeed again", zap.String("path", s.path))
	}
	s.durable = gen
	s.lastErr = nil
	s.mu.Unlock()
	return nil // the writer wakes the waiters when it lets go of the file: unlockWriter
}

// write stores slot as generation s.gen+1: in place into the older slot when the file
// exists and the slot fits, else by rewriting the file with slots large enough.
func (s *Store) write(slot []byte) error {
	gen := s.gen + 1
	at := int64(gen%slotsCount) * s.slot
	if s.file == nil || int64(len(slot)) > s.slot {
		return s.rewrite(slot, gen)
	}
	if _, err := s.file.WriteAt(slot, at); err != nil {
		s.closeFile()
		return err
	}
	if s.opts.Fsync {
		if err := s.file.Sync(); err != nil {
			s.closeFile()
			return err
		}
	}
	s.gen = gen
	return nil
}

// rewrite replaces the file by one whose slots fit slot with room to grow, and opens it for
// writes in place. It also reopens the file after a failed write, whatever became of it.
func (s *Store) rewrite(slot []byte, gen uint64) error {
	s.closeFile()
	size := max(s.slot, minSlot)
	for size < int64(len(slot))*2 {
		size *= 2
	}
	data := make([]byte, slotsCount*size)
	copy(data[int64(gen%slotsCount)*size:], slot)
	if err := writeAtomic(s.path, data); err != nil {
		return err
	}
	f, err := os.OpenFile(s.path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	s.file, s.slot, s.gen = f, size, gen
	return nil
}

func (s *Store) closeFile() {
	if s.file != nil {
		_ = s.file.Close()
		s.file = nil
	}
}

// Close writes what is pending and stops the writer. Waiters are released.
func (s *Store) Close() {
	s.stopOnce.Do(func() {
		s.cancel()
		<-s.stopped
		s.writeMu.Lock()
		s.closeFile()
		s.writeMu.Unlock()
		s.mu.Lock()
		s.closed = true
		close(s.written)
		s.written = make(chan struct{})
		s.mu.Unlock()
	})
}

// writeAtomic replaces path with data so that a crash at any point leaves either the old
// or the new content, never a mix.
func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err = f.Write(data); err == nil {
		err = f.Sync()
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	err = dir.Sync()
	if closeErr := dir.Close(); err == nil {
		err = closeErr
	}
	return err
}
