// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/checkpoint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
)

// checkpointFile names the checkpoint after the component ID, so that several
// durable_file receivers can share one directory.
func checkpointFile(dir string, id component.ID) string { return componentFile(dir, id, ".checkpoint") }

// componentFile names a file of the component's in dir: its ID, then suffix.
func componentFile(dir string, id component.ID, suffix string) string {
	return filepath.Join(dir, strings.ReplaceAll(id.String(), "/", "_")+suffix)
}

// checkpoints is the last stage: for batches the pipeline accepted, it records the end of
// each file's contiguous acknowledged prefix and waits until a checkpoint on disk covers
// every batch, also one acknowledged before an earlier batch of its file. Only then does it
// release them to the scheduler, so at most max_in_flight batches per file are ever sent
// but not durably acknowledged: the bound on what a SIGKILL can duplicate.
type checkpoints struct {
	store *checkpoint.Store
	// reclaim, when enabled, learns of each batch a durable checkpoint covers.
	reclaim  *reclaimer
	released *releases
}

func newCheckpoints(store *checkpoint.Store, reclaim *reclaimer, released *releases) *checkpoints {
	return &checkpoints{store: store, reclaim: reclaim, released: released}
}

// acknowledge records batches the pipeline accepted, then releases them.
func (c *checkpoints) acknowledge(ctx context.Context, batches []*reader.Batch) {
	updated := time.Now().Unix()
	for _, b := range batches {
		b.Acks.Ack(b.Seq, reader.AckPoint{End: b.End, Tail: b.Tail, AnchorAt: b.AnchorAt, Anchor: b.Anchor, Window: b.Window}, func(acked reader.AckPoint) uint64 {
			return c.store.Put(b.Key, checkpoint.Entry{
				Path:           b.Path,
				Offset:         acked.End,
				FingerprintLen: b.FPLen,
				Fingerprint:    b.FPHash,
				Updated:        updated,
				Dev:            b.File.Dev,
				Ino:            b.File.Ino,
				Born:           b.Born,
				TailLen:        acked.Tail.Len,
				Tail:           acked.Tail.Hash,
				Size:           b.Size,
				AnchorAt:       acked.AnchorAt,
				AnchorLen:      acked.Anchor.Len,
				Anchor:         acked.Anchor.Hash,
				WindowBytes:    acked.End - acked.Window.Start,
				ShipUntil:      acked.Window.ShipUntil,
				TriggerAt:      acked.Window.TriggerAt,
			})
		})
	}
	var gen uint64
	covered := batches[:0:0]
	for _, b := range batches {
		if g, ok := b.Acks.WaitRecorded(ctx, b.End); ok {
			gen = max(gen, g)
			if c.reclaim != nil {
				covered = append(covered, b)
			}
		}
	}
	// A checkpoint that cannot be written (a full or read-only volume) does not hold the
	// slots: delivery goes on, the store retries and logs, and reclaim waits for a write.
	if gen > 0 && c.store.WaitDurable(ctx, gen) == nil {
		for _, b := range covered {
			c.reclaim.durable(b)
		}
	}
	c.release(batches...)
}

// release hands batches back to the scheduler, acknowledged or not (given up at shutdown:
// they are read again at the next start), and recycles them.
func (c *checkpoints) release(batches ...*reader.Batch) {
	for _, b := range batches {
		c.released.post(b)
		reader.Recycle(b)
	}
}
