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

	"github.com/flightlog/flightlog/processor/k8smetaprocessor/internal/metadata"
)

// logsProcessor adds the attributes, links the receiver's restart records to what the API
// server said about the restart, and emits k8s.container.restart records.
type logsProcessor struct {
	source *source
	next   consumer.Logs
	cancel context.CancelFunc
	done   sync.WaitGroup
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
			case ev := <-p.source.events:
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
	for _, rl := range ld.ResourceLogs().All() {
		p.source.apply(rl.Resource())
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				if ev, ok := lr.Attributes().Get(attrEventName); ok && ev.Str() == eventAppRestart {
					p.link(lr)
				}
			}
		}
	}
	return ld, nil
}

// link gives the receiver's record of a log that started over the same restart attributes
// as the k8s.container.restart record, when the API server already reported the restart.
func (p *logsProcessor) link(lr plog.LogRecord) {
	p.source.mu.Lock()
	t := p.source.termination
	p.source.mu.Unlock()
	if t != nil {
		t.describe(lr.Attributes())
	}
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
