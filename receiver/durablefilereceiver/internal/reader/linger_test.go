// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func testBatcher(flushTimeout time.Duration) *batcher {
	return &batcher{
		set:   BatchSettings{MaxLines: 10, MaxBytes: 1 << 20, MaxInFlight: 2, FlushTimeout: flushTimeout, QuietReads: QuietReadsFor(flushTimeout)},
		stamp: func(*Batch) {},
	}
}

func addLine(bt *batcher, at int64) { bt.add([]byte("x"), at, at+2, Token{Part: -1}) }

// A file whose batches left full is busy: it is read again one period later, and the period is
// half of flush_timeout when the last one filled half a batch (a fast writer's lines wait half
// as long; 50k lines/s p99 in make bench 256-419 ms -> 127-131 ms).
func TestAFileWhoseBatchesFilledUpIsReadAgainSooner(t *testing.T) {
	const ft = 200 * time.Millisecond
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	bt := testBatcher(ft)
	for i := range int64(12) { // one full batch of 10 and 2 lines open
		addLine(bt, 2*i)
	}
	assert.Len(t, bt.ready, 1)
	assert.True(t, bt.busy(), "a batch that left full counts")
	bt.linger(now)
	assert.Equal(t, now.Add(ft/2), bt.lingerAt, "half a batch or more in the period: half of flush_timeout")
	assert.Equal(t, bt.lingerAt, bt.cur.due, "what is left of the read goes with the next read")

	bt.ready, bt.cur = nil, nil
	addLine(bt, 100)
	bt.complete()
	bt.linger(now)
	assert.Equal(t, now.Add(ft), bt.lingerAt, "a small batch: one flush_timeout")
}

// A lingering file goes back to notifications after lingerFor of empty reads, and at least
// lingerQuietReads of them.
func TestALingeringFileWaitsForWritesAgainAfterLingerForOfEmptyReads(t *testing.T) {
	for _, tc := range []struct {
		flushTimeout time.Duration
		reads        int
	}{
		{200 * time.Millisecond, lingerQuietReads},
		{40 * time.Millisecond, 5},
	} {
		now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
		bt := testBatcher(tc.flushTimeout)
		addLine(bt, 0)
		bt.complete()
		bt.linger(now)
		reads := 0
		for !bt.lingerAt.IsZero() {
			now = bt.lingerAt
			bt.quietRead(now)
			reads++
		}
		assert.Equal(t, tc.reads, reads, "flush_timeout %s", tc.flushTimeout)
	}
}
