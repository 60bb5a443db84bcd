// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/cenkalti/backoff/v5"
	"github.com/fsnotify/fsnotify"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer/matcher"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/split"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/checkpoint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
)

// entryRetention is how long the checkpoint of a file that is no longer open is kept, so
// that a file which comes back (a rotated copy, a volume remounted) resumes instead of
// being read again.
const entryRetention = time.Hour

type fileID struct{ dev, ino uint64 }

func fileIDOf(info os.FileInfo) fileID {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return fileID{dev: uint64(st.Dev), ino: st.Ino} //nolint:unconvert // Dev is not uint64 on every platform
	}
	return fileID{}
}

type durableReceiver struct {
	cfg       *Config
	id        component.ID
	logger    *zap.Logger
	next      consumer.Logs
	obsrecv   *receiverhelper.ObsReport
	telemetry *metadata.TelemetryBuilder
	builder   recordBuilder
	splitFunc bufio.SplitFunc
	matcher   *matcher.Matcher
	// startPatterns are crash_detection.start_patterns, compiled.
	startPatterns []*regexp.Regexp
	exports       *exports

	store    *checkpoint.Store
	firstRun bool
	keySeq   atomic.Uint64

	mu      sync.Mutex
	readers map[fileID]*reader
	bound   map[string]bool
	byPath  map[string][]*reader
	warned  map[string]string
	watched map[string]bool
	watcher *fsnotify.Watcher
	// watchesStale is set when a reader starts, ends or follows a rename: only then are the
	// watched directories worked out again (with a symlink lookup per file, 6 % of the CPU
	// with 20 files when it ran on every listing).
	watchesStale atomic.Bool

	scanNow chan struct{}
	// running counts reader goroutines and listening those of them waiting for a write;
	// listen tells the watch loop that one started waiting or that none runs.
	running    atomic.Int32
	listening  atomic.Int32
	listen     chan struct{}
	draining   chan struct{}
	runCtx     context.Context
	cancel     context.CancelFunc
	loops      sync.WaitGroup
	readersWG  sync.WaitGroup
	deliveries sync.WaitGroup
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
	}
	if enc != unicode.UTF8 {
		rb.encoding = enc
	}
	var starts []*regexp.Regexp
	for _, p := range cfg.CrashDetection.StartPatterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, err
		}
		starts = append(starts, re)
	}
	r := &durableReceiver{
		cfg:           cfg,
		id:            set.ID,
		logger:        set.Logger,
		next:          next,
		obsrecv:       obsrecv,
		telemetry:     telemetry,
		builder:       rb,
		splitFunc:     splitFunc,
		matcher:       m,
		startPatterns: starts,
		readers:       map[fileID]*reader{},
		bound:         map[string]bool{},
		byPath:        map[string][]*reader{},
		warned:        map[string]string{},
		watched:       map[string]bool{},
		scanNow:       make(chan struct{}, 1),
		listen:        make(chan struct{}, 1),
		draining:      make(chan struct{}),
	}
	r.exports = newExports(r)
	r.watchesStale.Store(true)
	return r, nil
}

// checkpointFile names the checkpoint after the component ID, so that several
// durable_file receivers can share one directory.
func checkpointFile(dir string, id component.ID) string {
	return filepath.Join(dir, strings.ReplaceAll(id.String(), "/", "_")+".checkpoint")
}

func (r *durableReceiver) Start(_ context.Context, _ component.Host) error {
	if err := r.telemetry.RegisterReceiverDurableFileLagCallback(r.observeLag); err != nil {
		return err
	}
	if err := r.telemetry.RegisterReceiverDurableFileOpenFilesCallback(r.observeOpenFiles); err != nil {
		return err
	}
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
		return fmt.Errorf("durable_file: %w", err)
	}
	r.store = store
	r.firstRun = !existed
	go store.Run()

	r.runCtx, r.cancel = context.WithCancel(context.Background())
	if w, werr := fsnotify.NewWatcher(); werr != nil {
		r.logger.Warn("File notifications unavailable; relying on polling", zap.Error(werr))
	} else {
		r.watcher = w
		r.loops.Add(1)
		go r.watchLoop()
	}
	r.scan(true)
	r.loops.Add(1)
	go r.scanLoop()
	return nil
}

// Shutdown stops reading, lets what was read be delivered within drain_timeout, then
// cancels. Data not acknowledged by then is not checkpointed and is read again next start.
func (r *durableReceiver) Shutdown(ctx context.Context) error {
	if r.cancel == nil {
		r.telemetry.Shutdown()
		return nil
	}
	close(r.draining)
	r.loops.Wait()
	done := make(chan struct{})
	go func() {
		r.readersWG.Wait()
		r.deliveries.Wait()
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
	r.cancel()
	<-done
	r.store.Close()
	r.telemetry.Shutdown()
	return nil
}

func (r *durableReceiver) orphanGrace() time.Duration {
	return max(time.Second, 2*r.cfg.FlushPeriod, 2*r.cfg.PollInterval)
}

func (r *durableReceiver) newKey(fid fileID) string {
	return fmt.Sprintf("%x-%x-%x-%x", fid.dev, fid.ino, time.Now().UnixNano(), r.keySeq.Add(1))
}

func (r *durableReceiver) bindKey(key string) {
	r.mu.Lock()
	r.bound[key] = true
	r.mu.Unlock()
}

func (r *durableReceiver) releaseKey(key string) {
	r.mu.Lock()
	delete(r.bound, key)
	r.mu.Unlock()
}

// deliver offers a batch to the pipeline until it is accepted, then checkpoints the end
// of the contiguous accepted prefix and waits until that checkpoint is on disk before it
// frees the batch's slot: so at most max_in_flight batches per file are ever sent but not
// durably acknowledged, which bounds what a SIGKILL can duplicate.
func (r *durableReceiver) deliver(rd *reader, b *batch) {
	defer r.deliveries.Done()
	defer func() { <-rd.slots }()
	ctx := r.runCtx
	bo := backoff.NewExponentialBackOff()
	bo.InitialInterval = r.cfg.Retry.InitialInterval
	bo.MaxInterval = r.cfg.Retry.MaxInterval
	for attempt := 1; ; attempt++ {
		err := r.exports.consume(ctx, b)
		if err == nil {
			if attempt > 1 {
				r.logger.Info("Batch delivered after retries", zap.String("path", b.path), zap.Int("attempts", attempt))
			}
			break
		}
		if ctx.Err() != nil {
			return
		}
		r.telemetry.ReceiverDurableFileDeliveryRetries.Add(ctx, 1)
		if attempt == 1 {
			r.logger.Warn("Pipeline refused a batch; retrying until it is accepted (reading of this file pauses)",
				zap.String("path", b.path), zap.Int("records", len(b.tokens)), zap.Error(err))
		}
		select {
		case <-time.After(bo.NextBackOff()):
		case <-ctx.Done():
			return
		}
	}
	// Free the slot only once a durable checkpoint covers this batch, also when it was
	// acknowledged before an earlier batch of the same file.
	rd.mu.Lock()
	if offset, moved := b.acks.ack(b.seq, b.end); moved && rd.acks == b.acks {
		rd.acked.Store(offset)
		b.acks.recorded(offset, r.store.Put(rd.key, rd.entryLocked(offset)))
	}
	rd.mu.Unlock()
	if gen, ok := b.acks.waitRecorded(ctx, b.end); ok {
		_ = r.store.WaitDurable(ctx, gen)
	}
}

func (r *durableReceiver) scanLoop() {
	defer r.loops.Done()
	timer := time.NewTimer(time.Until(r.nextPoll(time.Now())))
	defer timer.Stop()
	for {
		select {
		case <-timer.C:
			timer.Reset(time.Until(r.nextPoll(time.Now())))
			r.scan(false)
			r.pokeAll()
		case <-r.scanNow:
			r.scan(false)
		case <-r.draining:
			return
		}
	}
}

func (r *durableReceiver) requestScan() {
	select {
	case r.scanNow <- struct{}{}:
	default:
	}
}

// signalListen wakes the watch loop if it paused.
func (r *durableReceiver) signalListen() {
	select {
	case r.listen <- struct{}{}:
	default:
	}
}

func (r *durableReceiver) watchLoop() {
	defer r.loops.Done()
	defer r.watcher.Close()
	for {
		events := r.watcher.Events
		if r.running.Load() > 0 && r.listening.Load() == 0 {
			// Every reader has a batch open and reads when it is due: leave notifications
			// in the kernel, which merges repeated writes to a file into one, until a reader
			// waits for them. Handling one per write cost more than the rest of the work at
			// 10k lines/s written line by line; new files are found by the scan meanwhile.
			events = nil
		}
		select {
		case <-r.listen:
		case ev, ok := <-events:
			if !ok {
				return
			}
			if !r.pokePath(ev.Name) || ev.Has(fsnotify.Create) || ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
				r.requestScan()
			}
		case err, ok := <-r.watcher.Errors:
			if !ok {
				return
			}
			// Overflow or a watch error: fall back to a full look.
			r.logger.Debug("File notification error", zap.Error(err))
			r.requestScan()
			r.pokeAll()
		case <-r.draining:
			return
		}
	}
}

// pokePath wakes the readers of p and reports whether there were any.
func (r *durableReceiver) pokePath(p string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rd := range r.byPath[p] {
		rd.poke()
	}
	return len(r.byPath[p]) > 0
}

func (r *durableReceiver) pokeAll() {
	r.mu.Lock()
	for _, rd := range r.readers {
		rd.poke()
	}
	r.mu.Unlock()
}

// warnOnce logs a problem with one path once until it changes.
func (r *durableReceiver) warnOnce(p, msg string, err error) {
	r.mu.Lock()
	text := msg + ": " + err.Error()
	repeated := r.warned[p] == text
	r.warned[p] = text
	r.mu.Unlock()
	if !repeated {
		r.logger.Warn(msg, zap.String("path", p), zap.Error(err))
	}
}

// scan lists matching files, starts readers for new ones and marks readers whose file
// left the include set. initial is the scan at start, where start_at applies.
func (r *durableReceiver) scan(initial bool) {
	paths, err := r.matcher.MatchFiles()
	if err != nil && len(paths) == 0 {
		r.logger.Debug("No files match", zap.Error(err))
	}
	seen := make(map[fileID]bool, len(paths))
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			r.warnOnce(p, "Cannot stat file", err)
			continue
		}
		// An empty file has nothing to read, and a file that is still being created
		// (a rotated copy) cannot be matched to its checkpoint yet.
		if !info.Mode().IsRegular() || info.Size() == 0 {
			continue
		}
		fid := fileIDOf(info)
		seen[fid] = true
		r.mu.Lock()
		rd := r.readers[fid]
		r.mu.Unlock()
		if rd != nil {
			if rd.currentPath() != p {
				rd.setPath(p)
				r.watchesStale.Store(true)
			}
			continue
		}
		r.open(p, fid, initial)
	}
	r.mu.Lock()
	for fid, rd := range r.readers {
		if !seen[fid] && !rd.orphaned.Load() {
			rd.orphaned.Store(true)
			rd.poke()
		}
	}
	r.mu.Unlock()
	if r.watchesStale.Swap(false) {
		r.refreshWatches()
	}
	r.pruneEntries()
}

func (r *durableReceiver) open(p string, fid fileID, initial bool) {
	f, err := os.Open(p)
	if err != nil {
		r.warnOnce(p, "Cannot open file; will retry", err)
		return
	}
	info, err := f.Stat()
	if err != nil {
		_ = f.Close()
		r.warnOnce(p, "Cannot stat file; will retry", err)
		return
	}
	head := make([]byte, min(info.Size(), fingerprint.Size))
	n, _ := f.ReadAt(head, 0)
	fp := fingerprint.New(head[:n])
	offset, key, ok := r.startPosition(fid, fp, info.Size(), initial)
	if !ok {
		_ = f.Close()
		return
	}
	rd := newReader(r, f, fid, p, key, offset)
	rd.fp = fp
	r.mu.Lock()
	delete(r.warned, p)
	r.bound[key] = true
	r.readers[fid] = rd
	r.watchesStale.Store(true)
	r.readersWG.Add(1)
	r.running.Add(1)
	r.mu.Unlock()
	r.logger.Debug("Started reading file", zap.String("path", p), zap.Int64("offset", offset))
	go func() {
		defer r.readersWG.Done()
		defer func() {
			if r.running.Add(-1) == 0 {
				r.signalListen()
			}
		}()
		rd.run(r.runCtx, r.draining)
		r.mu.Lock()
		if r.readers[fid] == rd {
			delete(r.readers, fid)
			r.watchesStale.Store(true)
		}
		rd.mu.Lock()
		delete(r.bound, rd.key)
		rd.mu.Unlock()
		r.mu.Unlock()
	}()
}

// startPosition decides where a newly found file is read from and which checkpoint key
// it continues. ok is false when the file should be looked at again later.
func (r *durableReceiver) startPosition(fid fileID, fp fingerprint.Fingerprint, size int64, initial bool) (offset int64, key string, ok bool) {
	if fp.Len() > 0 {
		// A checkpoint of this file from an earlier run or incarnation; the longest
		// fingerprint that matches wins.
		best, bestLen := "", 0
		var bestEntry checkpoint.Entry
		r.mu.Lock()
		bound := make(map[string]bool, len(r.bound))
		for k := range r.bound {
			bound[k] = true
		}
		r.mu.Unlock()
		for k, e := range r.store.Entries() {
			if bound[k] || e.FingerprintLen < bestLen {
				continue
			}
			if fp.HasPrefixHash(e.FingerprintLen, e.Fingerprint) {
				best, bestLen, bestEntry = k, e.FingerprintLen, e
			}
		}
		if best != "" {
			if bestEntry.Offset > size {
				// Shorter than what was acknowledged: it was truncated while we were away.
				return 0, best, true
			}
			return bestEntry.Offset, best, true
		}
		// A copy of a file being read (copytruncate's rotated file, seen before the
		// original was truncated): resume where the original stands, once the copy
		// has got that far.
		if offset, found := r.copyOffset(fp); found {
			return offset, r.newKey(fid), offset <= size
		}
	}
	if initial && r.firstRun && r.cfg.StartAt == startAtEnd {
		return size, r.newKey(fid), true
	}
	return 0, r.newKey(fid), true
}

func (r *durableReceiver) copyOffset(fp fingerprint.Fingerprint) (int64, bool) {
	r.mu.Lock()
	readers := make([]*reader, 0, len(r.readers))
	for _, rd := range r.readers {
		readers = append(readers, rd)
	}
	r.mu.Unlock()
	for _, rd := range readers {
		rd.mu.Lock()
		match := fp.StartsWith(rd.fp)
		acks := rd.acks
		rd.mu.Unlock()
		if match {
			return acks.acked(), true
		}
	}
	return 0, false
}

// refreshWatches watches the directories of open files (and of their symlink targets, as
// in /var/log/containers -> /var/log/pods) and the fixed base of each include pattern.
func (r *durableReceiver) refreshWatches() {
	if r.watcher == nil {
		return
	}
	r.mu.Lock()
	byPath := make(map[string][]*reader, 2*len(r.readers))
	dirs := map[string]bool{}
	for _, rd := range r.readers {
		p := rd.currentPath()
		byPath[p] = append(byPath[p], rd)
		dirs[filepath.Dir(p)] = true
		if real, err := filepath.EvalSymlinks(p); err == nil && real != p {
			byPath[real] = append(byPath[real], rd)
			dirs[filepath.Dir(real)] = true
		}
	}
	r.byPath = byPath
	for _, pattern := range r.cfg.Include {
		base, _ := doublestar.SplitPattern(filepath.ToSlash(pattern))
		dirs[filepath.FromSlash(base)] = true
	}
	var add []string
	for d := range dirs {
		if !r.watched[d] {
			add = append(add, d)
		}
	}
	r.mu.Unlock()
	for _, d := range add {
		if err := r.watcher.Add(d); err != nil {
			r.logger.Debug("Cannot watch directory; polling covers it", zap.String("dir", d), zap.Error(err))
			continue
		}
		r.mu.Lock()
		r.watched[d] = true
		r.mu.Unlock()
	}
}

// pruneEntries forgets checkpoints of files not open for longer than entryRetention.
func (r *durableReceiver) pruneEntries() {
	cutoff := time.Now().Add(-entryRetention).Unix()
	r.mu.Lock()
	var stale []string
	for k, e := range r.store.Entries() {
		if !r.bound[k] && e.Updated < cutoff {
			stale = append(stale, k)
		}
	}
	r.mu.Unlock()
	for _, k := range stale {
		r.store.Delete(k)
	}
}

func (r *durableReceiver) observeLag(_ context.Context, o metric.Int64Observer) error {
	var lag int64
	r.mu.Lock()
	for _, rd := range r.readers {
		lag += max(0, rd.size.Load()-rd.acked.Load())
	}
	r.mu.Unlock()
	o.Observe(lag)
	return nil
}

func (r *durableReceiver) observeOpenFiles(_ context.Context, o metric.Int64Observer) error {
	r.mu.Lock()
	n := len(r.readers)
	r.mu.Unlock()
	o.Observe(int64(n))
	return nil
}
