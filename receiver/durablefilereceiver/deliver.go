// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v5"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
)

// maxExports is how many ConsumeLogs calls may be under way at once.
const maxExports = 2

// delivery offers batches to the pipeline until they are accepted, then hands them to the
// ack stage. Batches that are handed over while maxExports calls are under way join one
// queued export, the way a database merges commits, of one file or of many: an idle receiver
// sends at once, a busy one, or one that follows many files, sends fewer, larger requests.
// What is in flight is bounded per file by the readers (max_in_flight batches) and across
// files by budget (max_in_flight_bytes).
type delivery struct {
	next        consumer.Logs
	builder     recordBuilder
	obsrecv     *receiverhelper.ObsReport
	telemetry   *metadata.TelemetryBuilder
	logger      *zap.Logger
	retry       RetryConfig
	maxLines    int
	maxBytes    int
	acknowledge func(context.Context, []*batch) // the ack stage
	budget      budget

	mu      sync.Mutex
	queue   []*export // exports waiting for a call; the last one still takes batches
	wake    chan struct{}
	pending sync.WaitGroup // batches handed over and not yet released
	workers sync.WaitGroup
}

// export is what one ConsumeLogs call carries.
type export struct {
	batches []*batch
	records int
	bytes   int
}

// start runs the callers until ctx ends.
func (d *delivery) start(ctx context.Context) {
	d.wake = make(chan struct{}, 1)
	for range maxExports {
		d.workers.Add(1)
		go d.work(ctx)
	}
}

// send queues the batches of one scheduler turn.
func (d *delivery) send(batches []*batch) {
	if len(batches) == 0 {
		return
	}
	now := time.Now()
	var records, bytes int64
	d.mu.Lock()
	for _, b := range batches {
		b.observed = now
		d.pending.Add(1)
		records += int64(len(b.tokens))
		bytes += b.end - b.start
		var e *export
		if n := len(d.queue); n > 0 {
			e = d.queue[n-1]
		}
		if e == nil || e.records+len(b.tokens) > d.maxLines || e.bytes+len(b.raw) > d.maxBytes {
			e = &export{}
			d.queue = append(d.queue, e)
		}
		e.batches = append(e.batches, b)
		e.records += len(b.tokens)
		e.bytes += len(b.raw)
	}
	d.mu.Unlock()
	d.telemetry.ReceiverDurableFileRecordsRead.Add(context.Background(), records)
	d.telemetry.ReceiverDurableFileBytesRead.Add(context.Background(), bytes)
	d.signal()
}

func (d *delivery) signal() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *delivery) work(ctx context.Context) {
	defer d.workers.Done()
	for {
		d.mu.Lock()
		var e *export
		if len(d.queue) > 0 {
			e = d.queue[0]
			d.queue[0] = nil
			d.queue = d.queue[1:]
		}
		more := len(d.queue) > 0
		d.mu.Unlock()
		if more {
			d.signal() // for the other caller
		}
		if e == nil {
			select {
			case <-d.wake:
				continue
			case <-ctx.Done():
				return
			}
		}
		if d.consume(ctx, e) {
			d.acknowledge(ctx, e.batches)
		}
		d.done(e)
	}
}

// done frees the slots and bytes of e's batches and recycles them.
func (d *delivery) done(e *export) {
	for _, b := range e.batches {
		d.budget.give(len(b.raw))
		b.release()
		recycle(b)
		d.pending.Done()
	}
}

// abandon releases what no caller took before ctx ended; it is read again next start.
func (d *delivery) abandon() {
	d.mu.Lock()
	queue := d.queue
	d.queue = nil
	d.mu.Unlock()
	for _, e := range queue {
		d.done(e)
	}
}

// consume calls the pipeline until it accepts e; false when ctx ended first. plog is built
// again for every attempt: a consumer may modify what it was given.
func (d *delivery) consume(ctx context.Context, e *export) bool {
	var bo *backoff.ExponentialBackOff
	for attempt := 1; ; attempt++ {
		logs := d.builder.build(e.batches...)
		n := logs.LogRecordCount()
		obsCtx := d.obsrecv.StartLogsOp(ctx)
		err := d.next.ConsumeLogs(obsCtx, logs)
		d.obsrecv.EndLogsOp(obsCtx, metadata.Type.String(), n, err)
		if err == nil {
			if attempt > 1 {
				d.logger.Info("Batch delivered after retries", zap.String("path", e.batches[0].path), zap.Int("attempts", attempt))
			}
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		d.telemetry.ReceiverDurableFileDeliveryRetries.Add(ctx, 1)
		if bo == nil {
			d.logger.Warn("Pipeline refused a batch; retrying until it is accepted (reading of a file pauses while max_in_flight of its batches wait)",
				zap.String("path", e.batches[0].path), zap.Int("records", n), zap.Error(err))
			bo = backoff.NewExponentialBackOff()
			bo.InitialInterval = d.retry.InitialInterval
			bo.MaxInterval = d.retry.MaxInterval
		}
		select {
		case <-time.After(bo.NextBackOff()):
		case <-ctx.Done():
			return false
		}
	}
}

// budget bounds the bytes of batches sent and not yet done with, across files. The scheduler
// takes from it before a reader sends; delivery gives back and wakes the scheduler when a
// reader waits for it.
type budget struct {
	max     int64
	used    atomic.Int64
	waiting atomic.Bool
	wake    func()
}

// take reserves n bytes. A batch may always go when nothing is in flight, whatever its size.
func (b *budget) take(n int) bool {
	for {
		used := b.used.Load()
		if used == 0 || used+int64(n) <= b.max {
			b.used.Add(int64(n))
			return true
		}
		b.waiting.Store(true)
		if b.used.Load() == used {
			return false // a give from now on sees waiting and wakes the scheduler
		}
	}
}

func (b *budget) give(n int) {
	b.used.Add(-int64(n))
	if b.waiting.Swap(false) {
		b.wake()
	}
}
