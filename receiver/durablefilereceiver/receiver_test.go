// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/flightlog/flightlog/internal/restartevent"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/checkpoint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
)

// recorder is a consumer that keeps every record it accepted, and can be told to refuse.
type recorder struct {
	mu      sync.Mutex
	records []plog.LogRecord
	refuse  func() error
}

func (c *recorder) ConsumeLogs(_ context.Context, ld plog.Logs) error {
	if c.refuse != nil {
		if err := c.refuse(); err != nil {
			return err
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			recs := sls.At(j).LogRecords()
			for k := 0; k < recs.Len(); k++ {
				lr := plog.NewLogRecord()
				recs.At(k).CopyTo(lr)
				c.records = append(c.records, lr)
			}
		}
	}
	return nil
}

func (*recorder) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

// bodies are the bodies of the records that carry file content (not restart events).
func (c *recorder) bodies() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.records))
	for _, r := range c.records {
		if _, isEvent := r.Attributes().Get(restartevent.AttrEventName); !isEvent {
			out = append(out, r.Body().Str())
		}
	}
	return out
}

func (c *recorder) all() []plog.LogRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]plog.LogRecord(nil), c.records...)
}

type fixture struct {
	t      *testing.T
	dir    string
	cfg    *Config
	logs   *observer.ObservedLogs
	logger *zap.Logger
}

func newFixture(t *testing.T, mutate func(*Config)) *fixture {
	dir := t.TempDir()
	cfg := createDefaultConfig().(*Config)
	cfg.Include = []string{filepath.Join(dir, "logs", "*.log")}
	cfg.Checkpoint = filepath.Join(dir, "checkpoint")
	cfg.PollInterval = 20 * time.Millisecond
	cfg.FlushPeriod = 100 * time.Millisecond
	cfg.Batch.FlushTimeout = 20 * time.Millisecond // the low-latency setting keeps the tests quick
	cfg.Retry = RetryConfig{InitialInterval: 5 * time.Millisecond, MaxInterval: 20 * time.Millisecond}
	if mutate != nil {
		mutate(cfg)
	}
	require.NoError(t, cfg.Validate())
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "logs"), 0o755))
	core, logs := observer.New(zap.InfoLevel)
	return &fixture{t: t, dir: dir, cfg: cfg, logs: logs, logger: zap.New(core)}
}

func (f *fixture) path(name string) string { return filepath.Join(f.dir, "logs", name) }

func (f *fixture) appendTo(name, data string) {
	fh, err := os.OpenFile(f.path(name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	require.NoError(f.t, err)
	_, err = fh.WriteString(data)
	require.NoError(f.t, err)
	require.NoError(f.t, fh.Close())
}

// start runs a receiver until the returned function shuts it down.
func (f *fixture) start(next consumer.Logs) (stop func()) {
	return f.startWith(receivertest.NewNopSettings(metadata.Type), next)
}

func (f *fixture) startWith(set receiver.Settings, next consumer.Logs) (stop func()) {
	_, stop = f.startReceiver(set, next)
	return stop
}

// startReceiver is startWith for tests that look inside the running receiver.
func (f *fixture) startReceiver(set receiver.Settings, next consumer.Logs) (*durableReceiver, func()) {
	set.ID = component.NewID(metadata.Type) // the checkpoint file is named after it
	set.Logger = f.logger
	r, err := newReceiver(set, f.cfg, next)
	require.NoError(f.t, err)
	require.NoError(f.t, r.Start(context.Background(), componenttest.NewNopHost()))
	var once sync.Once
	stop := func() { once.Do(func() { require.NoError(f.t, r.Shutdown(context.Background())) }) }
	f.t.Cleanup(stop)
	return r, stop
}

func (f *fixture) checkpointOffsets() []int64 {
	s, _, err := checkpoint.Open(checkpointFile(f.cfg.Checkpoint, component.NewID(metadata.Type)), checkpoint.Options{}, zap.NewNop(), checkpoint.Hooks{})
	require.NoError(f.t, err)
	var out []int64
	for _, e := range s.Entries() {
		out = append(out, e.Offset)
	}
	return out
}

func numbered(from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	return b.String()
}

func TestReadsEveryLineAndCheckpointsWhatWasAccepted(t *testing.T) {
	f := newFixture(t, nil)
	f.appendTo("a.log", numbered(0, 500))
	f.appendTo("b.log", numbered(500, 600))
	sink := &recorder{}
	stop := f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 600 }, 5*time.Second, 10*time.Millisecond)
	f.appendTo("a.log", numbered(600, 700))
	require.Eventually(t, func() bool { return len(sink.bodies()) == 700 }, 5*time.Second, 10*time.Millisecond)
	stop()

	assert.ElementsMatch(t, strings.Split(strings.TrimSpace(numbered(0, 700)), "\n"), sink.bodies())
	rec := sink.all()[0]
	name, ok := rec.Attributes().Get(attrFileName)
	require.True(t, ok)
	assert.Contains(t, []string{"a.log", "b.log"}, name.Str())
	assert.NotZero(t, rec.ObservedTimestamp())

	sizeA, sizeB := int64(len(numbered(0, 500))+len(numbered(600, 700))), int64(len(numbered(500, 600)))
	assert.ElementsMatch(t, []int64{sizeA, sizeB}, f.checkpointOffsets())
}

func TestRefusedBatchesAreRetriedNotSkipped(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Batch.MaxLines = 10 })
	var calls atomic.Int64
	sink := &recorder{refuse: func() error {
		if calls.Add(1)%3 != 0 {
			return errors.New("backend answered 500")
		}
		return nil
	}}
	f.appendTo("a.log", numbered(0, 100))
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 100 }, 10*time.Second, 10*time.Millisecond)
	assert.ElementsMatch(t, strings.Split(strings.TrimSpace(numbered(0, 100)), "\n"), sink.bodies(), "each line exactly once")
}

func TestShutdownDoesNotCheckpointUnacknowledgedData(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.DrainTimeout = 50 * time.Millisecond })
	f.appendTo("a.log", numbered(0, 100))
	refusing := &recorder{refuse: func() error { return errors.New("down") }}
	stop := f.start(refusing)
	require.Eventually(t, func() bool { return f.logs.FilterMessageSnippet("The pipeline refused a delivery").Len() > 0 }, 5*time.Second, 10*time.Millisecond)
	stop()
	for _, off := range f.checkpointOffsets() {
		assert.Zero(t, off, "nothing was accepted, so nothing may be checkpointed")
	}

	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 100 }, 5*time.Second, 10*time.Millisecond)
}

func TestLineLongerThanMaxLogSizeIsSplitIntoMarkedParts(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.MaxLogSize = 1 << 20; c.Batch.MaxBytes = 2 << 20 })
	long := strings.Repeat("0123456789", 1_000_000) // 10 MB
	f.appendTo("a.log", "before\n"+long+"\nafter\n")
	sink := &recorder{}
	f.start(sink)
	wantParts := (len(long) + (1 << 20) - 1) / (1 << 20)
	require.Eventually(t, func() bool { return len(sink.bodies()) >= wantParts+2 }, 10*time.Second, 10*time.Millisecond)

	// Batches of one file may be in flight together, so parts can arrive out of order;
	// their index puts them back.
	parts := make([]string, wantParts)
	for _, r := range sink.all() {
		v, ok := r.Attributes().Get(attrSplitPart)
		if !ok {
			assert.Contains(t, []string{"before", "after"}, r.Body().Str())
			continue
		}
		require.Less(t, v.Int(), int64(wantParts))
		assert.LessOrEqual(t, len(r.Body().Str()), 1<<20)
		parts[v.Int()] = r.Body().Str()
	}
	assert.Len(t, sink.bodies(), wantParts+2)
	joined := strings.Join(parts, "")
	assert.True(t, long == joined, "the parts put together are the line")
}

func TestInvalidUTF8IsReplacedNotDropped(t *testing.T) {
	f := newFixture(t, nil)
	f.appendTo("a.log", "ok \xff\xfe bytes\nnext\n")
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 2 }, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, []string{"ok \uFFFD bytes", "next"}, sink.bodies())
}

func TestFinalLineWithoutNewlineIsFlushed(t *testing.T) {
	f := newFixture(t, nil)
	f.appendTo("a.log", "complete\npartial")
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 2 }, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, []string{"complete", "partial"}, sink.bodies())
}

func TestCorruptCheckpointIsReportedAndFilesAreReadAgain(t *testing.T) {
	f := newFixture(t, nil)
	f.appendTo("a.log", numbered(0, 50))
	require.NoError(t, os.MkdirAll(f.cfg.Checkpoint, 0o750))
	require.NoError(t, os.WriteFile(checkpointFile(f.cfg.Checkpoint, component.NewID(metadata.Type)), []byte("garbage\x00\x01"), 0o640))
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 50 }, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, 1, f.logs.FilterMessageSnippet("Checkpoint is corrupt").Len())
}

func TestUnreadablePathDoesNotStallOtherFiles(t *testing.T) {
	f := newFixture(t, nil)
	require.NoError(t, os.Symlink(f.path("missing-target"), f.path("dangling.log")))
	require.NoError(t, os.Mkdir(f.path("dir.log"), 0o755))
	f.appendTo("good.log", numbered(0, 10))
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 10 }, 5*time.Second, 10*time.Millisecond)
	require.Eventually(t, func() bool { return f.logs.FilterMessageSnippet("Cannot stat file").Len() == 1 }, 5*time.Second, 10*time.Millisecond)
	time.Sleep(5 * f.cfg.PollInterval)
	assert.Equal(t, 1, f.logs.FilterMessageSnippet("Cannot stat file").Len(), "a persistent problem is logged once, not every poll")
}

func TestRestartResumesFromCheckpoint(t *testing.T) {
	f := newFixture(t, nil)
	f.appendTo("a.log", numbered(0, 100))
	first := &recorder{}
	stop := f.start(first)
	require.Eventually(t, func() bool { return len(first.bodies()) == 100 }, 5*time.Second, 10*time.Millisecond)
	stop()

	f.appendTo("a.log", numbered(100, 150))
	second := &recorder{}
	f.start(second)
	require.Eventually(t, func() bool { return len(second.bodies()) == 50 }, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, strings.Split(strings.TrimSpace(numbered(100, 150)), "\n"), second.bodies())
}

func TestStartAtEndSkipsExistingDataOnFirstStartOnly(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.StartAt = startAtEnd })
	f.appendTo("a.log", numbered(0, 10))
	sink := &recorder{}
	stop := f.start(sink)
	time.Sleep(5 * f.cfg.PollInterval)
	f.appendTo("a.log", numbered(10, 20))
	f.appendTo("b.log", numbered(20, 25)) // found later: read from its beginning
	require.Eventually(t, func() bool { return len(sink.bodies()) == 15 }, 5*time.Second, 10*time.Millisecond)
	assert.ElementsMatch(t, strings.Split(strings.TrimSpace(numbered(10, 25)), "\n"), sink.bodies())
	stop()
}

func TestDeletedAndRecreatedFileIsReadAgain(t *testing.T) {
	f := newFixture(t, nil)
	sink := &recorder{}
	f.start(sink)
	for round := range 5 {
		f.appendTo("a.log", numbered(round*10, round*10+10))
		require.Eventually(t, func() bool { return len(sink.bodies()) == round*10+10 }, 5*time.Second, 5*time.Millisecond, "round %d", round)
		// Delete and create at once. The open reader keeps the old inode alive, so the
		// new file cannot get its number while it is still being read.
		require.NoError(t, os.Remove(f.path("a.log")))
	}
	assert.ElementsMatch(t, strings.Split(strings.TrimSpace(numbered(0, 50)), "\n"), sink.bodies())
}

func TestReceiversSharingACheckpointDirectoryKeepSeparateFiles(t *testing.T) {
	assert.Equal(t, "/ckpt/durable_file.checkpoint", checkpointFile("/ckpt", component.NewID(metadata.Type)))
	assert.Equal(t, "/ckpt/durable_file_app.checkpoint", checkpointFile("/ckpt", component.NewIDWithName(metadata.Type, "app")))
}

func TestDeletedAndRecreatedFileEndsWithARestartEvent(t *testing.T) {
	f := newFixture(t, nil)
	f.appendTo("a.log", "2026-11-25T10:00:00Z INFO run 1\n")
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 1 }, 5*time.Second, 5*time.Millisecond)
	require.NoError(t, os.Remove(f.path("a.log")))
	f.appendTo("a.log", "2026-11-25T10:00:09Z INFO run 2\n")
	require.Eventually(t, func() bool { return len(sink.all()) == 3 }, 10*time.Second, 10*time.Millisecond)
	var events int
	for _, r := range sink.all() {
		if v, ok := r.Attributes().Get(restartevent.AttrEventName); ok {
			assert.Equal(t, restartevent.Name, v.Str())
			events++
		}
	}
	assert.Equal(t, 1, events)
}

func TestBatchesReadyTogetherShareOneConsumeLogs(t *testing.T) {
	f := newFixture(t, nil)
	for i := range 50 {
		f.appendTo(fmt.Sprintf("f%02d.log", i), fmt.Sprintf("line from file %d\n", i))
	}
	var calls atomic.Int64
	sink := &recorder{refuse: func() error {
		calls.Add(1)
		time.Sleep(50 * time.Millisecond) // a backend that takes its time
		return nil
	}}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 50 }, 10*time.Second, 5*time.Millisecond)
	assert.LessOrEqual(t, calls.Load(), int64(10), "50 one-line batches should not cost 50 exports")
}

// The /var/log/containers layout: the included path is a symlink into the directory where
// the runtime writes, and a restart makes the link point at a new file.
func TestSymlinkedLogsAreFollowedWithNotifications(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.PollInterval = 10 * time.Second // only notifications can make this test pass in time
		c.FollowSymlinksOutside = true    // /var/log/containers -> /var/log/pods
	})
	pods := filepath.Join(f.dir, "pods", "app")
	require.NoError(t, os.MkdirAll(pods, 0o755))
	target := filepath.Join(pods, "0.log")
	require.NoError(t, os.WriteFile(target, []byte("first\n"), 0o644))
	require.NoError(t, os.Symlink(target, f.path("app.log")))
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 1 }, 5*time.Second, 5*time.Millisecond)

	appendLine := func(path, line string) {
		fh, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o644)
		require.NoError(t, err)
		_, err = fh.WriteString(line + "\n")
		require.NoError(t, err)
		require.NoError(t, fh.Close())
	}
	began := time.Now()
	appendLine(target, "second")
	require.Eventually(t, func() bool { return len(sink.bodies()) == 2 }, 2*time.Second, time.Millisecond,
		"a write through the link's target must wake the reader, not the 10 s poll")
	assert.Less(t, time.Since(began), time.Second)

	// The container restarts: a new file, the link repointed.
	next := filepath.Join(pods, "1.log")
	require.NoError(t, os.WriteFile(next, []byte("after restart\n"), 0o644))
	require.NoError(t, os.Remove(f.path("app.log")))
	require.NoError(t, os.Symlink(next, f.path("app.log")))
	require.Eventually(t, func() bool { return len(sink.bodies()) == 3 }, 5*time.Second, 5*time.Millisecond)
	assert.Equal(t, []string{"first", "second", "after restart"}, sink.bodies())
}

func TestLinesWrittenOneByOneShareBatches(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Batch.FlushTimeout = 300 * time.Millisecond })
	f.appendTo("a.log", "start\n")
	var calls atomic.Int64
	sink := &recorder{refuse: func() error { calls.Add(1); return nil }}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 1 }, 5*time.Second, 5*time.Millisecond)
	calls.Store(0)
	for i := range 20 {
		f.appendTo("a.log", fmt.Sprintf("line %d\n", i)) // an app that writes each line on its own
		time.Sleep(5 * time.Millisecond)
	}
	require.Eventually(t, func() bool { return len(sink.bodies()) == 21 }, 5*time.Second, 5*time.Millisecond)
	assert.LessOrEqual(t, calls.Load(), int64(3), "20 writes within flush_timeout should not cost 20 exports")
}

// startCountingExports starts a receiver on files f0.log … that have a first line each,
// waits until those arrived, and counts the ConsumeLogs calls from then on; stop shuts the
// receiver down.
func (f *fixture) startCountingExports(files int) (sink *recorder, calls *atomic.Int64, stop func()) {
	for i := range files {
		f.appendTo(fmt.Sprintf("f%d.log", i), "start\n")
	}
	calls = &atomic.Int64{}
	sink = &recorder{refuse: func() error { calls.Add(1); return nil }}
	stop = f.start(sink)
	require.Eventually(f.t, func() bool { return len(sink.bodies()) == files }, 5*time.Second, 5*time.Millisecond)
	calls.Store(0)
	return sink, calls, stop
}

// Files that log steadily are read on one grid of flush_timeout, so their batches leave
// together: the exports follow the batches' deadlines, not the number of files.
func TestFilesThatLogSteadilyShareExports(t *testing.T) {
	const files, rounds = 10, 40
	f := newFixture(t, func(c *Config) { c.Batch.FlushTimeout = 200 * time.Millisecond })
	sink, calls, _ := f.startCountingExports(files)
	began := time.Now()
	for r := range rounds { // every file gets a line every 25 ms, for a second
		for i := range files {
			f.appendTo(fmt.Sprintf("f%d.log", i), fmt.Sprintf("f%d line %d\n", i, r))
		}
		time.Sleep(25 * time.Millisecond)
	}
	require.Eventually(t, func() bool { return len(sink.bodies()) == files*(rounds+1) }, 5*time.Second, 5*time.Millisecond)
	deadlines := int64(time.Since(began)/(200*time.Millisecond)) + 1
	// Each file on its own timer costs an export per file and flush_timeout (46–60 here).
	assert.Less(t, calls.Load(), files*deadlines/2, "%d files sent %d exports over %d flush_timeouts", files, calls.Load(), deadlines)
}

// Files that each log now and then, with the low-latency setting, are read together on the
// flush_timeout grid while they linger, instead of each line waking the receiver for its
// notification and again for its batch's deadline.
func TestFilesThatLogNowAndThenShareReads(t *testing.T) {
	const files, lines = 20, 100
	// Going back to notifications after two quiet reads cost about two exports per period,
	// sharing reads one. A run that the machine's load stretched (make test runs packages side
	// by side, with the race detector) may pass the bound; the sharing is gone only when three
	// runs in a row do.
	var runs []string
	for range 3 {
		f := newFixture(t, func(c *Config) { c.Batch.FlushTimeout = 40 * time.Millisecond })
		sink, calls, stop := f.startCountingExports(files)
		began := time.Now()
		for i := range lines { // a line every 10 ms, each file every 200 ms
			f.appendTo(fmt.Sprintf("f%d.log", i%files), fmt.Sprintf("line %d\n", i))
			time.Sleep(10 * time.Millisecond)
		}
		require.Eventually(t, func() bool { return len(sink.bodies()) == files+lines }, 5*time.Second, 5*time.Millisecond)
		periods := int64(time.Since(began)/(40*time.Millisecond)) + 1
		stop()
		if calls.Load() <= periods*3/2 {
			return
		}
		runs = append(runs, fmt.Sprintf("%d exports over %d flush_timeouts", calls.Load(), periods))
	}
	t.Errorf("more than 1.5 exports per flush_timeout in 3 runs of 3: %v", runs)
}

// While every reader has a batch open the watch loop leaves notifications queued in the
// kernel; it must take them up again once a reader waits, without the poll's help.
func TestFileCreatedWhileEveryReaderIsBusyIsFound(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.PollInterval = time.Minute
		c.Batch.FlushTimeout = 300 * time.Millisecond
	})
	f.appendTo("a.log", "a0\n")
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 1 }, 5*time.Second, 5*time.Millisecond)
	for i := 1; i <= 5; i++ {
		f.appendTo("a.log", fmt.Sprintf("a%d\n", i)) // the first opens a batch: the reader is busy
		if i == 2 {
			f.appendTo("b.log", "b0\n")
		}
		time.Sleep(10 * time.Millisecond)
	}
	require.Eventually(t, func() bool { return len(sink.bodies()) == 7 }, 5*time.Second, 10*time.Millisecond)
	assert.ElementsMatch(t, []string{"a0", "a1", "a2", "a3", "a4", "a5", "b0"}, sink.bodies())
}

// A file that appears in a directory nobody watches yet (a new container's directory under a
// deep pattern) is found by the listing, without a notification.
func TestFileInANewSubdirectoryIsFound(t *testing.T) {
	var dir string
	f := newFixture(t, func(c *Config) {
		dir = filepath.Dir(filepath.Dir(c.Include[0]))
		c.Include = []string{filepath.Join(dir, "logs", "*", "*.log")}
	})
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "logs", "a"), 0o755))
	f.appendTo(filepath.Join("a", "x.log"), "a0\n")
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 1 }, 5*time.Second, 5*time.Millisecond)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "logs", "b"), 0o755))
	time.Sleep(500 * time.Millisecond) // the listing that sees b/ finds nothing in it yet
	f.appendTo(filepath.Join("b", "y.log"), "b0\n")
	require.Eventually(t, func() bool { return len(sink.bodies()) == 2 }, 5*time.Second, 5*time.Millisecond)
	assert.ElementsMatch(t, []string{"a0", "b0"}, sink.bodies())
}

// An app that truncates its log on start and writes more than was there before can leave
// the file bigger than the read position by our next look: the changed first bytes tell.
func TestFileRewrittenBeyondTheReadPositionIsReadFromItsStart(t *testing.T) {
	f := newFixture(t, nil)
	f.appendTo("a.log", numbered(0, 10))
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 10 }, 5*time.Second, 5*time.Millisecond)
	var next strings.Builder
	for i := range 50 {
		fmt.Fprintf(&next, "second run %d\n", i)
	}
	require.NoError(t, os.WriteFile(f.path("a.log"), []byte(next.String()), 0o644)) // truncates and writes in one go
	require.Eventually(t, func() bool {
		return slices.Contains(sink.bodies(), "second run 0") && slices.Contains(sink.bodies(), "second run 49")
	}, 5*time.Second, 10*time.Millisecond)
	require.Eventually(t, func() bool {
		for _, r := range sink.all() {
			if v, ok := r.Attributes().Get(restartevent.AttrEventName); ok && v.Str() == restartevent.Name {
				return true
			}
		}
		return false
	}, 5*time.Second, 10*time.Millisecond, "the rewrite ends an incarnation")
}

// With many files catching up while the pipeline refuses, what is read and not acknowledged
// stays within max_in_flight_bytes across files; the rest waits in the files.
func TestInFlightBytesAreBoundedAcrossFiles(t *testing.T) {
	const files, lines = 20, 2000 // about 25 KiB per file
	f := newFixture(t, func(c *Config) {
		c.MaxLogSize = 4 << 10
		c.Batch.MaxBytes = 8 << 10
		c.Batch.MaxInFlightBytes = 32 << 10
		c.CrashDetection.MaxBytes = 4 << 10
	})
	for i := range files {
		f.appendTo(fmt.Sprintf("f%d.log", i), numbered(i*lines, (i+1)*lines))
	}
	var refusing atomic.Bool
	refusing.Store(true)
	sink := &recorder{refuse: func() error {
		if refusing.Load() {
			return errors.New("backend down")
		}
		return nil
	}}
	r, _ := f.startReceiver(receivertest.NewNopSettings(metadata.Type), sink)
	require.Eventually(t, func() bool { return r.outbox.used.Load() > 0 }, 5*time.Second, 5*time.Millisecond)
	time.Sleep(200 * time.Millisecond) // every file has had turns
	// Per file alone it would be files × max_in_flight × max_bytes = 320 KiB.
	assert.LessOrEqual(t, r.outbox.used.Load(), int64(32<<10))
	refusing.Store(false)
	require.Eventually(t, func() bool { return len(sink.bodies()) == files*lines }, 10*time.Second, 10*time.Millisecond)
	want, got := strings.Split(strings.TrimSpace(numbered(0, files*lines)), "\n"), sink.bodies()
	slices.Sort(want)
	slices.Sort(got)
	assert.Equal(t, want, got, "every line once") // ElementsMatch is quadratic: 30 s for 40k lines
}
