// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"context"
	"sync"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
)

// Acks turns out-of-order acknowledgements of one file incarnation's batches into
// the end of the contiguous acknowledged prefix: the only offset that may be checkpointed.
type Acks struct {
	mu      sync.Mutex
	nextSeq uint64              // sequence number the next batch gets
	low     uint64              // lowest sequence number not yet acknowledged
	done    map[uint64]AckPoint // acknowledged above low
	offset  int64               // end of the contiguous acknowledged prefix
	point   AckPoint            // the batch that ends it
	// recordedOffset was handed to the checkpoint store as generation gen.
	recordedOffset int64
	gen            uint64
	changed        chan struct{} // closed when recordedOffset moves or the tracker retires
	retired        bool          // the incarnation ended (truncated, replaced)
}

// AckPoint is where an acknowledged batch ends and the tail of the bytes before it, where
// its file was last checked for a rewrite (the anchor) with the tail there, and the flight
// recorder's window at its end.
type AckPoint struct {
	End      int64
	Tail     fingerprint.Tail
	AnchorAt int64
	Anchor   fingerprint.Tail
	Window   Window
}

func NewAcks(offset int64) *Acks {
	return &Acks{done: map[uint64]AckPoint{}, offset: offset, point: AckPoint{End: offset}, recordedOffset: offset, changed: make(chan struct{})}
}

// register hands out the next sequence number.
func (a *Acks) register() uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	seq := a.nextSeq
	a.nextSeq++
	return seq
}

// Ack records that batch seq, ending at p, was accepted. When the contiguous acknowledged
// prefix moves, record puts its new end into the checkpoint store and returns the store's
// generation, under the tracker's lock, so that two delivery callers acknowledging batches
// of one file at once put and record its prefix in order. (Recorded after the lock, a later
// prefix could be recorded before an earlier one and move the recorded offset back: the
// caller waiting for the later end then waited for the file's next acknowledgement, forever
// once the file went quiet, and the store's entry moved back, too.) It returns the end of
// the prefix and whether it moved; it does not move once the incarnation retired, whose
// checkpoint entry is then left as it was.
func (a *Acks) Ack(seq uint64, p AckPoint, record func(AckPoint) uint64) (AckPoint, bool) {
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
		a.offset, a.point = e.End, e
		moved = true
	}
	if moved {
		a.recordedOffset, a.gen = a.offset, record(a.point)
		close(a.changed)
		a.changed = make(chan struct{})
	}
	return a.point, moved
}

// WaitRecorded waits until a checkpoint covering end was handed to the store and returns
// its generation. ok is false when the incarnation retired or ctx ended.
func (a *Acks) WaitRecorded(ctx context.Context, end int64) (gen uint64, ok bool) {
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

// Acked returns the end of the contiguous acknowledged prefix.
func (a *Acks) Acked() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.offset
}

func (a *Acks) retire() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.retired {
		a.retired = true
		close(a.changed)
	}
}

func (a *Acks) IsRetired() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.retired
}
