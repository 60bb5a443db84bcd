// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"sync/atomic"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
) // outbox is the readers' sink: the batches they complete during one turn of the scheduler
// wait there, to be handed to delivery together and ride in one export. It bounds the bytes
// of batches sent and not yet released, across files (max_in_flight_bytes). Only the
// scheduler's goroutine uses it; used is atomic for the tests that watch the bound.
type outbox struct {
	batches  []*reader.Batch
	maxBytes int64
	used     atomic.Int64
}

func newOutbox(maxBytes int64) *outbox { return &outbox{maxBytes: maxBytes} }

// Send takes b unless it would pass max_in_flight_bytes. A batch may always go when nothing
// is in flight, whatever its size.
func (o *outbox) Send(b *reader.Batch) bool {
	n, used := int64(len(b.Raw)), o.used.Load()
	if used > 0 && used+n > o.maxBytes {
		return false
	}
	o.used.Store(used + n)
	o.batches = append(o.batches, b)
	return true
}

// take empties the outbox; the slice is the outbox's again at the next take.
func (o *outbox) take() []*reader.Batch {
	batches := o.batches
	o.batches = o.batches[:0]
	return batches
}

// returned gives back the bytes of batches released.
func (o *outbox) returned(n int64) { o.used.Add(-n) }
