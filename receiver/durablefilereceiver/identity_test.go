// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/checkpoint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadatatest"
)

// bannered is what an app writes when it starts: the same banner, longer than a
// fingerprint, then lines of its own.
func bannered(run string, n int) string {
	var b strings.Builder
	for i := range 30 {
		fmt.Fprintf(&b, "==== startup banner of the app, line %02d =========\n", i)
	}
	for i := range n {
		fmt.Fprintf(&b, "%s line %d\n", run, i)
	}
	return b.String()
}

func lines(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }

// The same inode with other content behind the same beginning: a file rewritten while the
// collector was stopped, or a deleted file's inode given to a new one. Its checkpoint's
// offset means nothing there; the file is read from its start.
func TestANewContentUnderACheckpointedInodeIsReadFromItsStart(t *testing.T) {
	f := newFixture(t, nil)
	f.appendTo("a.log", bannered("run1", 100))
	first := &recorder{}
	stop := f.start(first)
	require.Eventually(t, func() bool { return len(first.bodies()) == len(lines(bannered("run1", 100))) }, 5*time.Second, 10*time.Millisecond)
	stop()
	before, err := os.Stat(f.path("a.log"))
	require.NoError(t, err)

	require.NoError(t, os.WriteFile(f.path("a.log"), []byte(bannered("run2", 300)), 0o644))
	after, err := os.Stat(f.path("a.log"))
	require.NoError(t, err)
	require.Equal(t, fileIDOf(before), fileIDOf(after), "the same inode")
	second := &recorder{}
	f.start(second)
	require.Eventually(t, func() bool { return len(second.bodies()) == len(lines(bannered("run2", 300))) }, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, lines(bannered("run2", 300)), second.bodies())
}

// A file renamed while the collector was stopped is resumed under its new name, and the new
// file at the old name, which begins alike, is read from its start.
func TestRenameRotationWhileStoppedResumesTheRotatedFileOnly(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Include = []string{c.Include[0] + "*"} })
	core, logs := observer.New(zap.DebugLevel)
	f.logger = zap.New(core)
	f.appendTo("app.log", bannered("run1", 100))
	first := &recorder{}
	stop := f.start(first)
	require.Eventually(t, func() bool { return len(first.bodies()) == len(lines(bannered("run1", 100))) }, 5*time.Second, 10*time.Millisecond)
	stop()

	f.appendTo("app.log", "run1 after the stop\n")
	require.NoError(t, os.Rename(f.path("app.log"), f.path("app.log.1")))
	f.appendTo("app.log", bannered("run2", 200))
	second := &recorder{}
	f.start(second)
	want := append([]string{"run1 after the stop"}, lines(bannered("run2", 200))...)
	require.Eventually(t, func() bool { return len(second.bodies()) == len(want) }, 5*time.Second, 10*time.Millisecond)
	assert.ElementsMatch(t, want, second.bodies())
	continued := logs.FilterMessage("File continues another one").All()
	require.Len(t, continued, 1, "the rotated file continues the old name's checkpoint")
	assert.Equal(t, f.path("app.log.1"), continued[0].ContextMap()["path"])
	assert.Equal(t, f.path("app.log"), continued[0].ContextMap()["continues"])
}

// copytruncate's copy, found after its original was truncated, continues where the original
// stood; a file that only begins like it does not.
func TestCopyOfATruncatedFileContinuesWhereTheOriginalStood(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Include = []string{c.Include[0] + "*"} })
	f.appendTo("app.log", bannered("run1", 100))
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == len(lines(bannered("run1", 100))) }, 5*time.Second, 10*time.Millisecond)
	content, err := os.ReadFile(f.path("app.log"))
	require.NoError(t, err)
	require.NoError(t, os.Truncate(f.path("app.log"), 0))
	require.Eventually(t, func() bool { return len(f.logs.FilterMessageSnippet("truncated").All()) > 0 }, 5*time.Second, 10*time.Millisecond)

	f.appendTo("app.log.1", string(content)+"run1 written before the copy\n")
	f.appendTo("other.log", bannered("other", 50))
	want := append(append(lines(bannered("run1", 100)), "run1 written before the copy"), lines(bannered("other", 50))...)
	require.Eventually(t, func() bool { return len(sink.bodies()) >= len(want) }, 5*time.Second, 10*time.Millisecond)
	time.Sleep(100 * time.Millisecond)
	assert.ElementsMatch(t, want, sink.bodies(), "the copy sends only what the original had not; the other file all of itself")
}

// A file that begins like one being read and is shorter than its checkpoint may be its copy
// still being written: it waits, but not when its bytes already differ.
func TestShorterFileThatBeginsAlikeIsNotTakenForACopy(t *testing.T) {
	f := newFixture(t, nil)
	f.appendTo("a.log", bannered("first", 200))
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == len(lines(bannered("first", 200))) }, 5*time.Second, 10*time.Millisecond)
	f.appendTo("b.log", bannered("second", 3))
	want := len(lines(bannered("first", 200))) + len(lines(bannered("second", 3)))
	require.Eventually(t, func() bool { return len(sink.bodies()) == want }, 2*time.Second, 10*time.Millisecond,
		"read at once, not after the grace for copies")
}

// A truncation that destroys bytes the receiver had not read yet (reading waited while the
// backend refused) is logged as a warning with the range and counted.
func TestTruncationThatDestroysUnreadBytesIsLoggedAndCounted(t *testing.T) {
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	f := newFixture(t, func(c *Config) {
		c.Batch.MaxLines = 10
		c.Batch.MaxInFlight = 1
	})
	var refusing atomic.Bool
	var refusals atomic.Int64
	sink := &recorder{refuse: func() error {
		if refusing.Load() {
			refusals.Add(1)
			return errors.New("down")
		}
		return nil
	}}
	f.startWith(metadatatest.NewSettings(tt), sink)
	f.appendTo("a.log", numbered(0, 10))
	require.Eventually(t, func() bool { return len(sink.bodies()) == 10 }, 5*time.Second, 5*time.Millisecond)
	refusing.Store(true)
	f.appendTo("a.log", numbered(10, 1000)) // read: one batch in flight, the rest waits in the buffer
	require.Eventually(t, func() bool { return refusals.Load() > 0 }, 5*time.Second, 5*time.Millisecond)
	f.appendTo("a.log", numbered(1000, 2000)) // not read while the reader waits: it waits in the file
	time.Sleep(5 * f.cfg.PollInterval)        // the reader sees the file grow, and waits on
	size, err := os.Stat(f.path("a.log"))
	require.NoError(t, err)
	require.NoError(t, os.Truncate(f.path("a.log"), 0))
	time.Sleep(5 * f.cfg.PollInterval)
	refusing.Store(false)
	f.appendTo("a.log", numbered(2000, 2010))
	require.Eventually(t, func() bool { return len(f.logs.FilterMessageSnippet("Bytes of a file are not read").All()) == 1 }, 5*time.Second, 5*time.Millisecond)
	warned := f.logs.FilterMessageSnippet("Bytes of a file are not read").All()
	from, to := warned[0].ContextMap()["from"].(int64), warned[0].ContextMap()["to"].(int64)
	assert.Equal(t, size.Size(), to, "up to the size the file had")
	assert.Greater(t, from, int64(len(numbered(0, 10))), "from what was read, at least the first refused batch")
	// Every line arrives, or lay in the range reported as not read; the new content arrives.
	inRange := func(i int) bool {
		start := int64(len(numbered(0, i)))
		return start >= from && start+int64(len(numbered(i, i+1))) <= to
	}
	require.Eventually(t, func() bool {
		got := map[string]bool{}
		for _, b := range sink.bodies() {
			got[b] = true
		}
		for i := range 2010 {
			if !got[fmt.Sprintf("line %d", i)] && (i >= 2000 || !inRange(i)) {
				return false
			}
		}
		return true
	}, 5*time.Second, 10*time.Millisecond, "what was read before the truncation, and the new content")
	assert.Contains(t, warned[0].Message, "truncated before they were read")
	m, err := tt.GetMetric("otelcol_receiver_durable_file_skipped_bytes")
	require.NoError(t, err)
	assert.Equal(t, to-from, m.Data.(metricdata.Sum[int64]).DataPoints[0].Value)
}

// start_at: end leaves out what files hold at the first start, and says so.
func TestStartAtEndLogsWhatItLeavesOut(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.StartAt = startAtEnd })
	f.appendTo("a.log", numbered(0, 10))
	f.start(&recorder{})
	require.Eventually(t, func() bool { return f.logs.FilterMessageSnippet("start_at is end").Len() == 1 }, 5*time.Second, 10*time.Millisecond)
	w := f.logs.FilterMessageSnippet("start_at is end").All()[0]
	assert.Equal(t, zap.WarnLevel, w.Level)
	assert.Equal(t, int64(0), w.ContextMap()["from"])
	assert.Equal(t, int64(len(numbered(0, 10))), w.ContextMap()["to"])
}

// An inode given to a new file after the old one was deleted, while the collector was
// stopped, with the very bytes the old file had up to its checkpoint: only the birth time
// tells them apart, and the new file is read whole. Filesystems hand a freed inode on when
// they please, so the checkpoint is made to be of an earlier file of this inode: the same
// entry, born a second before.
func TestAReusedInodeWithTheSameBytesIsAnotherFile(t *testing.T) {
	f := newFixture(t, nil)
	content := bannered("run", 100)
	f.appendTo("a.log", content)
	first := &recorder{}
	stop := f.start(first)
	require.Eventually(t, func() bool { return len(first.bodies()) == len(lines(content)) }, 5*time.Second, 10*time.Millisecond)
	stop()
	file, err := os.Open(f.path("a.log"))
	require.NoError(t, err)
	born := birthTime(file)
	require.NoError(t, file.Close())
	if born == 0 {
		t.Skip("the filesystem of the test's temporary directory keeps no birth time")
	}
	store, _, err := checkpoint.Open(checkpointFile(f.cfg.Checkpoint, component.NewID(metadata.Type)), checkpoint.Options{}, zap.NewNop(), checkpoint.Hooks{})
	require.NoError(t, err)
	go store.Run()
	var gen uint64
	for k, e := range store.Entries() {
		require.Equal(t, born, e.Born, "the checkpoint keeps the birth time")
		e.Born -= int64(time.Second)
		gen = store.Put(k, e)
	}
	require.NoError(t, store.WaitDurable(context.Background(), gen))
	store.Close()

	f.appendTo("a.log", "run line after\n")
	second := &recorder{}
	f.start(second)
	want := append(lines(content), "run line after")
	require.Eventually(t, func() bool { return len(second.bodies()) == len(want) }, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, want, second.bodies())
}
