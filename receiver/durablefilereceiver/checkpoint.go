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
// every batch, also one acknowledged before an earlier batch of its file. Only then are
// their slots freed, so at most max_in_flight batches per file are ever sent but not
// durably acknowledged: the bound on what a SIGKILL can duplicate.
type checkpoints struct {
	store *checkpoint.Store
	// durable, when set, learns of each batch a durable checkpoint covers (reclaim).
	durable func(*Batch)
}

func (c checkpoints) acknowledge(ctx context.Context, batches []*Batch) {
	updated := time.Now().Unix()
	for _, b := range batches {
		if acked, moved := b.Acks.Ack(b.Seq, AckPoint{End: b.End, Tail: b.Tail, AnchorAt: b.AnchorAt, Anchor: b.Anchor}); moved {
			b.Acks.Recorded(acked.End, c.store.Put(b.Key, checkpoint.Entry{
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
			}))
		}
	}
	var gen uint64
	covered := batches[:0:0]
	for _, b := range batches {
		if g, ok := b.Acks.WaitRecorded(ctx, b.End); ok {
			gen = max(gen, g)
			if c.durable != nil {
				covered = append(covered, b)
			}
		}
	}
	// A checkpoint that cannot be written (a full or read-only volume) does not hold the
	// slots: delivery goes on, the store retries and logs, and reclaim waits for a write.
	if gen > 0 && c.store.WaitDurable(ctx, gen) == nil {
		for _, b := range covered {
			c.durable(b)
		}
	}
}
