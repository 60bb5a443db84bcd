// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"sync"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
)

// ackTracker turns out-of-order acknowledgements of one file incarnation's batches into
// the end of the contiguous acknowledged prefix: the only offset that may be checkpointed.
type ackTracker struct {
	mu      sync.Mutex
	nextSeq uint64              // sequence number the next batch gets
	low     uint64              // lowest sequence number not yet acknowledged
	done    map[uint64]ackPoint // acknowledged above low
	offset  int64               // end of the contiguous acknowledged prefix
	point   ackPoint            // the batch that ends it
	// recordedOffset was handed to the checkpoint store as generation gen.
	recordedOffset int64
	gen            uint64
	changed        chan struct{} // closed when recordedOffset moves or the tracker retires
	retired        bool          // the incarnation ended (truncated, replaced)
}

// ackPoint is where an acknowledged batch ends and the tail of the bytes before it, and
// where its file was last checked for a rewrite (the anchor) with the tail there.
type ackPoint struct {
	end      int64
	tail     fingerprint.Tail
	anchorAt int64
	anchor   fingerprint.Tail
}

func newAckTracker(offset int64) *ackTracker {
	return &ackTracker{done: map[uint64]ackPoint{}, offset: offset, point: ackPoint{end: offset}, recordedOffset: offset, changed: make(chan struct{})}
}

// register hands out the next sequence number.
func (a *ackTracker) register() uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	seq := a.nextSeq
	a.nextSeq++
	return seq
}

// ack records that batch seq, ending at p, was accepted. It returns the end of the
// contiguous acknowledged prefix and whether it moved; it does not move once the
// incarnation retired, whose checkpoint entry is then left as it was.
func (a *ackTracker) ack(seq uint64, p ackPoint) (ackPoint, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.retired {
		return a.point, false
	}
	a.done[seq] = p
	moved := false
	for {
		e, ok := a.done[a.low]
		if !ok {
			break
		}
		delete(a.done, a.low)
		a.low++
		a.offset, a.point = e.end, e
		moved = true
	}
	return a.point, moved
}

// recorded notes that offset was put into the checkpoint store as generation gen.
func (a *ackTracker) recorded(offset int64, gen uint64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.recordedOffset, a.gen = offset, gen
	close(a.changed)
	a.changed = make(chan struct{})
}

// waitRecorded waits until a checkpoint covering end was handed to the store and returns
// its generation. ok is false when the incarnation retired or ctx ended.
func (a *ackTracker) waitRecorded(ctx context.Context, end int64) (gen uint64, ok bool) {
	for {
		a.mu.Lock()
		if a.retired {
			a.mu.Unlock()
			return 0, false
		}
		if a.recordedOffset >= end {
			gen = a.gen
			a.mu.Unlock()
			return gen, true
		}
		ch := a.changed
		a.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return 0, false
		}
	}
}

// acked returns the end of the contiguous acknowledged prefix.
func (a *ackTracker) acked() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.offset
}

func (a *ackTracker) retire() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.retired {
		a.retired = true
		close(a.changed)
	}
}

func (a *ackTracker) isRetired() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.retired
}
