// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package checkpoint

import (
	"context"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
)

const fileName = "durable_file.checkpoint"

func open(t *testing.T, dir string) (*Store, bool, error) {
	return openSync(t, dir, false)
}

func openSync(t *testing.T, dir string, fsync bool) (*Store, bool, error) {
	t.Helper()
	s, existed, err := Open(filepath.Join(dir, fileName), Options{Fsync: fsync, Interval: time.Millisecond, Retry: 10 * time.Millisecond}, zap.NewNop(), Hooks{})
	if s != nil {
		go s.Run()
		t.Cleanup(s.Close)
	}
	return s, existed, err
}

func TestPutIsDurableAfterWait(t *testing.T) {
	dir := t.TempDir()
	s, existed, err := open(t, dir)
	require.NoError(t, err)
	assert.False(t, existed)
	e := Entry{Path: "/var/log/app.log", Offset: 4096, FingerprintLen: 1000, Fingerprint: "abc", Updated: 1}
	require.NoError(t, s.WaitDurable(context.Background(), s.Put("k", e)))

	reopened, existed, err := open(t, dir)
	require.NoError(t, err)
	assert.True(t, existed)
	assert.Equal(t, map[string]Entry{"k": e}, reopened.Entries())
}

func TestCloseWritesPendingChanges(t *testing.T) {
	dir := t.TempDir()
	s, _, err := open(t, dir)
	require.NoError(t, err)
	s.Put("a", Entry{Offset: 1})
	s.Delete("a")
	s.Put("b", Entry{Offset: 2})
	s.Close()
	reopened, _, err := open(t, dir)
	require.NoError(t, err)
	assert.Equal(t, map[string]Entry{"b": {Offset: 2}}, reopened.Entries())
}

// twoSlots lays out a checkpoint file from two slots.
func twoSlots(a, b []byte) []byte {
	data := make([]byte, 2*minSlot)
	copy(data, a)
	copy(data[minSlot:], b)
	return data
}

func slot(t *testing.T, gen uint64, entries map[string]Entry) []byte {
	t.Helper()
	b, err := encodeSlot(nil, gen, entries)
	require.NoError(t, err)
	return b
}

func TestCorruptCheckpointIsMovedAsideAndReported(t *testing.T) {
	good := slot(t, 1, map[string]Entry{"k": {Path: "/a.log", Offset: 10}})
	flipped := append([]byte{}, good...)
	flipped[len(flipped)-3] ^= 0x20
	newer := []byte(`{"version":9,"files":{}}`) // not readable_by this one
	other := append(fmt.Appendf(nil, header, 9, 1, len(newer), crc32.Checksum(newer, crcTable)), newer...)
	tests := map[string][]byte{
		"both slots torn":  twoSlots(good[:len(good)-5], good[:len(good)-5]),
		"flipped byte":     twoSlots(flipped, nil),
		"no header":        twoSlots([]byte(`{"version":2,"files":{}}`), nil),
		"empty":            {},
		"not two slots":    good,
		"other version":    twoSlots(other, nil),
		"version 1 format": []byte("flightlog-checkpoint v1 len=2 crc32c=00000000\n{}"),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, fileName), data, 0o640))
			s, existed, err := open(t, dir)
			require.ErrorIs(t, err, ErrCorrupt)
			require.NotNil(t, s, "a corrupt checkpoint must still give a usable store")
			assert.True(t, existed)
			assert.Empty(t, s.Entries())
			aside, _ := filepath.Glob(filepath.Join(dir, fileName+".corrupt-*"))
			assert.Len(t, aside, 1, "the corrupt file is kept for inspection")
		})
	}
}

func TestTornSlotFallsBackToThePreviousGeneration(t *testing.T) {
	dir := t.TempDir()
	older := slot(t, 6, map[string]Entry{"k": {Offset: 100}})
	newer := slot(t, 7, map[string]Entry{"k": {Offset: 200}})
	// A crash in the middle of writing generation 7 leaves 6 intact.
	require.NoError(t, os.WriteFile(filepath.Join(dir, fileName), twoSlots(older, newer[:len(newer)-4]), 0o640))
	s, existed, err := open(t, dir)
	require.NoError(t, err)
	assert.True(t, existed)
	assert.Equal(t, int64(100), s.Entries()["k"].Offset)

	// Both complete: the higher generation wins, wherever it is.
	require.NoError(t, os.WriteFile(filepath.Join(dir, fileName), twoSlots(newer, older), 0o640))
	s, _, err = open(t, dir)
	require.NoError(t, err)
	assert.Equal(t, int64(200), s.Entries()["k"].Offset)
}

func TestWritesAlternateSlotsAndContinueGenerationsAfterReopen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, fileName)
	for i := range int64(5) {
		s, _, err := openSync(t, dir, i%2 == 0)
		require.NoError(t, err)
		assert.Equal(t, i*10, s.Entries()["k"].Offset, "reopen %d", i)
		require.NoError(t, s.WaitDurable(context.Background(), s.Put("k", Entry{Offset: i*10 + 5})))
		require.NoError(t, s.WaitDurable(context.Background(), s.Put("k", Entry{Offset: i*10 + 10})))
		s.Close()
	}
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	_, gen, err := decode(data)
	require.NoError(t, err)
	assert.Equal(t, uint64(10), gen)
	// Spoiling the newest slot leaves the write before it.
	newest := int(gen%slotsCount) * len(data) / slotsCount
	data[newest+headerLen] ^= 0xff
	entries, _, err := decode(data)
	require.NoError(t, err)
	assert.Equal(t, int64(45), entries["k"].Offset)
}

func TestSlotsGrowWithTheState(t *testing.T) {
	dir := t.TempDir()
	s, _, err := open(t, dir)
	require.NoError(t, err)
	want := map[string]Entry{}
	var gen uint64
	for i := range 500 {
		e := Entry{Path: fmt.Sprintf("/var/log/pods/app-%d.log", i), Offset: int64(i), Fingerprint: strings.Repeat("f", 64)}
		want[e.Path] = e
		gen = s.Put(e.Path, e)
	}
	require.NoError(t, s.WaitDurable(context.Background(), gen))
	s.Close()
	info, err := os.Stat(filepath.Join(dir, fileName))
	require.NoError(t, err)
	assert.Greater(t, info.Size(), int64(2*minSlot))
	reopened, _, err := open(t, dir)
	require.NoError(t, err)
	assert.Equal(t, want, reopened.Entries())
}

func TestInterruptedWriteLeavesPreviousCheckpoint(t *testing.T) {
	dir := t.TempDir()
	s, _, err := open(t, dir)
	require.NoError(t, err)
	require.NoError(t, s.WaitDurable(context.Background(), s.Put("k", Entry{Offset: 100})))
	s.Close()
	// What a SIGKILL between writing the temp file of a rewrite and renaming it leaves behind.
	require.NoError(t, os.WriteFile(filepath.Join(dir, fileName+".tmp"), []byte("flightlog-checkpoint v2 gen="), 0o640))

	reopened, _, err := open(t, dir)
	require.NoError(t, err)
	assert.Equal(t, int64(100), reopened.Entries()["k"].Offset)
	_, err = os.Stat(filepath.Join(dir, fileName+".tmp"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// A write that fails (a full or read-only volume) is not waited out: waiters learn at once
// that their change is not durable, so delivery goes on, and the store retries in the
// background until the write succeeds, with no waiter needed.
func TestFailedWriteIsReportedAtOnceAndRetriedInTheBackground(t *testing.T) {
	dir := t.TempDir()
	s, _, err := open(t, dir)
	require.NoError(t, err)
	// A directory where the temp file should go makes every write fail.
	blocker := filepath.Join(dir, fileName+".tmp")
	require.NoError(t, os.Mkdir(blocker, 0o750))
	require.NoError(t, os.WriteFile(filepath.Join(blocker, "x"), nil, 0o640))

	var waiters sync.WaitGroup
	for i := range 3 {
		waiters.Add(1)
		go func() {
			defer waiters.Done()
			err := s.WaitDurable(context.Background(), s.Put(fmt.Sprint(i), Entry{Offset: int64(i)}))
			assert.ErrorIs(t, err, ErrNotDurable, "nothing may count as durable while writes fail")
		}()
	}
	waiters.Wait()
	_, err = os.Stat(filepath.Join(dir, fileName))
	require.ErrorIs(t, err, os.ErrNotExist)

	require.NoError(t, os.RemoveAll(blocker)) // space is back
	require.Eventually(t, func() bool {
		data, err := os.ReadFile(filepath.Join(dir, fileName))
		if err != nil {
			return false
		}
		entries, _, err := decode(data)
		return err == nil && len(entries) == 3
	}, 5*time.Second, 10*time.Millisecond, "the store never wrote the changes once it could")
	// The file is renamed into place before the write that put it there clears the failure
	// that waiters return at once: a waiter may still be told so just after.
	gen := s.Put("3", Entry{Offset: 3})
	require.Eventually(t, func() bool { return s.WaitDurable(context.Background(), gen) == nil }, 5*time.Second, 10*time.Millisecond)
}

func TestWaitersShareWrites(t *testing.T) {
	dir := t.TempDir()
	var writes atomic.Int64
	s, _, err := Open(filepath.Join(dir, fileName), Options{Interval: 20 * time.Millisecond, Retry: 10 * time.Millisecond},
		zap.NewNop(), Hooks{Written: func() { writes.Add(1) }})
	require.NoError(t, err)
	go s.Run()
	t.Cleanup(s.Close)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, s.WaitDurable(context.Background(), s.Put(fmt.Sprint(i), Entry{Offset: int64(i)})))
		}()
	}
	wg.Wait()
	assert.Less(t, writes.Load(), int64(20), "concurrent waiters share a write")
	assert.Len(t, s.Entries(), 20)
}

func TestDeletionsAreWrittenWithoutWaiters(t *testing.T) {
	dir := t.TempDir()
	s, _, err := open(t, dir)
	require.NoError(t, err)
	require.NoError(t, s.WaitDurable(context.Background(), s.Put("gone", Entry{Offset: 1})))
	s.Delete("gone")
	require.Eventually(t, func() bool {
		data, err := os.ReadFile(filepath.Join(dir, fileName))
		if err != nil {
			return false
		}
		entries, _, err := decode(data)
		return err == nil && len(entries) == 0
	}, 5*time.Second, 5*time.Millisecond)
}

// A waiter that comes while another goroutine writes, after that write took what to write,
// must not wait for a write nobody makes: the last batch of a file that went quiet was never
// released so (once, in the receiver's model test).
func TestAWaiterThatCameDuringAnotherWriteIsWrittenToo(t *testing.T) {
	s, _, err := open(t, t.TempDir())
	require.NoError(t, err)
	s.Put("early", Entry{Offset: 1})
	s.writeMu.Lock() // another waiter, or Run, writes
	require.NoError(t, s.flush())
	waited := make(chan error, 1)
	go func() { waited <- s.WaitDurable(context.Background(), s.Put("late", Entry{Offset: 2})) }()
	time.Sleep(50 * time.Millisecond) // the late waiter finds the file taken and waits
	s.unlockWriter()
	select {
	case err := <-waited:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("the late waiter still waits for a write nobody makes")
	}
}
