// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/flush"
	"go.uber.org/zap"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/checkpoint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/crash"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
)

const (
	// readChunk is the most read with one pread call.
	readChunk = 256 << 10
	// minBuffer is the smallest read buffer. Buffers grow to what a file's reads need, up
	// to readChunk: a file written a line at a time keeps a small one (200 files with
	// readChunk-sized buffers held 51 MiB).
	minBuffer = 4 << 10
)

// reader follows one incarnation of one file: it reads, splits, batches and hands batches
// to delivery goroutines, at most max_in_flight at a time. It owns its buffers alone; the
// fields under mu are also read by delivery goroutines.
type reader struct {
	r     *durableReceiver
	file  *os.File
	fid   fileID
	split bufio.SplitFunc
	flush flush.State
	wake  chan struct{}
	slots chan struct{}

	mu   sync.Mutex
	key  string // checkpoint key of this incarnation
	path string
	fp   fingerprint.Fingerprint // the file's first bytes as read
	acks *ackTracker

	buf     []byte // bytes read and not yet consumed: buf[pos:]
	pos     int
	readPos int64     // file offset of the next read
	part    int32     // index of the next part of an over-long line, or -1
	headAt  time.Time // when the file's first bytes were last compared with fp
	cur     *batch
	// lingerFrom is when the last batch was sent while lines kept coming: the file is read
	// again at lingerDue instead of on the next write. Zero while it waits for writes.
	lingerFrom time.Time
	// quietReads counts linger reads in a row that found nothing; after lingerQuietReads
	// the file waits for writes again.
	quietReads int
	grouper    *crash.Grouper // nil when crash detection is off
	held       heldRecord     // a record that more lines may still join
	last       lastRecord     // the last record sent of this incarnation

	orphaned atomic.Bool  // the file left the include set (rotated away or deleted)
	size     atomic.Int64 // last size seen, for the lag metric
	acked    atomic.Int64 // mirror of acks.acked() for the lag metric
}

func newReader(r *durableReceiver, f *os.File, fid fileID, path, key string, offset int64) *reader {
	rd := &reader{
		r:       r,
		file:    f,
		fid:     fid,
		wake:    make(chan struct{}, 1),
		slots:   make(chan struct{}, r.cfg.Batch.MaxInFlight),
		key:     key,
		path:    path,
		acks:    newAckTracker(offset),
		readPos: offset,
		part:    -1,
	}
	rd.split = rd.flush.Func(r.splitFunc, r.cfg.FlushPeriod)
	if r.cfg.CrashDetection.Enabled {
		rd.grouper = crash.NewGrouper(r.startPatterns)
	}
	rd.acked.Store(offset)
	return rd
}

func (rd *reader) poke() {
	select {
	case rd.wake <- struct{}{}:
	default:
	}
}

func (rd *reader) currentPath() string {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	return rd.path
}

func (rd *reader) setPath(p string) {
	rd.mu.Lock()
	rd.path = p
	rd.mu.Unlock()
}

// entryLocked is the checkpoint entry for this incarnation at offset; rd.mu is held.
func (rd *reader) entryLocked(offset int64) checkpoint.Entry {
	return checkpoint.Entry{
		Path:           rd.path,
		Offset:         offset,
		FingerprintLen: rd.fp.Len(),
		Fingerprint:    rd.fp.Hash(),
		Updated:        time.Now().Unix(),
	}
}

// run reads until the file is finished (orphaned and idle), the receiver drains, or ctx ends.
func (rd *reader) run(ctx context.Context, draining <-chan struct{}) {
	defer rd.file.Close()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	idle := time.Time{}
	listening := false // counted in r.listening while waiting for a write
	defer func() {
		if listening {
			rd.r.listening.Add(-1)
		}
	}()
	for {
		// The read below covers every write notified until now.
		select {
		case <-rd.wake:
		default:
		}
		progressed, err := rd.readAvailable(ctx, false)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			rd.r.warnOnce(rd.currentPath(), "Reading file failed; will retry", err)
		}
		if progressed {
			idle = time.Time{}
			continue
		}
		if idle.IsZero() {
			idle = time.Now()
		}
		// An orphaned file gets no more writes once its writer moved on: finish it,
		// including a final line without newline, and stop.
		if rd.orphaned.Load() && time.Since(idle) >= rd.r.orphanGrace() {
			rd.finish(ctx)
			return
		}
		// A file waiting for writes needs no timer of its own: notifications wake it, and
		// every listing of files (poll_interval) pokes it as a fallback.
		wait := time.Hour
		if rd.pos < len(rd.buf) {
			wait = min(wait, rd.r.cfg.FlushPeriod)
		}
		if rd.held.active {
			wait = max(time.Millisecond, min(wait, rd.r.cfg.FlushPeriod-time.Since(rd.held.last)))
		}
		if rd.cur == nil && !rd.lingerFrom.IsZero() && !time.Now().Before(rd.lingerDue()) {
			// Read at lingerDue and found nothing.
			if rd.quietReads++; rd.quietReads >= lingerQuietReads {
				rd.lingerFrom, rd.quietReads = time.Time{}, 0 // wait for writes
			} else {
				rd.lingerFrom = rd.r.lingerStart(time.Now())
			}
		}
		switch {
		case rd.cur != nil:
			wait = max(time.Millisecond, min(wait, time.Until(rd.batchDue())))
		case !rd.lingerFrom.IsZero():
			wait = max(time.Millisecond, min(wait, time.Until(rd.lingerDue())))
		}
		wake := rd.wake
		if rd.cur != nil || !rd.lingerFrom.IsZero() {
			// Lines written before the open batch is due are read when it is, in one go:
			// one read per batch instead of one per write.
			wake = nil
		}
		if listening = wake != nil; listening && rd.r.listening.Add(1) == 1 {
			rd.r.signalListen()
		}
		timer.Reset(wait)
		select {
		case <-wake:
		case <-timer.C:
		case <-draining:
			// Deliver every complete line already written; a partial line stays unread
			// and uncheckpointed, for the next start.
			_, _ = rd.readAvailable(ctx, true)
			rd.emitHeld(ctx)
			rd.sendCurrent(ctx)
			return
		case <-ctx.Done():
			return
		}
		if listening {
			listening = false
			rd.r.listening.Add(-1)
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
}

// readAvailable reads what the file has beyond readPos, splits it and sends full batches,
// then sends what is left at EOF. It reports whether any byte was read or flushed.
func (rd *reader) readAvailable(ctx context.Context, draining bool) (bool, error) {
	info, err := rd.file.Stat()
	if err != nil {
		return false, err
	}
	size := info.Size()
	rd.size.Store(size)
	if size < rd.readPos || rd.replacedInPlace(size) {
		rd.restartIncarnation(ctx, size)
	}
	progressed := false
	for ctx.Err() == nil {
		// Reading no further than the size just seen saves the pread that would only
		// confirm the end of the file: per read, one fstat and at most one pread.
		want := int(min(readChunk, max(0, size-rd.readPos)))
		if rd.pos > 0 && (rd.pos == len(rd.buf) || cap(rd.buf)-len(rd.buf) < want) {
			n := copy(rd.buf, rd.buf[rd.pos:])
			rd.buf = rd.buf[:n]
			rd.pos = 0
		}
		if cap(rd.buf)-len(rd.buf) < want {
			grown := make([]byte, len(rd.buf), len(rd.buf)+max(want, minBuffer, cap(rd.buf)))
			copy(grown, rd.buf)
			rd.buf = grown
		}
		free := rd.buf[len(rd.buf):min(cap(rd.buf), len(rd.buf)+want)]
		var n int
		var err error
		if len(free) > 0 {
			n, err = rd.file.ReadAt(free, rd.readPos)
		}
		if n > 0 {
			rd.noteFingerprint(free[:n], rd.readPos)
			rd.buf = rd.buf[:len(rd.buf)+n]
			rd.readPos += int64(n)
			progressed = true
		}
		eof := errors.Is(err, io.EOF) || rd.readPos >= size
		if err != nil && !errors.Is(err, io.EOF) {
			return progressed, err
		}
		if rd.tokenize(ctx, eof && !draining) {
			progressed = true
		}
		if eof || n == 0 {
			break
		}
	}
	if !draining {
		if rd.held.active && time.Since(rd.held.last) >= rd.r.cfg.FlushPeriod {
			rd.emitHeld(ctx) // the file went quiet: no more lines will join it
		}
		if rd.cur != nil && !time.Now().Before(rd.batchDue()) {
			rd.sendCurrent(ctx)
			rd.lingerFrom, rd.quietReads = rd.r.lingerStart(time.Now()), 0
		}
	}
	return progressed, nil
}

// tokenize splits buffered bytes into the current batch. atEOF lets the flush timer emit
// a final line without newline. It reports whether a partial line was flushed.
func (rd *reader) tokenize(ctx context.Context, atEOF bool) bool {
	flushed := false
	maxLog := int(rd.r.cfg.MaxLogSize)
	for ctx.Err() == nil {
		data := rd.buf[rd.pos:]
		split := rd.r.splitFunc
		if atEOF {
			split = rd.split // only a final line waits for the flush timer
		}
		advance, tok, err := split(data, atEOF)
		part, partial := int32(-1), false
		switch {
		case err != nil && !errors.Is(err, bufio.ErrFinalToken):
			// Our split functions do not fail; treat it as "need more data".
			return flushed
		case advance == 0 && tok == nil:
			if len(data) < maxLog {
				return flushed
			}
			// A line longer than max_log_size: send it in parts, each marked.
			advance, tok = maxLog, data[:maxLog]
			if rd.part < 0 {
				rd.part = 0
			}
			part = rd.part
			rd.part++
			// The flush timer is about a line that stopped growing, not this one.
			rd.flush = flush.State{LastDataChange: time.Now()}
		default:
			if rd.part >= 0 {
				part = rd.part
				rd.part = -1
			}
			partial = advance == len(data) && atEOF && !bytes.HasSuffix(data, []byte{'\n'})
			flushed = flushed || partial
		}
		start := rd.readPos - int64(len(rd.buf)-rd.pos)
		rd.pos += advance
		rd.line(ctx, tok, start, start+int64(advance), part, partial)
	}
	return flushed
}

// add appends one record, which covers the file's bytes [start, end), to the current
// batch. Records arrive in file order and back to back, so batches cover contiguous ranges.
func (rd *reader) add(ctx context.Context, text []byte, start, end int64, t token) {
	if rd.cur == nil {
		rd.cur = &batch{start: start, end: start, created: rd.batchStart()}
	}
	b := rd.cur
	if len(b.raw)+len(text) > int(rd.r.cfg.Batch.MaxBytes) && len(b.tokens) > 0 {
		rd.sendCurrent(ctx)
		rd.cur = &batch{start: start, end: start, created: rd.batchStart()}
		b = rd.cur
	}
	t.start = int32(len(b.raw))
	b.raw = append(b.raw, text...)
	t.end = int32(len(b.raw))
	b.tokens = append(b.tokens, t)
	b.end = end
	if len(b.tokens) >= rd.r.cfg.Batch.MaxLines {
		rd.sendCurrent(ctx)
	}
}

// batchStart is when a new batch counts as opened, for flush_timeout: a lingering file's
// lines may have waited since the last batch was sent, so they go with the next read.
func (rd *reader) batchStart() time.Time {
	if !rd.lingerFrom.IsZero() {
		return rd.lingerFrom
	}
	return time.Now()
}

// sendCurrent hands the current batch to a delivery goroutine, waiting for a free slot:
// this wait is the backpressure that pauses reading while the pipeline refuses data.
func (rd *reader) sendCurrent(ctx context.Context) {
	b := rd.cur
	if b == nil || len(b.tokens) == 0 {
		return
	}
	select {
	case rd.slots <- struct{}{}:
	case <-ctx.Done():
		return
	}
	rd.cur = nil
	rd.mu.Lock()
	b.acks = rd.acks
	b.path = rd.path
	rd.mu.Unlock()
	b.seq = b.acks.register()
	b.observed = time.Now()
	rd.r.telemetry.ReceiverDurableFileRecordsRead.Add(ctx, int64(len(b.tokens)))
	rd.r.telemetry.ReceiverDurableFileBytesRead.Add(ctx, b.end-b.start)
	rd.r.deliveries.Add(1)
	go rd.r.deliver(rd, b)
}

// finish flushes what is held and a trailing partial line of a file that gets no more
// writes; a file that was deleted (not renamed) ends an incarnation of the app.
func (rd *reader) finish(ctx context.Context) {
	rd.endIncarnation(ctx, rd.deleted())
}

// endIncarnation sends everything read of the current content, a final line without
// newline included. restarted adds the restart event after it.
func (rd *reader) endIncarnation(ctx context.Context, restarted bool) {
	if rd.pos < len(rd.buf) {
		start := rd.readPos - int64(len(rd.buf)-rd.pos)
		tok := rd.buf[rd.pos:]
		rd.pos = len(rd.buf)
		rd.line(ctx, tok, start, rd.readPos, -1, true)
	}
	rd.emitHeld(ctx)
	if restarted {
		rd.addRestartEvent(ctx)
	}
	rd.sendCurrent(ctx)
}

// deleted tells whether the open file has no name left.
func (rd *reader) deleted() bool {
	info, err := rd.file.Stat()
	if err != nil {
		return false
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && st.Nlink == 0
}

// noteFingerprint keeps the file's first bytes as they are read; p was read at offset at.
func (rd *reader) noteFingerprint(p []byte, at int64) {
	if at >= fingerprint.Size {
		return // the common case, without the lock
	}
	rd.mu.Lock()
	rd.fp.Append(p, at)
	rd.mu.Unlock()
}

// replacedInPlace tells whether the file was truncated and rewritten past our position:
// its first bytes no longer match what we read. It looks once per poll_interval, not on
// every read: a pread per read was a fifth of the CPU with 200 busy files, and a rewrite
// found up to a poll_interval late only means that the lines read in between are sent
// again with the new incarnation.
func (rd *reader) replacedInPlace(size int64) bool {
	if time.Since(rd.headAt) < rd.r.cfg.PollInterval {
		return false
	}
	rd.headAt = time.Now()
	rd.mu.Lock()
	fp := rd.fp
	rd.mu.Unlock()
	if fp.Len() == 0 || size < int64(fp.Len()) {
		return false
	}
	var head [fingerprint.Size]byte
	n, _ := rd.file.ReadAt(head[:fp.Len()], 0)
	return n == fp.Len() && !fp.IsPrefixOf(head[:n])
}

// restartIncarnation handles a file truncated or rewritten under us (copytruncate, an app
// that truncates its log on start): what was buffered of the old content is sent, then
// the file is read again from its start as a new incarnation with its own checkpoint.
func (rd *reader) restartIncarnation(ctx context.Context, size int64) {
	rd.r.logger.Info("File was truncated; reading it again from the start",
		zap.String("path", rd.currentPath()), zap.Int64("previous_offset", rd.readPos), zap.Int64("size", size))
	rd.endIncarnation(ctx, true)
	newKey := rd.r.newKey(rd.fid)
	rd.r.bindKey(newKey)
	rd.mu.Lock()
	oldKey := rd.key
	rd.acks.retire()
	rd.key = newKey
	rd.fp = fingerprint.Fingerprint{}
	rd.acks = newAckTracker(0)
	rd.mu.Unlock()
	// The old incarnation's entry stays, unbound, so that a copy of it (copytruncate's
	// rotated file) can resume where it ended instead of being read again whole.
	rd.r.releaseKey(oldKey)
	rd.buf = rd.buf[:0]
	rd.pos = 0
	rd.readPos = 0
	rd.part = -1
	rd.last = lastRecord{}
	rd.lingerFrom, rd.quietReads = time.Time{}, 0 // the new content's first batch waits flush_timeout, after the event
	rd.acked.Store(0)
}
