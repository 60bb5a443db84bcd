// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package fingerprint holds what a checkpoint keeps of a file's content: its first bytes (a
// Fingerprint, as stanza's fileconsumer takes it), which find the checkpoints a newly found
// file may continue, and the bytes just before an offset (a Tail), which tell whether it
// does: files that begin alike (a banner, a header) share their first bytes. A checkpoint
// keeps only lengths and hashes; PrefixHash and Tail.Verify compare a file with them.
package fingerprint // import "github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
)

// Size is how many of a file's first bytes identify it.
const Size = 1000

// Fingerprint is a file's first bytes as read so far, up to Size, and their hash.
type Fingerprint struct {
	first []byte
	hash  string
}

// New fingerprints a file whose first bytes are first; it keeps a copy of at most Size bytes.
func New(first []byte) Fingerprint {
	var f Fingerprint
	f.Append(first, 0)
	return f
}

// Len is how many bytes the fingerprint covers; 0 for an empty file.
func (f Fingerprint) Len() int { return len(f.first) }

// Bytes are the bytes it covers; the caller must not modify them.
func (f Fingerprint) Bytes() []byte { return f.first }

// Hash identifies the bytes in a checkpoint; "" when there are none.
func (f Fingerprint) Hash() string { return f.hash }

// StartsWith tells whether f's bytes begin with all of old's: the same file, or a copy of
// it, that has grown since old was taken. An empty old matches nothing.
func (f Fingerprint) StartsWith(old Fingerprint) bool {
	return old.IsPrefixOf(f.first)
}

// IsPrefixOf tells whether a file whose first bytes are head still begins with f's bytes:
// the check of a file rewritten in place, without copying or hashing head. An empty f
// matches nothing.
func (f Fingerprint) IsPrefixOf(head []byte) bool {
	return len(f.first) > 0 && bytes.HasPrefix(head, f.first)
}

// PrefixHash is the hash of f's first n bytes, as a checkpoint records it; false when f
// has fewer bytes or n is 0.
func (f Fingerprint) PrefixHash(n int) (string, bool) {
	if n <= 0 || n > len(f.first) {
		return "", false
	}
	if n == len(f.first) {
		return f.hash, true
	}
	return hashOf(f.first[:n]), true
}

// HasPrefixHash tells whether f's first n bytes hash to hash, as a checkpoint recorded them.
func (f Fingerprint) HasPrefixHash(n int, hash string) bool {
	return n > 0 && n <= len(f.first) && hashOf(f.first[:n]) == hash
}

// Append adds bytes read at offset at, as far as they extend the fingerprint up to Size.
// Bytes that do not continue it (a read further on, or one it already covers) change nothing.
func (f *Fingerprint) Append(p []byte, at int64) {
	have := int64(len(f.first))
	if have >= Size || at > have || at+int64(len(p)) <= have {
		return
	}
	f.first = append(f.first, p[have-at:min(int64(len(p)), Size-at)]...)
	f.hash = hashOf(f.first)
}

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}
