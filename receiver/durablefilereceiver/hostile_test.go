// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
)

// What apps, volumes and operators put in front of the receiver that is not a log: each
// case is read to its end or skipped, the ordinary file beside it is read whole, and the
// receiver keeps running. The receiver's README lists the behaviours.

// hostile starts a receiver on f with an ordinary file beside whatever the test put there,
// and waits until that file's lines arrived.
func hostile(t *testing.T, f *fixture) *recorder {
	f.appendTo("good.log", numbered(0, 10))
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return count(sink.bodies(), "line ") == 10 }, 10*time.Second, 10*time.Millisecond,
		"the ordinary file beside the hostile input was not read")
	return sink
}

func count(bodies []string, prefix string) int {
	n := 0
	for _, b := range bodies {
		if strings.HasPrefix(b, prefix) {
			n++
		}
	}
	return n
}

// fullyDelivered waits until every checkpoint stands at the end of a file of size bytes.
func fullyDelivered(t *testing.T, f *fixture, sizes ...int64) {
	require.Eventually(t, func() bool {
		got := map[int64]bool{}
		for _, o := range f.checkpointOffsets() {
			got[o] = true
		}
		for _, s := range sizes {
			if !got[s] {
				return false
			}
		}
		return true
	}, 10*time.Second, 20*time.Millisecond)
}

// A file of NUL bytes (a preallocated or sparse file, a crashed writer's zeroed pages) is
// data: a run without a newline goes out in max_log_size parts, and what follows is read.
func TestFileOfNULBytesIsReadAsData(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.MaxLogSize = 64 << 10 })
	nuls := make([]byte, 300<<10)
	f.appendTo("zeros.log", string(nuls)+"after the zeros\n")
	sink := hostile(t, f)
	fullyDelivered(t, f, int64(len(nuls)+len("after the zeros\n")))
	total := 0
	for _, b := range sink.bodies() {
		if !strings.HasPrefix(b, "line ") {
			total += len(b)
			assert.LessOrEqual(t, len(b), 64<<10)
		}
	}
	assert.Equal(t, len(nuls)+len("after the zeros"), total, "every NUL byte and the line after them")
}

// Invalid UTF-8 and lines in other encodings in one file: every line arrives, as valid
// UTF-8 (OTLP requires it), with U+FFFD where a byte was not UTF-8.
func TestInvalidUTF8AndMixedEncodingsArriveAsValidUTF8(t *testing.T) {
	lines := []string{
		"latin1 caf\xe9",
		"utf-16le \xff\xfeh\x00i\x00",
		"shift-jis \x82\xa0\x82\xa2",
		"overlong \xc0\xaf",
		"surrogate \xed\xa0\x80",
		"truncated \xe2\x82",
		"plain utf-8 café ✓",
	}
	f := newFixture(t, nil)
	f.appendTo("mixed.log", strings.Join(lines, "\n")+"\n")
	sink := hostile(t, f)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 10+len(lines) }, 5*time.Second, 10*time.Millisecond)
	for _, b := range sink.bodies() {
		assert.True(t, utf8.ValidString(b), "%q", b)
	}
	assert.Contains(t, sink.bodies(), "latin1 caf\uFFFD")
	assert.Contains(t, sink.bodies(), "plain utf-8 café ✓")
}

// A binary file that the include glob matches (a core dump, an archive named *.log) is read
// to its end like text, split at its 0x0A bytes, as valid UTF-8; it does not stop the
// receiver or other files.
func TestBinaryFileIsReadToItsEnd(t *testing.T) {
	self, err := os.Executable() // the test binary: megabytes of machine code
	require.NoError(t, err)
	data, err := os.ReadFile(self)
	require.NoError(t, err)
	data = data[:min(len(data), 4<<20)]
	f := newFixture(t, func(c *Config) { c.Batch.MaxBytes = 8 << 20 })
	f.appendTo("core.log", string(data))
	sink := hostile(t, f)
	fullyDelivered(t, f, int64(len(data)))
	for _, b := range sink.bodies() {
		require.True(t, utf8.ValidString(b))
	}
	assert.Greater(t, len(sink.bodies()), bytes.Count(data, []byte{'\n'}), "a record per line of the binary")
}

// Symlinks that loop, a file to another and a directory to its parent, do not hang the
// listing: the loop is skipped with a warning and everything else is read, also through
// "**".
func TestSymlinkLoopsAreSkipped(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Include = []string{filepath.Join(filepath.Dir(c.Include[0]), "**", "*.log")} })
	require.NoError(t, os.Symlink(f.path("b.log"), f.path("a.log")))
	require.NoError(t, os.Symlink(f.path("a.log"), f.path("b.log")))
	require.NoError(t, os.MkdirAll(f.path("sub"), 0o755))
	require.NoError(t, os.Symlink("..", f.path("sub/parent")))
	f.appendTo("sub/deep.log", "deep line\n")
	sink := hostile(t, f)
	require.Eventually(t, func() bool { return count(sink.bodies(), "deep line") >= 1 }, 5*time.Second, 10*time.Millisecond)
	time.Sleep(5 * f.cfg.PollInterval)
	assert.Equal(t, 10, count(sink.bodies(), "line "), "a file seen through the looping link is still read once")
	assert.Equal(t, 1, count(sink.bodies(), "deep line"))
	assert.Positive(t, f.logs.FilterMessageSnippet("Cannot stat file").Len(), "the looping link is reported")
}

// A FIFO and device files (a symlink to /dev/zero, which never ends) that match are skipped:
// only regular files are read, and opening a FIFO would block the receiver.
func TestFIFOAndDeviceFilesAreSkipped(t *testing.T) {
	f := newFixture(t, nil)
	require.NoError(t, syscall.Mkfifo(f.path("pipe.log"), 0o644))
	require.NoError(t, os.Symlink("/dev/zero", f.path("zero.log")))
	require.NoError(t, os.Symlink("/dev/null", f.path("null.log")))
	sink := hostile(t, f)
	time.Sleep(5 * f.cfg.PollInterval)
	assert.Len(t, sink.bodies(), 10)
}

// A directory that disappears with a file being read: the open file is finished through
// its descriptor, and a directory created again under the same name is watched and read.
func TestDirectoryThatDisappearsAndComesBack(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Include = []string{filepath.Join(filepath.Dir(c.Include[0]), "*", "*.log")} })
	require.NoError(t, os.MkdirAll(f.path("app"), 0o755))
	f.appendTo("app/app.log", numbered(0, 10))
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 10 }, 5*time.Second, 10*time.Millisecond)

	fh, err := os.OpenFile(f.path("app/app.log"), os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	require.NoError(t, os.RemoveAll(f.path("app")))
	_, err = fh.WriteString(numbered(10, 20)) // written to the deleted file
	require.NoError(t, err)
	require.NoError(t, fh.Close())
	require.Eventually(t, func() bool { return len(sink.bodies()) == 20 }, 5*time.Second, 10*time.Millisecond)

	require.NoError(t, os.MkdirAll(f.path("app"), 0o755))
	f.appendTo("app/app.log", numbered(20, 30))
	require.Eventually(t, func() bool { return len(sink.bodies()) == 30 }, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, strings.Split(strings.TrimSpace(numbered(0, 30)), "\n"), sink.bodies())
}

// A checkpoint file that is corrupt, truncated, or written by a newer Flightlog: it is
// moved aside (kept, for a downgrade that is undone), the error is logged, and the files are
// read from their beginning: sent again, never skipped.
func TestUnusableCheckpointFilesAreKeptAsideAndNothingIsSkipped(t *testing.T) {
	for name, spoil := range map[string]func([]byte) []byte{
		"corrupt":        func(b []byte) []byte { spoilBody(b[:len(b)/2]); spoilBody(b[len(b)/2:]); return b },
		"truncated":      func(b []byte) []byte { return b[:len(b)/3] },
		"future version": futureVersion,
		"empty":          func([]byte) []byte { return nil },
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.appendTo("a.log", numbered(0, 50))
			first := &recorder{}
			stop := f.start(first)
			require.Eventually(t, func() bool { return len(first.bodies()) == 50 }, 5*time.Second, 10*time.Millisecond)
			stop()
			path := checkpointFile(f.cfg.Checkpoint, component.NewID(metadata.Type))
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(path, spoil(data), 0o640))

			f.appendTo("a.log", numbered(50, 60))
			second := &recorder{}
			f.start(second)
			require.Eventually(t, func() bool { return len(second.bodies()) == 60 }, 5*time.Second, 10*time.Millisecond)
			assert.Equal(t, strings.Split(strings.TrimSpace(numbered(0, 60)), "\n"), second.bodies())
			assert.Equal(t, 1, f.logs.FilterMessageSnippet("Checkpoint is corrupt").Len())
			aside, _ := filepath.Glob(path + ".corrupt-*")
			assert.Len(t, aside, 1, "the unusable checkpoint is kept")
		})
	}
}

// futureVersion rewrites each written slot as a later Flightlog would write a format that
// this one cannot read: version 9, readable by 9 only, with a valid checksum.
func futureVersion(b []byte) []byte {
	half := len(b) / 2
	for _, slot := range [][]byte{b[:half], b[half:]} {
		nl := bytes.IndexByte(slot, '\n')
		var v, n int
		var gen uint64
		var sum uint32
		if nl < 0 || func() error {
			_, err := fmt.Sscanf(string(slot[:nl+1]), "flightlog-checkpoint v%d gen=%d len=%d crc32c=%x\n", &v, &gen, &n, &sum)
			return err
		}() != nil {
			continue // a slot never written
		}
		body := slot[nl+1 : nl+1+n]
		body = bytes.Replace(body, []byte(fmt.Sprintf(`"version":%d,"readable_by":3`, v)), []byte(`"version":9,"readable_by":9`), 1)
		copy(slot, fmt.Sprintf("flightlog-checkpoint v9 gen=%020d len=%010d crc32c=%08x\n", gen, len(body), crc32.Checksum(body, crc32.MakeTable(crc32.Castagnoli))))
		copy(slot[nl+1:], body)
	}
	return b
}

// spoilBody flips the first byte after a checkpoint slot's header line.
func spoilBody(slot []byte) {
	if i := bytes.IndexByte(slot, '\n'); i >= 0 {
		slot[i+1] ^= 0xff
	}
}

// More matching files than max_concurrent_files: never more open at once (idle, fully
// delivered files are closed and opened again from their checkpoint when they grow), every
// line of every file arrives, and none twice. test/e2e runs 5,000 files against the binary.
func TestManyFilesStayWithinMaxConcurrentFiles(t *testing.T) {
	const files, limit = 300, 30
	f := newFixture(t, func(c *Config) { c.MaxConcurrentFiles = limit })
	for i := range files {
		f.appendTo(fmt.Sprintf("app-%04d.log", i), fmt.Sprintf("file %d line 0\n", i))
	}
	sink := &recorder{}
	r, _ := f.startReceiver(receivertest.NewNopSettings(metadata.Type), sink)
	baseline := openDescriptors(t)
	peakOpen, peakFDs := 0, 0
	sample := func() {
		r.files.mu.Lock()
		peakOpen = max(peakOpen, len(r.files.readers))
		r.files.mu.Unlock()
		peakFDs = max(peakFDs, openDescriptors(t)-baseline)
	}
	wait := func(n int) {
		require.Eventually(t, func() bool { sample(); return len(sink.bodies()) >= n }, time.Minute, 10*time.Millisecond,
			"%d of %d records", len(sink.bodies()), n)
	}
	wait(files)
	for i := range files { // every file grows again, most of them closed meanwhile
		f.appendTo(fmt.Sprintf("app-%04d.log", i), fmt.Sprintf("file %d line 1\n", i))
	}
	wait(2 * files)
	time.Sleep(10 * f.cfg.PollInterval)
	sample()

	got := map[string]int{}
	for _, b := range sink.bodies() {
		got[b]++
	}
	assert.Len(t, got, 2*files, "every line of every file")
	for b, n := range got {
		require.Equal(t, 1, n, "%q arrived %d times", b, n)
	}
	t.Logf("%d files, max_concurrent_files %d: at most %d open, %d more descriptors than at start", files, limit, peakOpen, peakFDs)
	assert.LessOrEqual(t, peakOpen, limit)
	assert.LessOrEqual(t, peakFDs, limit)
}

// openDescriptors counts this process's open file descriptors.
func openDescriptors(t *testing.T) int {
	fds, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(fds)
}

// A symlink in the log directory that leads elsewhere (to a file the app never wrote) is not
// read, and said so once; follow_symlinks_outside reads it.
func TestSymlinkOutOfTheIncludeDirectoriesIsNotRead(t *testing.T) {
	for _, follow := range []bool{false, true} {
		t.Run(fmt.Sprint("follow_symlinks_outside=", follow), func(t *testing.T) {
			f := newFixture(t, func(c *Config) { c.FollowSymlinksOutside = follow })
			elsewhere := filepath.Join(f.dir, "secret.txt")
			require.NoError(t, os.WriteFile(elsewhere, []byte("root:x:0:0\n"), 0o600))
			require.NoError(t, os.Symlink(elsewhere, f.path("innocent.log")))
			f.appendTo("app.log", "an app line\n")
			inside := f.path("linked.log")
			require.NoError(t, os.Symlink(f.path("app.log"), inside)) // inside: read, as app.log is
			sink := &recorder{}
			f.start(sink)
			require.Eventually(t, func() bool { return len(sink.bodies()) >= 1 }, 5*time.Second, 10*time.Millisecond)
			time.Sleep(10 * f.cfg.PollInterval)
			if follow {
				assert.Contains(t, sink.bodies(), "root:x:0:0")
				return
			}
			assert.Equal(t, []string{"an app line"}, sink.bodies())
			warned := f.logs.FilterMessageSnippet("Not reading a symlink that leads out").All()
			require.Len(t, warned, 1, "said once")
			assert.Equal(t, f.path("innocent.log"), warned[0].ContextMap()["path"])
		})
	}
}
