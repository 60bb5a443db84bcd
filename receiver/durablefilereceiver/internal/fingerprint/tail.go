// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package fingerprint // import "github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"

import (
	"io"

	"github.com/cespare/xxhash/v2"
)

// TailSize is how many bytes just before a checkpointed offset a checkpoint keeps the hash
// of. A file's first bytes tell nothing when files begin alike (a banner, a CSV header, the
// same first lines after every restart): resuming at an offset is safe only when the bytes
// just before it are still the ones that were delivered. 256 bytes span a few log lines,
// the ones that differ between two files that share a beginning.
const TailSize = 256

// Tail identifies the bytes just before an offset: at most TailSize of them, and their hash.
// The zero Tail covers nothing and matches only an empty range (offset 0).
type Tail struct {
	Len  int
	Hash uint64
}

// TailOf is the Tail of b, the bytes that end at an offset; only the last TailSize count.
func TailOf(b []byte) Tail {
	if len(b) > TailSize {
		b = b[len(b)-TailSize:]
	}
	if len(b) == 0 {
		return Tail{}
	}
	// xxhash: about 30 ns for 256 bytes, once per batch; a collision would need two
	// different contents at the same offset of the same file.
	return Tail{Len: len(b), Hash: xxhash.Sum64(b)}
}

// Matches tells whether b, the t.Len bytes that now end at the offset, are the ones t was
// taken of.
func (t Tail) Matches(b []byte) bool {
	return len(b) == t.Len && (t.Len == 0 || xxhash.Sum64(b) == t.Hash)
}

// Before returns the bytes of r just before offset, at most TailSize: those a Tail of the
// offset is taken of.
func Before(r io.ReaderAt, offset int64) []byte {
	n := min(max(offset, 0), TailSize)
	buf := make([]byte, n)
	got, _ := r.ReadAt(buf, offset-n)
	return buf[:got]
}

// Verify tells whether r holds, just before offset, the bytes t was taken of, and returns
// them. A Tail that does not cover all of the TailSize bytes before offset (or all bytes, near
// the start of the file) verifies nothing.
func (t Tail) Verify(r io.ReaderAt, offset int64) ([]byte, bool) {
	if int64(t.Len) != min(max(offset, 0), TailSize) {
		return nil, false
	}
	b := Before(r, offset)
	return b, t.Matches(b)
}
