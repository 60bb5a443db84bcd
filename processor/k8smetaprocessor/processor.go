// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor // import "github.com/flightlog/flightlog/processor/k8smetaprocessor"

import (
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"

	"github.com/flightlog/flightlog/internal/restartevent"
	"github.com/flightlog/flightlog/processor/k8smetaprocessor/internal/metadata"
)

// logsProcessor adds the attributes, links the receiver's restart records to what the API
// server said about the restart, and emits k8s.container.restart records.
type logsProcessor struct {
	source   *source
	restarts restartLabels
	next     consumer.Logs
	cancel   context.CancelFunc
	done     sync.WaitGroup
}

func (p *logsProcessor) start(ctx context.Context, host component.Host) error {
	if err := p.source.start(ctx, host); err != nil {
		return err
	}
	loopCtx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		for {
			select {
			case ev := <-p.source.restartEvents():
				p.emit(loopCtx, ev)
			case <-loopCtx.Done():
				return
			}
		}
	}()
	return nil
}

func (p *logsProcessor) shutdown(ctx context.Context) error {
	if p.cancel != nil {
		p.cancel()
		p.done.Wait()
	}
	return p.source.shutdown(ctx)
}

func (p *logsProcessor) process(_ context.Context, ld plog.Logs) (plog.Logs, error) {
	t := p.source.lastTermination()
	for _, rl := range ld.ResourceLogs().All() {
		p.source.apply(rl.Resource())
		if t == nil {
			continue // no restart reported yet: no record to link, no reason to look at records
		}
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				// The receiver's record of a log that started over gets the attributes of the
				// restart the API server reported.
				if ev, ok := lr.Attributes().Get(restartevent.AttrEventName); ok && ev.Str() == restartevent.Name {
					t.describe(lr.Attributes())
				}
			}
		}
	}
	return ld, nil
}

// emit delivers a restart record, retrying until the pipeline takes it or shutdown: it
// exists nowhere else.
func (p *logsProcessor) emit(ctx context.Context, ev restartEvent) {
	backoff := 100 * time.Millisecond
	for {
		ld := plog.NewLogs()
		rl := ld.ResourceLogs().AppendEmpty()
		p.source.apply(rl.Resource())
		sl := rl.ScopeLogs().AppendEmpty()
		sl.Scope().SetName(metadata.ScopeName)
		ev.record(sl.LogRecords().AppendEmpty(), time.Now())
		err := p.next.ConsumeLogs(ctx, ld)
		if err == nil {
			p.source.telemetry.ProcessorK8sMetaEventsEmitted.Add(ctx, 1)
			p.source.telemetry.ProcessorK8sMetaRestarts.Add(ctx, 1, p.restarts.of(ev.termination))
			return
		}
		p.source.logger.Warn("Restart record refused; retrying", zap.String("container", ev.container), zap.Error(err))
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}
