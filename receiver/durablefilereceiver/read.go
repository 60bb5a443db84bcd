// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/flush"
	"go.uber.org/zap"

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

// Settings is what a reader needs of the configuration, fixed for its life.
type Settings struct {
	Split        bufio.SplitFunc
	FlushPeriod  time.Duration
	MaxLogSize   int
	Format       string
	PollInterval time.Duration // how often the file's head is compared with its fingerprint
	Grouping     GroupSettings
	Batching     BatchSettings
	Logger       *zap.Logger
}

// readerHooks connect a reader to the stages around it; the reader knows nothing else of them.
type readerHooks struct {
	// send hands a complete batch on to delivery.
	send func(*Batch)
	// freed tells the scheduler that a file which could not send has a free slot again.
	freed func()
	// reserve takes n bytes from what all files may have in flight; false: wait for freed.
	reserve func(n int) bool
	// rekey releases the checkpoint key of an incarnation that ended and returns a new one.
	rekey func(old string, fid FileID) string
	// warn logs a problem with a path once until it changes.
	warn func(path, msg string, err error)
	// skipped logs and counts a byte range of the file that will not be read.
	skipped func(path string, from, to int64, why string)
}

// Reader follows one incarnation of one file at a time: it reads, splits lines, hands them
// to its grouper, whose records its batcher packs. Only the scheduler's goroutine calls it;
// what delivery and the metrics touch is atomic.
type Reader struct {
	set   Settings
	hooks readerHooks
	file  *os.File
	fid   FileID
	born  int64 // birth time, 0 when unknown
	path  string
	real  string                  // where path's symlinks lead, when elsewhere
	key   string                  // checkpoint key of this incarnation
	fp    fingerprint.Fingerprint // the file's first bytes as read
	acks  atomic.Pointer[Acks]

	split bufio.SplitFunc // set.split with the flush timer, for a final line without newline
	flush flush.State
	// buf holds bytes read and not yet consumed, buf[pos:], after at least the
	// fingerprint.TailSize bytes before the end of the last record handed to the batcher:
	// the bytes a batch's tail is taken of (stamp).
	buf     []byte
	pos     int
	readPos int64     // file offset of the next read
	grewAt  time.Time // when buf last got bytes
	part    int32     // index of the next part of an over-long line, or -1
	// anchor is a copy of the bytes that ended at anchorAt when the file was last checked
	// for a rewrite in place, at checkedAt: a file whose bytes there changed was truncated
	// and written again. Batches carry its tail to the checkpoint, so that a file found
	// after a restart is verified there too: bytes read after a rewrite and before the
	// check that would have seen it agree with the file, the anchor does not.
	anchor     []byte
	anchorAt   int64
	anchorTail fingerprint.Tail
	checkedAt  time.Time

	decode  decoder
	group   grouper
	batches batcher

	// woken is set by a notification or the listing of files: read at the next turn.
	woken bool
	// orphaned: the file left the include set (rotated away or deleted). It is finished once
	// idle (no byte read since idleSince) for the orphan grace.
	orphaned bool
	// superseded: a container log whose container restarted (the kubelet opened the next
	// <n>.log beside it). It is finished like an orphaned file, with a restart event.
	superseded bool
	from       int64 // where this run of the collector started reading the file
	idleSince  time.Time
	finished   bool // finish ran: the reader ends once its last batches are sent
	removed    bool // the reader ended and its file is closed
	drained    bool // at shutdown: every complete line was sent

	inFlight atomic.Int32 // batches sent and not yet durably acknowledged
	size     atomic.Int64 // last size seen, for the lag metric
	// seen is the largest size seen of this incarnation: what a truncation destroyed unread
	// lies between readPos and it.
	seen int64
}

// New reads f from where identify started it: st's offset, under its checkpoint key,
// with the bytes just before the offset (at most fingerprint.TailSize), which the first
// batch's tail and the first rewrite check need.
func New(set Settings, hooks readerHooks, f *os.File, fid FileID, path string, fp fingerprint.Fingerprint, st Start) *Reader {
	offset, history := st.Offset, st.History
	rd := &Reader{
		set:        set,
		hooks:      hooks,
		file:       f,
		fid:        fid,
		born:       st.Born,
		key:        st.Key,
		fp:         fp,
		readPos:    offset,
		part:       -1,
		buf:        append(make([]byte, 0, max(minBuffer, len(history))), history...),
		pos:        len(history),
		anchor:     append([]byte(nil), history...),
		anchorAt:   offset,
		anchorTail: fingerprint.TailOf(history),
	}
	rd.SetPath(path)
	rd.from = offset
	rd.acks.Store(NewAcks(offset))
	rd.split = rd.flush.Func(set.Split, set.FlushPeriod)
	rd.batches = batcher{set: set.Batching, stamp: rd.stamp, released: offset}
	rd.group = newGrouper(set.Grouping, rd.batches.add)
	rd.decode = newDecoder(set.Format, set.MaxLogSize, rd.group.line)
	return rd
}

// SetPath records the path the file was found at, and where its symlinks lead
// (/var/log/containers -> /var/log/pods), whose directory is watched and listed too.
func (rd *Reader) SetPath(p string) {
	rd.path, rd.real = p, ""
	if real, err := filepath.EvalSymlinks(p); err == nil && real != p {
		rd.real = real
	}
}

// Stalled tells whether the reader has batches it cannot send: max_in_flight are unacknowledged,
// or all files together have max_in_flight_bytes in flight.
// It reads nothing more until delivery frees a slot; this is the backpressure that pauses
// reading while the pipeline refuses data, and the file on disk is the buffer meanwhile.
func (rd *Reader) Stalled() bool { return len(rd.batches.ready) > 0 }

// CanSend tells whether the reader has complete batches and a free slot for them.
func (rd *Reader) CanSend() bool {
	return rd.Stalled() && int(rd.inFlight.Load()) < rd.set.Batching.MaxInFlight
}

// SendReady hands complete batches to delivery while slots are free.
func (rd *Reader) SendReady() {
	for len(rd.batches.ready) > 0 && int(rd.inFlight.Load()) < rd.set.Batching.MaxInFlight {
		b := rd.batches.ready[0]
		if !rd.hooks.reserve(len(b.Raw)) {
			return
		}
		rd.batches.ready[0] = nil
		rd.batches.ready = rd.batches.ready[1:]
		rd.inFlight.Add(1)
		b.release = rd.release
		rd.hooks.send(b)
	}
}

// release is called by delivery once a batch is durably acknowledged (or given up at shutdown).
func (rd *Reader) release() {
	if int(rd.inFlight.Add(-1)) == rd.set.Batching.MaxInFlight-1 {
		rd.hooks.freed()
	}
}

// Read reads what the file has beyond readPos, splits it and batches it, until the end of
// the file or until the reader stalls. It reports whether any byte was Read or flushed.
// draining leaves a final line without newline unread, for the next start.
func (rd *Reader) Read(now time.Time, draining bool) bool {
	rd.SendReady()
	info, err := rd.file.Stat()
	if err != nil {
		rd.hooks.warn(rd.path, "Reading file failed; will retry", err)
		return false
	}
	size := info.Size()
	rd.size.Store(size)
	if rd.Stalled() {
		// Reading waits, the file grows: what a truncation would destroy now.
		rd.seen = max(rd.seen, size)
		return false
	}
	// Lines left buffered when the reader stalled go first: they were read before anything
	// that happened to the file since, and a read on top of them would grow the buffer
	// beyond one read's worth.
	progressed := rd.pos < len(rd.buf) && rd.tokenize(false)
	if rd.Stalled() {
		return progressed
	}
	if size < rd.readPos || rd.replacedInPlace(now, size) {
		rd.restartIncarnation(size)
	}
	rd.seen = max(rd.seen, size)
	for !rd.Stalled() {
		// Reading no further than the size just seen saves the pread that would only
		// confirm the end of the file: per read, one fstat and at most one pread.
		want := int(min(readChunk, max(0, size-rd.readPos)))
		if keep := rd.keepFrom(); keep > 0 && (rd.pos == len(rd.buf) || cap(rd.buf)-len(rd.buf) < want) {
			n := copy(rd.buf, rd.buf[keep:])
			rd.buf = rd.buf[:n]
			rd.pos -= keep
		}
		if cap(rd.buf)-len(rd.buf) < want {
			grown := make([]byte, len(rd.buf), len(rd.buf)+max(want, minBuffer, cap(rd.buf)))
			copy(grown, rd.buf)
			rd.buf = grown
		}
		free := rd.buf[len(rd.buf):min(cap(rd.buf), len(rd.buf)+want)]
		var n int
		if len(free) > 0 {
			n, err = rd.file.ReadAt(free, rd.readPos)
		}
		if n > 0 {
			if rd.readPos < fingerprint.Size {
				rd.fp.Append(free[:n], rd.readPos)
			}
			rd.buf = rd.buf[:len(rd.buf)+n]
			rd.readPos += int64(n)
			rd.grewAt = now
			progressed = true
		}
		if err != nil && !errors.Is(err, io.EOF) {
			rd.hooks.warn(rd.path, "Reading file failed; will retry", err)
			return progressed
		}
		eof := errors.Is(err, io.EOF) || rd.readPos >= size
		if rd.tokenize(eof && !draining) {
			progressed = true
		}
		if eof || n == 0 {
			break
		}
	}
	if !draining && !rd.Stalled() {
		if rd.group.quietSince(now, rd.set.FlushPeriod) {
			rd.group.flush() // the file went quiet: no more lines will join the held record
		}
		if rd.batches.due(now) {
			rd.batches.complete()
		}
		if rd.batches.busy() {
			rd.batches.linger(now)
		}
		rd.SendReady()
	}
	return progressed
}

// tokenize splits buffered bytes into lines for the grouper, until the buffer holds no full
// line or the reader stalls. atEOF lets the flush timer emit a final line without newline.
// It reports whether a partial line was flushed.
func (rd *Reader) tokenize(atEOF bool) bool {
	flushed := false
	for !rd.Stalled() {
		data := rd.buf[rd.pos:]
		split := rd.set.Split
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
			if len(data) < rd.set.MaxLogSize {
				return flushed
			}
			// A line longer than max_log_size: send it in parts, each marked.
			advance, tok = rd.set.MaxLogSize, data[:rd.set.MaxLogSize]
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
		rd.decode.line(tok, start, start+int64(advance), part, partial)
		rd.SendReady()
	}
	return flushed
}

// stamp gives a batch that was just completed its incarnation: the ack tracker, checkpoint
// key and fingerprint its acknowledgement is recorded under, even if it is sent after the
// file was truncated.
func (rd *Reader) stamp(b *Batch) {
	acks := rd.acks.Load()
	b.Acks, b.Key, b.File, b.Born, b.Path = acks, rd.key, rd.fid, rd.born, rd.path
	b.FPLen, b.FPHash = rd.fp.Len(), rd.fp.Hash()
	b.Tail, b.Size = fingerprint.TailOf(rd.bytesBefore(b.End)), rd.size.Load()
	b.AnchorAt, b.Anchor = rd.anchorAt, rd.anchorTail
	b.Seq = acks.register()
}

// bufStart is the file offset of buf[0].
func (rd *Reader) bufStart() int64 { return rd.readPos - int64(len(rd.buf)) }

// bytesBefore returns the bytes of the file that end at end, as many as buf holds up to
// fingerprint.TailSize: all of them, since buf keeps that many before every offset a batch
// can end at (keepFrom).
func (rd *Reader) bytesBefore(end int64) []byte {
	i := int(end - rd.bufStart())
	return rd.buf[max(0, i-fingerprint.TailSize):i]
}

// keepFrom is the index in buf before which no byte is needed any more: a batch can end no
// earlier than the end of the last record the batcher got, and its tail is taken of the
// bytes before that.
func (rd *Reader) keepFrom() int {
	return max(0, min(rd.pos, int(rd.batches.released-rd.bufStart()))-fingerprint.TailSize)
}

// Due is when the reader must be read next without a notification: its open batch's
// deadline, its lingering read, a held record or final line going quiet, or the end of
// its orphan grace. The zero time means only a notification (or the listing) wakes it.
func (rd *Reader) Due(orphanGrace time.Duration) time.Time {
	var at time.Time
	if rd.Stalled() {
		return at // delivery's freed slot wakes it
	}
	earliest := func(t time.Time) {
		if at.IsZero() || t.Before(at) {
			at = t
		}
	}
	if rd.pos < len(rd.buf) {
		earliest(later(rd.flush.LastDataChange, rd.grewAt).Add(rd.set.FlushPeriod + time.Millisecond))
	}
	if rd.group.held.active {
		earliest(rd.group.held.last.Add(rd.set.FlushPeriod))
	}
	if t := rd.batches.nextDue(); !t.IsZero() {
		earliest(t)
	}
	if rd.orphaned {
		earliest(rd.idleSince.Add(orphanGrace)) // idleSince is zero right after progress: now
	}
	return at
}

// Parkable tells whether the file may be closed to make room: it was read since it was
// opened or notified, waits for writes, every byte of it was read and durably acknowledged,
// and nothing is held or buffered.
func (rd *Reader) Parkable() bool {
	return !rd.woken && !rd.finished && !rd.orphaned && !rd.removed && rd.WaitsForWrite() && rd.inFlight.Load() == 0 &&
		rd.pos == len(rd.buf) && !rd.group.held.active && !rd.decode.pending[StreamStdout].active &&
		!rd.decode.pending[StreamStderr].active && rd.readPos == rd.size.Load() && rd.acks.Load().Acked() == rd.readPos
}

// WaitsForWrite tells whether only a notification brings the reader more work.
func (rd *Reader) WaitsForWrite() bool {
	return rd.batches.cur == nil && rd.batches.lingerAt.IsZero() && !rd.Stalled()
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Finish sends what is held and a trailing partial line of a file that gets no more
// writes; a file that was deleted (not renamed) ends an incarnation of the app, and so does
// a superseded container log that this run read (after a restart of the collector, how the
// app's run ended is not known any more).
func (rd *Reader) Finish() {
	rd.finished = true
	rd.endIncarnation(rd.deleted() || (rd.superseded && rd.readPos > rd.from))
}

// Drain sends every complete line already written and what is held; a partial line stays
// unread and uncheckpointed, for the next start. It reports whether all is sent.
func (rd *Reader) Drain(now time.Time) bool {
	if !rd.finished {
		rd.Read(now, true)
		if rd.Stalled() {
			return false
		}
		rd.group.flush()
		rd.batches.complete()
	}
	rd.SendReady()
	return !rd.Stalled()
}

// endIncarnation completes everything read of the current content, a final line without
// newline included. restarted adds the restart event after it.
func (rd *Reader) endIncarnation(restarted bool) {
	if rd.pos < len(rd.buf) {
		start := rd.readPos - int64(len(rd.buf)-rd.pos)
		tok := rd.buf[rd.pos:]
		rd.pos = len(rd.buf)
		rd.decode.line(tok, start, rd.readPos, -1, true)
	}
	rd.decode.flush(rd.readPos)
	rd.group.flush()
	if restarted {
		rd.batches.add(nil, rd.readPos, rd.readPos, Token{Part: -1, Restart: rd.group.restartEvent(rd.path, rd.readPos)})
	}
	rd.batches.complete()
	rd.SendReady()
}

// deleted tells whether the open file has no name left.
func (rd *Reader) deleted() bool {
	info, err := rd.file.Stat()
	if err != nil {
		return false
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && st.Nlink == 0
}

// replacedInPlace tells whether the file was truncated and rewritten past our position: the
// bytes before the position checked last time are no longer the ones read there. Its first
// bytes tell nothing, since an app writes the same banner or header every time it starts.
// It looks once per poll_interval, not on every read: a pread per read was a fifth of the
// CPU with 200 busy files, and a rewrite found up to a poll_interval late only means that
// the lines read in between are sent again with the new incarnation. The check is anchored
// where the previous one stood, not at the read position, because what was read since may
// already be the new content.
func (rd *Reader) replacedInPlace(now time.Time, size int64) bool {
	if now.Sub(rd.checkedAt) < rd.set.PollInterval {
		return false
	}
	rd.checkedAt = now
	replaced := false
	if n := len(rd.anchor); n > 0 && size >= rd.anchorAt {
		var at [fingerprint.TailSize]byte
		got, _ := rd.file.ReadAt(at[:n], rd.anchorAt-int64(n))
		replaced = got == n && !bytes.Equal(at[:n], rd.anchor) && !punched(rd.file, at[:n], rd.anchorAt-int64(n))
	}
	if !replaced {
		rd.anchorAt = rd.readPos
		rd.anchor = append(rd.anchor[:0], rd.bytesBefore(rd.readPos)...)
		rd.anchorTail = fingerprint.TailOf(rd.anchor)
	}
	return replaced
}

// restartIncarnation handles a file truncated or rewritten under us (copytruncate, an app
// that truncates its log on start): what was buffered of the old content is sent, then
// the file is read again from its start as a new incarnation with its own checkpoint.
func (rd *Reader) restartIncarnation(size int64) {
	if rd.seen > rd.readPos {
		// Seen before the truncation and not read: at most these bytes (a rewrite in place
		// may have grown the file again before it was seen) were destroyed unread.
		rd.hooks.skipped(rd.path, rd.readPos, rd.seen, "the file was truncated before they were read")
	}
	rd.set.Logger.Info("File was truncated; reading it again from the start",
		zap.String("path", rd.path), zap.Int64("previous_offset", rd.readPos), zap.Int64("size", size))
	rd.endIncarnation(true)
	rd.acks.Load().retire()
	// The old incarnation's entry stays, unbound, so that a copy of it (copytruncate's
	// rotated file) can resume where it ended instead of being read again whole.
	rd.key = rd.hooks.rekey(rd.key, rd.fid)
	rd.fp = fingerprint.Fingerprint{}
	rd.acks.Store(NewAcks(0))
	rd.buf = rd.buf[:0]
	rd.pos = 0
	rd.readPos = 0
	rd.anchor, rd.anchorAt, rd.anchorTail = rd.anchor[:0], 0, fingerprint.Tail{}
	rd.batches.released, rd.seen = 0, 0
	rd.part = -1
	rd.group.last = lastRecord{}
	rd.decode = newDecoder(rd.set.Format, rd.set.MaxLogSize, rd.group.line)
	rd.batches.lingerAt, rd.batches.quietReads = time.Time{}, 0 // the new content's first batch waits flush_timeout, after the event
}
