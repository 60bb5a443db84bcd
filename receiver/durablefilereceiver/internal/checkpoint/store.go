// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package checkpoint persists how far each file has been acknowledged by the pipeline.
//
// The whole state lives in one small file that is replaced atomically (write a temp file,
// fsync it, rename it over the old one, fsync the directory), the way etcd and Prometheus
// write durable state. A header carries a version, the body length and a CRC-32C, so a
// torn or edited file is told apart from a good one. Writes are group commits: every
// update that arrives while a write is under way is covered by the next one, so a busy
// receiver does one fsync per round trip, not one per batch.
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
	version = 1
	header  = "flightlog-checkpoint v%d len=%d crc32c=%08x\n"
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt reports a checkpoint file that exists but cannot be trusted.
var ErrCorrupt = errors.New("checkpoint file is corrupt")

// Entry is the acknowledged position in one incarnation of a file.
type Entry struct {
	// Path the file was last seen at; informational, files are matched by fingerprint.
	Path string `json:"path"`
	// Offset is the first byte not yet acknowledged by the pipeline.
	Offset int64 `json:"offset"`
	// FingerprintLen bytes from the start of the file hash to Fingerprint.
	FingerprintLen int    `json:"fingerprint_len"`
	Fingerprint    string `json:"fingerprint"`
	// Updated is when the entry last changed, in Unix seconds; used to expire entries of
	// files that are gone.
	Updated int64 `json:"updated"`
}

type state struct {
	Version int              `json:"version"`
	Files   map[string]Entry `json:"files"`
}

// Hooks observe the store for internal telemetry.
type Hooks struct {
	Written func()
	Failed  func()
}

// Store holds entries in memory and makes them durable in the background.
type Store struct {
	path   string
	logger *zap.Logger
	hooks  Hooks

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
	stop     chan struct{}
}

// Open loads the checkpoint file at path, creating its directory if needed. A corrupt file is moved
// aside (never deleted) and reported through the returned error wrapping ErrCorrupt,
// together with a usable empty store: the caller then reads files from a safe position.
// existed tells whether any checkpoint was found, corrupt or not.
func Open(path string, logger *zap.Logger, hooks Hooks) (s *Store, existed bool, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, false, fmt.Errorf("create checkpoint directory: %w", err)
	}
	s = &Store{
		path:    path,
		logger:  logger,
		hooks:   hooks,
		entries: map[string]Entry{},
		written: make(chan struct{}),
		wake:    make(chan struct{}, 1),
		stopped: make(chan struct{}),
		stop:    make(chan struct{}),
	}
	// A temp file left by a write that was killed half-way is garbage by definition:
	// the rename that would have published it never happened.
	_ = os.Remove(s.path + ".tmp")

	data, err := os.ReadFile(s.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return s, false, nil
	case err != nil:
		return nil, true, fmt.Errorf("read checkpoint: %w", err)
	}
	entries, decodeErr := decode(data)
	if decodeErr != nil {
		aside := fmt.Sprintf("%s.corrupt-%d", s.path, time.Now().UnixNano())
		if renameErr := os.Rename(s.path, aside); renameErr != nil {
			return nil, true, fmt.Errorf("move corrupt checkpoint aside: %w", renameErr)
		}
		return s, true, fmt.Errorf("%w (%v); kept as %s", ErrCorrupt, decodeErr, aside)
	}
	s.entries = entries
	return s, true, nil
}

func decode(data []byte) (map[string]Entry, error) {
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 {
		return nil, errors.New("no header")
	}
	var v, n int
	var sum uint32
	if _, err := fmt.Sscanf(string(data[:nl+1]), header, &v, &n, &sum); err != nil {
		return nil, fmt.Errorf("bad header: %w", err)
	}
	if v != version {
		return nil, fmt.Errorf("unsupported version %d", v)
	}
	body := data[nl+1:]
	if len(body) != n {
		return nil, fmt.Errorf("body is %d bytes, header says %d", len(body), n)
	}
	if got := crc32.Checksum(body, crcTable); got != sum {
		return nil, fmt.Errorf("checksum %08x, header says %08x", got, sum)
	}
	var st state
	if err := json.Unmarshal(body, &st); err != nil {
		return nil, fmt.Errorf("bad body: %w", err)
	}
	if st.Files == nil {
		st.Files = map[string]Entry{}
	}
	return st.Files, nil
}

func encode(entries map[string]Entry) ([]byte, error) {
	body, err := json.Marshal(state{Version: version, Files: entries})
	if err != nil {
		return nil, err
	}
	out := fmt.Appendf(nil, header, version, len(body), crc32.Checksum(body, crcTable))
	return append(out, body...), nil
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

// Put records e under key and returns the generation that WaitDurable waits for.
func (s *Store) Put(key string, e Entry) uint64 {
	s.mu.Lock()
	s.entries[key] = e
	gen := s.bumpLocked()
	s.mu.Unlock()
	return gen
}

// Delete forgets key.
func (s *Store) Delete(key string) {
	s.mu.Lock()
	if _, ok := s.entries[key]; ok {
		delete(s.entries, key)
		s.bumpLocked()
	}
	s.mu.Unlock()
}

func (s *Store) bumpLocked() uint64 {
	s.dirty++
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return s.dirty
}

// WaitDurable blocks until generation gen is on disk, ctx ends, or the store is closed.
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
		ch := s.written
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Run writes changes until Close is called. Writes start at most once per interval, so
// that updates arriving meanwhile share one fsync; retry is the wait after a failed write.
func (s *Store) Run(interval, retry time.Duration) {
	defer close(s.stopped)
	for {
		select {
		case <-s.wake:
		case <-s.stop:
			_ = s.flush()
			return
		}
		started := time.Now()
		wait := interval
		if err := s.flush(); err != nil {
			wait = retry
			s.poke()
		}
		select {
		case <-time.After(wait - time.Since(started)):
		case <-s.stop:
			_ = s.flush()
			return
		}
	}
}

func (s *Store) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// flush writes the current state if it changed since the last durable write.
func (s *Store) flush() error {
	s.mu.Lock()
	gen := s.dirty
	if gen == s.durable {
		s.mu.Unlock()
		return nil
	}
	data, err := encode(s.entries)
	s.mu.Unlock()
	if err == nil {
		err = writeAtomic(s.path, data)
	}
	if err != nil {
		if s.hooks.Failed != nil {
			s.hooks.Failed()
		}
		s.mu.Lock()
		repeated := s.lastErr != nil && s.lastErr.Error() == err.Error()
		s.lastErr = err
		s.mu.Unlock()
		if !repeated {
			s.logger.Error("Checkpoint write failed; the previous checkpoint stays in force and reading waits", zap.String("path", s.path), zap.Error(err))
		}
		return err
	}
	if s.hooks.Written != nil {
		s.hooks.Written()
	}
	s.mu.Lock()
	s.durable = gen
	s.lastErr = nil
	close(s.written)
	s.written = make(chan struct{})
	s.mu.Unlock()
	return nil
}

// Close writes what is pending and stops the writer. Waiters are released.
func (s *Store) Close() {
	s.stopOnce.Do(func() {
		close(s.stop)
		<-s.stopped
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
