// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"runtime"
	"sync"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
)

// exports merges batches that are ready at the same time, of one file or of many, into
// one ConsumeLogs call, the way a database merges commits: while maxExports calls are
// under way, batches that arrive join the next call instead of each making their own.
// An idle receiver sends at once; a busy one, or one that follows many files, sends
// fewer, larger requests. Every batch learns the result of the call it rode in.
type exports struct {
	r   *durableReceiver
	sem chan struct{}

	mu   sync.Mutex
	open *exportGroup // the group new batches join; nil when none is forming
}

type exportGroup struct {
	batches []*batch
	records int
	bytes   int
	done    chan struct{}
	err     error
}

// maxExports is how many ConsumeLogs calls may be under way at once.
const maxExports = 2

func newExports(r *durableReceiver) *exports {
	return &exports{r: r, sem: make(chan struct{}, maxExports)}
}

// consume delivers b, possibly together with other batches, and returns the result.
func (e *exports) consume(ctx context.Context, b *batch) error {
	e.mu.Lock()
	g := e.open
	leader := g == nil || g.records+len(b.tokens) > e.r.cfg.Batch.MaxLines || g.bytes+len(b.raw) > int(e.r.cfg.Batch.MaxBytes)
	if leader {
		g = &exportGroup{done: make(chan struct{})}
		e.open = g
	}
	g.batches = append(g.batches, b)
	g.records += len(b.tokens)
	g.bytes += len(b.raw)
	e.mu.Unlock()

	if !leader {
		select {
		case <-g.done:
			return g.err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	// Batches keep joining while the leader waits for a free call. Files that were due at the
	// same grid point are runnable now: let them go first, so that their batches join this
	// call instead of each making its own (10 files with a line every 25 ms: 13–26 exports
	// per 6 flush_timeouts with the yield, 46–60 without).
	runtime.Gosched()
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		e.close(g)
		g.err = ctx.Err()
		close(g.done)
		return g.err
	}
	e.close(g)
	logs := e.r.builder.build(g.batches...)
	n := logs.LogRecordCount()
	obsCtx := e.r.obsrecv.StartLogsOp(ctx)
	g.err = e.r.next.ConsumeLogs(obsCtx, logs)
	e.r.obsrecv.EndLogsOp(obsCtx, metadata.Type.String(), n, g.err)
	<-e.sem
	close(g.done)
	return g.err
}

// close stops g from taking more batches.
func (e *exports) close(g *exportGroup) {
	e.mu.Lock()
	if e.open == g {
		e.open = nil
	}
	e.mu.Unlock()
}
