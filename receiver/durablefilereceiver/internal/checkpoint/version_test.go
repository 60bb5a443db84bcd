// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package checkpoint

import (
	"context"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFormat2IsReadAndWrittenBackAs3 opens a checkpoint that Flightlog wrote before format 3
// (testdata/v2.checkpoint, written by the build of main at bc058fe): its entries keep their
// offsets, have no identity, and the next write is format 3.
func TestFormat2IsReadAndWrittenBackAs3(t *testing.T) {
	data, err := os.ReadFile("testdata/v2.checkpoint")
	require.NoError(t, err)
	require.Contains(t, string(data), "flightlog-checkpoint v2 ")
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, fileName), data, 0o640))

	s, existed, err := open(t, dir)
	require.NoError(t, err, "format 2 is not corrupt")
	assert.True(t, existed)
	entries := s.Entries()
	require.Len(t, entries, 1)
	for _, e := range entries {
		assert.Equal(t, int64(45500), e.Offset)
		assert.Equal(t, 1000, e.FingerprintLen)
		assert.False(t, e.HasIdentity(), "format 2 knew no inode")
	}

	require.NoError(t, s.WaitDurable(context.Background(), s.Put("new", Entry{Offset: 7, Dev: 1, Ino: 2, TailLen: 7, Tail: 42})))
	written, err := os.ReadFile(filepath.Join(dir, fileName))
	require.NoError(t, err)
	got, _, err := decode(written)
	require.NoError(t, err)
	assert.Len(t, got, 2)
	assert.True(t, got["new"].HasIdentity())
	assert.Contains(t, string(written), fmt.Sprintf("flightlog-checkpoint v%d ", version), "written in the current format")
}

// TestALaterFormatIsReadWhenItSaysItCanBe: a later Flightlog that only adds fields marks its
// body readable_by this version, and this version reads it, ignoring what it does not know;
// one that does not is refused (and the store moves it aside, as any file it cannot trust).
func TestALaterFormatIsReadWhenItSaysItCanBe(t *testing.T) {
	later := func(readableBy int) []byte {
		body := fmt.Appendf(nil, `{"version":%d,"readable_by":%d,"files":{"k":{"path":"/var/log/app.log","offset":9,"ino":3,"recorder_window":12}}}`,
			version+1, readableBy)
		slot := fmt.Appendf(nil, header, version+1, 5, len(body), crc32.Checksum(body, crcTable))
		return twoSlots(append(slot, body...), nil)
	}
	entries, gen, err := decode(later(version))
	require.NoError(t, err)
	assert.Equal(t, uint64(5), gen)
	assert.Equal(t, Entry{Path: "/var/log/app.log", Offset: 9, Ino: 3}, entries["k"])

	_, _, err = decode(later(version + 1))
	require.ErrorContains(t, err, "written by a newer Flightlog")
	_, _, err = decode(later(0))
	require.ErrorContains(t, err, "written by a newer Flightlog")
}

// TestFormat3IsReadAndWrittenBackAs4 opens a checkpoint that Flightlog wrote before the
// flight recorder (testdata/v3.checkpoint, written by the build of main at 962d113): its
// entry keeps its offset and identity and has no window; the next write is format 4, which
// format 3 still reads while no entry has a window.
func TestFormat3IsReadAndWrittenBackAs4(t *testing.T) {
	data, err := os.ReadFile("testdata/v3.checkpoint")
	require.NoError(t, err)
	require.Contains(t, string(data), "flightlog-checkpoint v3 ")
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, fileName), data, 0o640))

	s, _, err := open(t, dir)
	require.NoError(t, err)
	e := s.Entries()["803-20003-18771f0a2c9e1b40-1"]
	assert.Equal(t, int64(52000), e.Offset)
	assert.True(t, e.HasIdentity())
	assert.False(t, e.hasWindow())

	require.NoError(t, s.WaitDurable(context.Background(), s.Put("other", Entry{Offset: 7, Ino: 2})))
	written, err := os.ReadFile(filepath.Join(dir, fileName))
	require.NoError(t, err)
	assert.Contains(t, string(written), "flightlog-checkpoint v4 ")
	assert.Contains(t, string(written), `"readable_by":3`, "no window: format 3 reads it right")

	require.NoError(t, s.WaitDurable(context.Background(), s.Put("other", Entry{Offset: 7, Ino: 2, WindowBytes: 5})))
	written, err = os.ReadFile(filepath.Join(dir, fileName))
	require.NoError(t, err)
	assert.Contains(t, string(written), `"readable_by":4`, "format 3 would skip the window's records")
	got, _, err := decode(written)
	require.NoError(t, err)
	assert.Equal(t, int64(5), got["other"].WindowBytes)
}
