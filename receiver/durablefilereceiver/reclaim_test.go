// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
	"golang.org/x/sys/unix"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
)

const (
	testKeep  = 256 << 10
	testChunk = 64 << 10
)

func withReclaim(c *Config) {
	c.Reclaim = ReclaimConfig{Enabled: true, Keep: testKeep, MinChunk: testChunk, RemoveRotated: true}
}

// allocated is what a file holds on disk, as du counts it.
func allocated(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	require.NoError(t, err)
	return info.Sys().(*syscall.Stat_t).Blocks * 512
}

// lines of about 100 bytes, numbered from..to-1.
func paddedLines(from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, "line %07d %s\n", i, strings.Repeat("x", 86))
	}
	return b.String()
}

func TestReclaimGivesBackDeliveredSpaceBehindKeep(t *testing.T) {
	f := newFixture(t, withReclaim)
	sink := &recorder{}
	f.start(sink)
	const n = 40_000 // 4 MB
	for i := 0; i < n; i += 4000 {
		f.appendTo("a.log", paddedLines(i, i+4000))
	}
	require.Eventually(t, func() bool { return len(sink.bodies()) == n }, 20*time.Second, 10*time.Millisecond)
	path := f.path("a.log")
	size := int64(len(paddedLines(0, n)))
	// Holes reach the last whole chunk below the durable checkpoint minus keep; the first
	// chunk (the fingerprint) stays.
	require.Eventually(t, func() bool { return allocated(t, path) <= testChunk+testKeep+2*testChunk }, 5*time.Second, 10*time.Millisecond,
		"du %d of %d", allocated(t, path), size)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, size, info.Size(), "the file keeps its size: the app appends at its offset")

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	target := (size - testKeep) / testChunk * testChunk
	assert.Equal(t, make([]byte, target-testChunk), data[testChunk:target], "the delivered range reads back as zeros")
	assert.Equal(t, paddedLines(0, n)[target:], string(data[target:]), "the last keep bytes are intact")
	assert.Equal(t, paddedLines(0, n)[:testChunk], string(data[:testChunk]), "the first chunk is intact")
}

// A file found with its checkpoint lost must not ship the NULs of its hole: it is read from
// the first line after the hole.
func TestFileWithAHoleAndNoCheckpointIsReadAfterTheHole(t *testing.T) {
	f := newFixture(t, withReclaim)
	sink := &recorder{}
	stop := f.start(sink)
	const n = 40_000
	f.appendTo("a.log", paddedLines(0, n))
	require.Eventually(t, func() bool { return len(sink.bodies()) == n }, 20*time.Second, 10*time.Millisecond)
	require.Eventually(t, func() bool { return allocated(t, f.path("a.log")) < 1<<20 }, 5*time.Second, 10*time.Millisecond)
	stop()

	require.NoError(t, os.RemoveAll(f.cfg.Checkpoint))
	again := &recorder{}
	f.start(again)
	size := int64(len(paddedLines(0, n)))
	target := (size - testKeep) / testChunk * testChunk
	firstAfter := int(target/100) + 1 // lines are 100 bytes: the one the hole cut was delivered
	want := n - firstAfter
	require.Eventually(t, func() bool { return len(again.bodies()) >= want }, 10*time.Second, 10*time.Millisecond)
	time.Sleep(100 * time.Millisecond)
	bodies := again.bodies()
	require.Len(t, bodies, want)
	assert.Equal(t, fmt.Sprintf("line %07d %s", firstAfter, strings.Repeat("x", 86)), bodies[0])
	for _, b := range bodies {
		require.NotContains(t, b, "\x00")
	}
	skipped := f.logs.FilterMessageSnippet("reclaim punched a hole there").All()
	require.Len(t, skipped, 1, "the range left out is logged")
	assert.Equal(t, int64(firstAfter*100), skipped[0].ContextMap()["to"])
}

func TestRenamedFileIsRemovedOnceDeliveredAndNewerFilesHoldKeep(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		withReclaim(c)
		c.Include = []string{filepath.Join(filepath.Dir(c.Include[0]), "app.log*")}
	})
	sink := &recorder{}
	f.start(sink)
	f.appendTo("app.log", paddedLines(0, 1000))
	require.Eventually(t, func() bool { return len(sink.bodies()) == 1000 }, 10*time.Second, 10*time.Millisecond)
	require.NoError(t, os.Rename(f.path("app.log"), f.path("app.log.1")))
	f.appendTo("app.log", paddedLines(1000, 2000)) // 100 KB: less than keep
	require.Eventually(t, func() bool { return len(sink.bodies()) == 2000 }, 10*time.Second, 10*time.Millisecond)
	time.Sleep(200 * time.Millisecond)
	assert.FileExists(t, f.path("app.log.1"), "kept while newer files hold less than keep")

	f.appendTo("app.log", paddedLines(2000, 5000))
	require.Eventually(t, func() bool { return len(sink.bodies()) == 5000 }, 10*time.Second, 10*time.Millisecond)
	require.Eventually(t, func() bool {
		_, err := os.Stat(f.path("app.log.1"))
		return os.IsNotExist(err)
	}, 5*time.Second, 10*time.Millisecond)
	assert.FileExists(t, f.path("app.log"))
}

func TestFilesystemWithoutHolesWarnsOnceAndChangesNothingElse(t *testing.T) {
	core, logs := observer.New(zap.WarnLevel)
	r, b, path := deliveredFile(t, zap.New(core))
	calls := 0
	r.fallocate = func(int, uint32, int64, int64) error { calls++; return unix.EOPNOTSUPP }
	for range 3 {
		r.durable(b)
		r.turn()
	}
	assert.Equal(t, 1, calls, "tried once, then off for the filesystem")
	assert.Equal(t, 1, logs.FilterMessageSnippet("cannot punch holes").Len())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, paddedLines(0, 20_000), string(data))
}

// A file truncated and written again before its reader noticed must not be punched with
// the old incarnation's offsets.
func TestFileRewrittenInPlaceIsNotPunched(t *testing.T) {
	r, b, path := deliveredFile(t, zap.NewNop())
	r.durable(b)

	rewritten := bytes.Repeat([]byte("second run of the app, same size\n"), int(b.End)/33+1)
	require.NoError(t, os.WriteFile(path, rewritten, 0o644)) // truncates, same inode
	r.turn()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, rewritten, data)
}

// deliveredFile writes 2 MB of lines to a file and returns a reclaimer and a batch that says
// the whole file was delivered, as the checkpoint stage would.
func deliveredFile(t *testing.T, logger *zap.Logger) (r *reclaimer, b *reader.Batch, path string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "a.log")
	content := []byte(paddedLines(0, 20_000))
	require.NoError(t, os.WriteFile(path, content, 0o644))
	info, err := os.Stat(path)
	require.NoError(t, err)
	r = newReclaimer(ReclaimConfig{Enabled: true, Keep: testKeep, MinChunk: testChunk}, logger, func(int64) {}, func() {})
	head := []byte(paddedLines(0, 10))
	b = &reader.Batch{Key: "k", File: fileIDOf(info), Path: path, End: info.Size(), Acks: reader.NewAcks(0), Window: reader.Window{Start: info.Size()}}
	b.FPLen, b.FPHash = len(head), fingerprint.New(head).Hash()
	b.Tail = fingerprint.TailOf(content)
	return r, b, path
}

// After a corrupt checkpoint a file is read again from its start; nothing of it is given back
// until it has been delivered again up to the size it had.
func TestResetCheckpointHoldsReclaimUntilTheFileIsReadAgain(t *testing.T) {
	r, b, path := deliveredFile(t, zap.NewNop())
	size := b.End
	r.hold(b.Key, b.File, path, size)
	b.End, b.Tail, b.Window.Start = size-1, fingerprint.TailOf([]byte(paddedLines(0, 20_000))[:size-1]), size-1
	r.durable(b)
	r.turn()
	before := allocated(t, path)
	assert.GreaterOrEqual(t, before, size, "held: nothing given back")

	b.End, b.Tail, b.Window.Start = size, fingerprint.TailOf([]byte(paddedLines(0, 20_000))), size
	r.durable(b)
	r.turn()
	assert.Less(t, allocated(t, path), before/2, "read again up to its size: given back")
}

// Reclaim gives back nothing from the start of the flight recorder's window: records held
// back there may still ship with a trigger.
func TestReclaimStopsAtTheRecordersWindow(t *testing.T) {
	r, b, path := deliveredFile(t, zap.NewNop())
	b.Window.Start = 4 * testChunk
	r.durable(b)
	r.turn()
	assert.Less(t, allocated(t, path), b.End, "delivered chunks before the window are given back")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	content := []byte(paddedLines(0, 20_000))
	assert.Equal(t, content[4*testChunk:], data[4*testChunk:], "the window and what follows are intact")
	assert.Equal(t, make([]byte, 3*testChunk), data[testChunk:4*testChunk], "given back up to the window")
}
