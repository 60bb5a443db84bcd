// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"
)

// stuckReport is how often a delivery the pipeline keeps refusing is logged again, as an
// ERROR naming its files and byte ranges, how long, and the backend's last answer.
const stuckReport = time.Minute

// The one retry loop between a file and the backend is this one: the shipped configurations
// turn the exporters' retry_on_failure off, so a refusal comes straight back here and
// retry.max_interval is the longest wait. Each refused attempt counts in delivery_retries.

// failing is one delivery that the pipeline refuses: its backoff, since when, and when it
// was last reported.
type failing struct {
	d        *delivery
	bo       *backoff.ExponentialBackOff
	since    time.Time
	reported time.Time
	attempts int
}

// stuckSet is the deliveries being retried, for the stuck_seconds gauge.
type stuckSet struct {
	mu  sync.Mutex
	all map[*failing]struct{}
}

// failing starts the retry state of a delivery that was just refused.
func (d *delivery) failing() *failing {
	bo := backoff.NewExponentialBackOff()
	bo.InitialInterval = d.retry.InitialInterval
	bo.MaxInterval = d.retry.MaxInterval
	f := &failing{d: d, bo: bo, since: time.Now()}
	d.stuck.mu.Lock()
	d.stuck.all[f] = struct{}{}
	d.stuck.mu.Unlock()
	return f
}

// wait records that the pipeline refused batches with err, reports it (a warning the first
// time, then an ERROR every stuckReport), and waits out the backoff. False: ctx ended first.
func (f *failing) wait(ctx context.Context, batches []*reader.Batch, err error) bool {
	d := f.d
	f.attempts++
	d.telemetry.ReceiverDurableFileDeliveryRetries.Add(ctx, 1)
	now := time.Now()
	switch {
	case f.attempts == 1:
		d.logger.Warn("The pipeline refused a delivery; it is retried until it is accepted (reading of a file pauses while max_in_flight of its batches wait)",
			zap.Strings("ranges", ranges(batches)), zap.String("answer", err.Error()))
		f.reported = now
	case now.Sub(f.reported) >= stuckReport:
		d.logger.Error("Delivery is stuck: the pipeline keeps refusing these bytes",
			zap.Strings("ranges", ranges(batches)), zap.Duration("stuck_for", now.Sub(f.since).Truncate(time.Second)),
			zap.Int("attempts", f.attempts), zap.String("answer", err.Error()))
		f.reported = now
	}
	select {
	case <-time.After(f.bo.NextBackOff()):
		return true
	case <-ctx.Done():
		f.over()
		return false
	}
}

// over ends the retry state: the delivery was accepted, settled otherwise, or ctx ended.
func (f *failing) over() {
	f.d.stuck.mu.Lock()
	delete(f.d.stuck.all, f)
	f.d.stuck.mu.Unlock()
}

// delivered ends the retry state of a delivery the pipeline accepted at last.
func (f *failing) delivered() {
	f.over()
	f.d.logger.Info("A refused delivery went through", zap.Int("attempts", f.attempts+1),
		zap.Duration("after", time.Since(f.since).Truncate(time.Millisecond)))
}

// observeStuck is the stuck_seconds gauge: how long the longest refused delivery has been
// retried, 0 when none is.
func (d *delivery) observeStuck(_ context.Context, o metric.Int64Observer) error {
	var longest time.Duration
	d.stuck.mu.Lock()
	for f := range d.stuck.all {
		longest = max(longest, time.Since(f.since))
	}
	d.stuck.mu.Unlock()
	o.Observe(int64(longest.Seconds()))
	return nil
}

// ranges names the files and byte ranges that batches cover, one "path [from, to)" per file.
func ranges(batches []*reader.Batch) []string {
	type span struct{ from, to int64 }
	byPath := map[string]span{}
	for _, b := range batches {
		s, ok := byPath[b.Path]
		if !ok {
			s = span{b.Start, b.End}
		}
		byPath[b.Path] = span{min(s.from, b.Start), max(s.to, b.End)}
	}
	out := make([]string, 0, len(byPath))
	for p, s := range byPath {
		out = append(out, fmt.Sprintf("%s [%d, %d)", p, s.from, s.to))
	}
	sort.Strings(out)
	return out
}
