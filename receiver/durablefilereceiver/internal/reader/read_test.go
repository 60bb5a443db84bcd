// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
