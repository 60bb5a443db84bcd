// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"slices"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/checkpoint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
)

// checkpointIndex finds the checkpoint of a newly found file by its fingerprint. Comparing a
// file with every entry hashed its first bytes once per entry: with 5,000 files, opening them
// all was 25 million hashes and half the CPU of a listing (pprof, 5,000 files with
// max_concurrent_files 500). The index hashes a file's first bytes once per fingerprint
// length the checkpoints hold, longest first.
type checkpointIndex struct {
	entries map[string]checkpoint.Entry
	byHash  map[int]map[string][]string // fingerprint length -> hash -> checkpoint keys
	lengths []int                       // longest first
}

func newCheckpointIndex(entries map[string]checkpoint.Entry) *checkpointIndex {
	ix := &checkpointIndex{entries: entries, byHash: map[int]map[string][]string{}}
	for k, e := range entries {
		byLen := ix.byHash[e.FingerprintLen]
		if byLen == nil {
			byLen = map[string][]string{}
			ix.byHash[e.FingerprintLen] = byLen
			ix.lengths = append(ix.lengths, e.FingerprintLen)
		}
		byLen[e.Fingerprint] = append(byLen[e.Fingerprint], k)
	}
	slices.Sort(ix.lengths)
	slices.Reverse(ix.lengths)
	return ix
}

// candidates returns the checkpoints whose fingerprint is a prefix of fp, longest first:
// those fp's file may continue, if its identity agrees.
func (ix *checkpointIndex) candidates(fp fingerprint.Fingerprint) []string {
	var keys []string
	for _, n := range ix.lengths {
		if hash, ok := fp.PrefixHash(n); ok {
			keys = append(keys, ix.byHash[n][hash]...)
		}
	}
	return keys
}
