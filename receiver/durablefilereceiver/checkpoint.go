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
	durable func(*batch)
}

func (c checkpoints) acknowledge(ctx context.Context, batches []*batch) {
	updated := time.Now().Unix()
	for _, b := range batches {
		if acked, moved := b.acks.ack(b.seq, ackPoint{end: b.end, tail: b.tail, anchorAt: b.anchorAt, anchor: b.anchor}); moved {
			b.acks.recorded(acked.end, c.store.Put(b.key, checkpoint.Entry{
				Path:           b.path,
				Offset:         acked.end,
				FingerprintLen: b.fpLen,
				Fingerprint:    b.fpHash,
				Updated:        updated,
				Dev:            b.fid.dev,
				Ino:            b.fid.ino,
				Born:           b.born,
				TailLen:        acked.tail.Len,
				Tail:           acked.tail.Hash,
				Size:           b.size,
				AnchorAt:       acked.anchorAt,
				AnchorLen:      acked.anchor.Len,
				Anchor:         acked.anchor.Hash,
			}))
		}
	}
	var gen uint64
	covered := batches[:0:0]
	for _, b := range batches {
		if g, ok := b.acks.waitRecorded(ctx, b.end); ok {
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
