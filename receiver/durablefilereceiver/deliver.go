// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/deadletter"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
)

// maxExports is how many ConsumeLogs calls may be under way at once.
const maxExports = 2

// delivery offers batches to the pipeline until they are accepted, then reports the outcome
// to the checkpoint stage: acknowledge what was accepted, release what is given up. Batches that are handed over while maxExports calls are under way join one
// queued export, the way a database merges commits, of one file or of many: an idle receiver
// sends at once, a busy one, or one that follows many files, sends fewer, larger requests.
// What is in flight is bounded per file by the readers (max_in_flight batches) and across
// files by the scheduler's outbox (max_in_flight_bytes).
type delivery struct {
	next        consumer.Logs
	builder     recordBuilder
	obsrecv     *receiverhelper.ObsReport
	telemetry   *metadata.TelemetryBuilder
	logger      *zap.Logger
	retry       RetryConfig
	maxLines    int
	maxBytes    int
	checkpoints *checkpoints
	app         *appMetrics
	policy      string // on_permanent_error
	deadLetters *deadletter.File
	stuck       stuckSet

	mu      sync.Mutex
	queue   []*export // exports waiting for a call; the last one still takes batches
	wake    chan struct{}
	workers sync.WaitGroup
}

// export is what one ConsumeLogs call carries.
type export struct {
	batches []*reader.Batch
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
func (d *delivery) send(batches []*reader.Batch) {
	if len(batches) == 0 {
		return
	}
	now := time.Now()
	var records, bytes int64
	d.mu.Lock()
	for _, b := range batches {
		b.Observed = now
		records += int64(len(b.Tokens))
		bytes += b.End - b.Start
		var e *export
		if n := len(d.queue); n > 0 {
			e = d.queue[n-1]
		}
		if e == nil || e.records+len(b.Tokens) > d.maxLines || e.bytes+len(b.Raw) > d.maxBytes {
			e = &export{}
			d.queue = append(d.queue, e)
		}
		e.batches = append(e.batches, b)
		e.records += len(b.Tokens)
		e.bytes += len(b.Raw)
	}
	d.mu.Unlock()
	var held, backfilled, expired int64
	for _, b := range batches {
		d.app.count(b)
		held, backfilled, expired = held+int64(b.Held), backfilled+int64(b.Backfilled), expired+int64(b.Expired)
	}
	if held+backfilled+expired > 0 {
		d.telemetry.ReceiverDurableFileRecorderHeld.Add(context.Background(), held)
		d.telemetry.ReceiverDurableFileRecorderBackfilled.Add(context.Background(), backfilled)
		d.telemetry.ReceiverDurableFileRecorderExpired.Add(context.Background(), expired)
	}
	d.telemetry.ReceiverDurableFileRecordsRead.Add(context.Background(), records)
	d.telemetry.ReceiverDurableFileBytesRead.Add(context.Background(), bytes)
	d.signal()
}

// countExpired counts held records that a file's end dropped after its last batch.
func (d *delivery) countExpired(n int32) {
	if n > 0 {
		d.telemetry.ReceiverDurableFileRecorderExpired.Add(context.Background(), int64(n))
	}
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
		d.consume(ctx, e)
	}
}

// consume calls the pipeline until it accepts e, then has the checkpoint stage acknowledge
// e's batches. A refusal for good of some of its records (refusesRecords) goes to isolate,
// which settles e's batches one by one. When ctx ends first, the batches are released
// unacknowledged: they are read again at the next start. plog is built again for every
// attempt: a consumer may modify what it was given.
func (d *delivery) consume(ctx context.Context, e *export) {
	var f *failing
	for {
		err := d.export(ctx, e.batches)
		switch {
		case err == nil:
			if f != nil {
				f.delivered()
			}
			d.checkpoints.acknowledge(ctx, e.batches)
			return
		case ctx.Err() != nil:
			if f != nil {
				f.over()
			}
		case refusesRecords(err):
			if f != nil {
				f.over()
			}
			d.isolate(ctx, e.batches, err)
			return
		default:
			if f == nil {
				f = d.failing()
			}
			if f.wait(ctx, e.batches, err) {
				continue
			}
		}
		d.checkpoints.release(e.batches...)
		return
	}
}

// export offers batches, or views of them, to the pipeline once. Batches of records the
// flight recorder held back export nothing: they are accepted as they are.
func (d *delivery) export(ctx context.Context, batches []*reader.Batch) error {
	logs := d.builder.build(batches...)
	if logs.LogRecordCount() == 0 {
		return nil
	}
	obsCtx := d.obsrecv.StartLogsOp(ctx)
	err := d.next.ConsumeLogs(obsCtx, logs)
	d.obsrecv.EndLogsOp(obsCtx, metadata.Type.String(), logs.LogRecordCount(), err)
	return err
}

// abandon releases what no caller took before ctx ended; it is read again next start.
func (d *delivery) abandon() {
	d.mu.Lock()
	queue := d.queue
	d.queue = nil
	d.mu.Unlock()
	for _, e := range queue {
		d.checkpoints.release(e.batches...)
	}
}
