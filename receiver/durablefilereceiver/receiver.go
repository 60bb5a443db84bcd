// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer/matcher"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/split"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/checkpoint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/deadletter"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
)

// durableReceiver wires the stages once, at Start, each through its constructor: files
// (discover) and watch find files, the scheduler has their readers read, group and batch
// them into its outbox, delivery hands batches to the pipeline, and checkpoints records
// what was accepted and releases it back to the scheduler.
type durableReceiver struct {
	cfg       *Config
	id        component.ID
	logger    *zap.Logger
	telemetry *metadata.TelemetryBuilder
	matcher   *matcher.Matcher
	readers   reader.Settings
	// What delivery is built of at Start.
	next    consumer.Logs
	builder recordBuilder
	obsrecv *receiverhelper.ObsReport

	outbox   *outbox
	delivery *delivery
	released *releases

	store    *checkpoint.Store
	files    *files
	draining chan struct{}
	stopped  chan struct{} // the scheduler returned
	// background is the reclaimer's goroutine, if any.
	background sync.WaitGroup
	// lifetime is what the stages' goroutines run under, from Start until Shutdown ends it.
	lifetime context.Context
	end      context.CancelFunc
	running  bool // Start got as far as starting the stages' goroutines
}

func lookupEncoding(name string) (encoding.Encoding, error) {
	switch strings.ToLower(name) {
	case "", "utf-8", "utf8":
		return unicode.UTF8, nil
	}
	enc, err := ianaindex.IANA.Encoding(name)
	if err != nil {
		return nil, err
	}
	if enc == nil {
		return nil, fmt.Errorf("encoding %q is not supported", name)
	}
	return enc, nil
}

func newReceiver(set receiver.Settings, cfg *Config, next consumer.Logs) (*durableReceiver, error) {
	enc, err := lookupEncoding(cfg.Encoding)
	if err != nil {
		return nil, err
	}
	splitFunc, err := split.NewlineSplitFunc(enc, false)
	if err != nil {
		return nil, err
	}
	m, err := matcher.New(matcher.Criteria{Include: cfg.Include, Exclude: cfg.Exclude})
	if err != nil {
		return nil, err
	}
	obsrecv, err := receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{
		ReceiverID:             set.ID,
		Transport:              "file",
		ReceiverCreateSettings: set,
	})
	if err != nil {
		return nil, err
	}
	telemetry, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	rb := recordBuilder{
		resource:        cfg.Resource,
		scopeName:       metadata.ScopeName,
		scopeVersion:    set.BuildInfo.Version,
		includeFileName: cfg.IncludeFileName,
		includeFilePath: cfg.IncludeFilePath,
		containerLogs:   cfg.Format != reader.FormatPlain,
	}
	if enc != unicode.UTF8 {
		rb.encoding = enc
	}
	// What the receiver logs is about files and the pipeline, never about its own code: no
	// stack traces, also at ERROR (the collector's logger adds them from ERROR on).
	logger := set.Logger.WithOptions(zap.AddStacktrace(zapcore.FatalLevel))
	var starts []*regexp.Regexp
	for _, p := range cfg.CrashDetection.StartPatterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, err
		}
		starts = append(starts, re)
	}
	lifetime, end := context.WithCancel(context.Background())
	return &durableReceiver{
		lifetime:  lifetime,
		end:       end,
		cfg:       cfg,
		id:        set.ID,
		logger:    logger,
		telemetry: telemetry,
		matcher:   m,
		readers: reader.Settings{
			Split:        splitFunc,
			FlushPeriod:  cfg.FlushPeriod,
			MaxLogSize:   int(cfg.MaxLogSize),
			Format:       cfg.Format,
			PollInterval: cfg.PollInterval,
			Grouping: reader.GroupSettings{
				Enabled:  cfg.CrashDetection.Enabled,
				MaxLines: cfg.CrashDetection.MaxLines,
				MaxBytes: int(cfg.CrashDetection.MaxBytes),
				Starts:   starts,
			},
			Batching: reader.BatchSettings{
				MaxLines:     cfg.Batch.MaxLines,
				MaxBytes:     int(cfg.Batch.MaxBytes),
				MaxInFlight:  cfg.Batch.MaxInFlight,
				FlushTimeout: cfg.Batch.FlushTimeout,
				QuietReads:   reader.QuietReadsFor(cfg.Batch.FlushTimeout),
			},
			Recorder: cfg.Recorder.settings(),
			Logger:   logger,
		},
		next:     next,
		builder:  rb,
		obsrecv:  obsrecv,
		draining: make(chan struct{}),
		stopped:  make(chan struct{}),
	}, nil
}

func (r *durableReceiver) Start(_ context.Context, _ component.Host) error {
	store, existed, err := checkpoint.Open(checkpointFile(r.cfg.Checkpoint, r.id), checkpoint.Options{
		Fsync: r.cfg.CheckpointFsync, Interval: r.cfg.CheckpointInterval, Retry: time.Second,
	}, r.logger, checkpoint.Hooks{
		Written: func() { r.telemetry.ReceiverDurableFileCheckpointWrites.Add(context.Background(), 1) },
		Failed:  func() { r.telemetry.ReceiverDurableFileCheckpointErrors.Add(context.Background(), 1) },
	})
	switch {
	case errors.Is(err, checkpoint.ErrCorrupt):
		// Re-reading from the start duplicates; guessing a position could lose lines.
		r.logger.Error("Checkpoint is corrupt; files without a checkpoint are read from their beginning", zap.Error(err))
	case err != nil:
		return fmt.Errorf("durable_file: checkpoint: %w", err)
	}
	r.store = store
	go store.Run()

	// The stages, in the order the data flows; the way back (checkpoints -> releases ->
	// scheduler) is a message queue, so nothing is wired after it is built.
	var reclaim *reclaimer
	if r.cfg.Reclaim.Enabled {
		reclaim = newReclaimer(r.cfg.Reclaim, r.logger,
			func(n int64) { r.telemetry.ReceiverDurableFileReclaimedBytes.Add(context.Background(), n) },
			func() { r.telemetry.ReceiverDurableFileReclaimRemovedFiles.Add(context.Background(), 1) })
	}
	r.outbox = newOutbox(int64(r.cfg.Batch.MaxInFlightBytes))
	r.files = newFiles(discovery{include: r.cfg.Include, startAt: r.cfg.StartAt, maxOpen: r.cfg.MaxConcurrentFiles,
		followOutside: r.cfg.FollowSymlinksOutside, firstRun: !existed, reset: errors.Is(err, checkpoint.ErrCorrupt)},
		r.matcher, store, reclaim, r.readers, r.outbox,
		func(n int64) { r.telemetry.ReceiverDurableFileSkippedBytes.Add(context.Background(), n) }, r.logger)
	r.released = newReleases()
	r.delivery = &delivery{
		next:        r.next,
		builder:     r.builder,
		obsrecv:     r.obsrecv,
		telemetry:   r.telemetry,
		logger:      r.logger,
		retry:       r.cfg.Retry,
		maxLines:    r.cfg.Batch.MaxLines,
		maxBytes:    int(r.cfg.Batch.MaxBytes),
		checkpoints: newCheckpoints(store, reclaim, r.released),
		app:         newAppMetrics(r.telemetry),
		policy:      r.cfg.OnPermanentError,
		deadLetters: &deadletter.File{Path: componentFile(r.cfg.Checkpoint, r.id, deadletter.Suffix), MaxSize: int64(r.cfg.DeadLetter.MaxSize), Fsync: r.cfg.CheckpointFsync},
		stuck:       stuckSet{all: map[*failing]struct{}{}},
	}
	s := newScheduler(r.cfg.PollInterval, max(time.Second, 2*r.cfg.FlushPeriod, 2*r.cfg.PollInterval),
		r.files, newWatch(r.cfg.Include, r.logger), r.outbox, r.delivery, r.released, r.logger)
	if err := r.telemetry.RegisterReceiverDurableFileLagCallback(r.files.observeLag); err != nil {
		return err
	}
	if err := r.telemetry.RegisterReceiverDurableFileOpenFilesCallback(r.files.observeOpenFiles); err != nil {
		return err
	}
	if err := r.telemetry.RegisterReceiverDurableFileStuckSecondsCallback(r.delivery.observeStuck); err != nil {
		return err
	}

	ctx := r.lifetime
	r.running = true
	r.delivery.start(ctx)
	if reclaim != nil {
		r.background.Add(1)
		go func() {
			defer r.background.Done()
			reclaim.run(ctx)
		}()
	}
	s.start()
	go func() {
		defer close(r.stopped)
		s.run(ctx, r.draining)
	}()
	return nil
}

// Shutdown stops reading, lets what was read be delivered within drain_timeout, then
// cancels. Data not acknowledged by then is not checkpointed and is read again next start.
func (r *durableReceiver) Shutdown(ctx context.Context) error {
	if !r.running {
		r.end()
		r.telemetry.Shutdown()
		return nil
	}
	close(r.draining)
	done := make(chan struct{})
	go func() {
		<-r.stopped
		r.released.settled()
		close(done)
	}()
	timer := time.NewTimer(r.cfg.DrainTimeout)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		r.logger.Warn("Drain timeout reached; undelivered data will be read again on the next start", zap.Duration("drain_timeout", r.cfg.DrainTimeout))
	case <-ctx.Done():
	}
	r.end()
	<-r.stopped
	r.background.Wait()
	r.delivery.workers.Wait()
	r.delivery.abandon()
	<-done
	r.store.Close()
	r.telemetry.Shutdown()
	return nil
}
