// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"sync"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
)

// releases is the way back, from the checkpoint stage to the scheduler. The checkpoint stage
// posts every batch it is done with, durably acknowledged or given up at shutdown; the
// scheduler takes them at its next turn and frees their slots (Reader.Released) and bytes
// (outbox). The scheduler is woken for them only while a file waits for one (arm).
type releases struct {
	mu      sync.Mutex
	readers []*reader.Reader // the owner of each batch posted and not yet taken
	bytes   int64
	waiting bool // armed: the next post wakes the scheduler
	wake    chan struct{}
	out     sync.WaitGroup // batches handed to delivery and not yet posted
}

func newReleases() *releases { return &releases{wake: make(chan struct{}, 1)} }

// expect counts n batches handed to delivery.
func (r *releases) expect(n int) { r.out.Add(n) }

// post hands a batch back; delivery and the checkpoint stage are done with it.
func (r *releases) post(b *reader.Batch) {
	r.mu.Lock()
	r.readers = append(r.readers, b.Owner())
	r.bytes += int64(len(b.Raw))
	wake := r.waiting
	r.waiting = false
	r.mu.Unlock()
	r.out.Done()
	if wake {
		r.signal()
	}
}

func (r *releases) signal() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// take appends the owners of the batches posted since the last take to into, and returns
// it with their bytes.
func (r *releases) take(into []*reader.Reader) ([]*reader.Reader, int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	into = append(into, r.readers...)
	clear(r.readers)
	r.readers = r.readers[:0]
	bytes := r.bytes
	r.bytes = 0
	return into, bytes
}

// arm has the next post wake the scheduler, which is about to sleep with a file waiting for
// a release; one posted since the last take wakes it at once.
func (r *releases) arm() {
	r.mu.Lock()
	posted := len(r.readers) > 0
	r.waiting = !posted
	r.mu.Unlock()
	if posted {
		r.signal()
	}
}

// settled waits until every batch handed to delivery was posted.
func (r *releases) settled() { r.out.Wait() }
