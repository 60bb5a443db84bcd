// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
)

// A file written a line at a time keeps a small read buffer; a big backlog grows it to
// at most one read's worth beyond what is buffered.
func TestReadBuffersGrowWithWhatAFileNeeds(t *testing.T) {
	dir := t.TempDir()
	open := func(name string) (*os.File, *Reader) {
		path := filepath.Join(dir, name)
		w, err := os.Create(path)
		require.NoError(t, err)
		f, err := os.Open(path)
		require.NoError(t, err)
		t.Cleanup(func() { _ = w.Close(); _ = f.Close() })
		return w, New(testSettings(t, false), nopTable{}, recycler{}, f, FileID{}, path, fingerprint.Fingerprint{}, Start{Key: name})
	}
	smallFile, small := open("small.log")
	bigFile, big := open("big.log")
	_, err := bigFile.Write(orderLines(10_000)) // ~1.3 MB
	require.NoError(t, err)
	big.Read(time.Now(), false)
	for range 50 {
		_, err := smallFile.WriteString("a line\n")
		require.NoError(t, err)
		small.Read(time.Now(), false)
	}
	assert.Equal(t, minBuffer, cap(small.buf))
	assert.Greater(t, cap(big.buf), minBuffer)
	assert.LessOrEqual(t, cap(big.buf), 2*readChunk)
	assert.Equal(t, int64(len(orderLines(10_000))), big.Offset(), "read to the end")
}

// Reclaim punches delivered bytes in whole chunks while the file is read. When a chunk's end
// falls inside the bytes a rewrite check compares (the anchor), part of them read as zeros
// and part as the data: that is a hole, not a rewrite, and the file is not read again.
// (make demo once read its 22 MiB chatty log twice so.)
func TestAnAnchorHalfPunchedByReclaimIsNoRewrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	line := strings.Repeat("x", 99) + "\n"
	content := strings.Repeat(line, (1<<20)/100+2) // a little more than 1 MiB
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	set := testSettings(t, false)
	rd := New(set, nopTable{}, recycler{}, f, FileID{}, path, fingerprint.Fingerprint{}, Start{Key: "k"})
	now := time.Now()
	rd.Read(now, false)
	size := int64(len(content))
	require.False(t, rd.replacedInPlace(now.Add(set.PollInterval), size)) // the anchor: the bytes before the end
	require.Less(t, rd.anchorAt-int64(len(rd.anchor)), int64(1<<20), "the anchor straddles the chunk's end")

	require.NoError(t, unix.Fallocate(int(f.Fd()), unix.FALLOC_FL_PUNCH_HOLE|unix.FALLOC_FL_KEEP_SIZE, 0, 1<<20))
	assert.False(t, rd.replacedInPlace(now.Add(2*set.PollInterval), size), "a hole is no rewrite")
}
