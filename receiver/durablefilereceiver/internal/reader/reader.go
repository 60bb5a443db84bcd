// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
	Recorder     RecorderSettings
	Logger       *zap.Logger
}

// Start is where a newly found file is read from.
type Start struct {
	Offset int64
	Key    string
	// History is the bytes just before offset, at most fingerprint.TailSize.
	History []byte
	// Born is the file's birth time, 0 where its filesystem keeps none (birthTime).
	Born int64
	// Window is the flight recorder's state at Offset; its records from Window.Start on are
	// read again to rebuild what was held.
	Window Window
}

// FileID is a file's device and inode.
type FileID struct{ Dev, Ino uint64 }

// Table is what a reader asks of the table of files it belongs to.
type Table interface {
	// Rekey releases the checkpoint key of an incarnation whose content was truncated away
	// and returns the key of the next one.
	Rekey(old string, id FileID) string
	// Warn logs a problem with a path once until it changes.
	Warn(path, msg string, err error)
	// Skipped logs and counts a byte range of the file that will not be read, and why.
	Skipped(path string, from, to int64, why string)
}

// Sink takes the batches a reader completes.
type Sink interface {
	// Send takes b, or refuses it while all files together have max_in_flight_bytes in
	// flight: the reader keeps it and offers it again after a release.
	Send(b *Batch) bool
}

// Reader follows one incarnation of one file at a time: it reads, splits lines, hands them
// to its grouper, whose records its batcher packs, and its complete batches to its sink.
// One goroutine calls it; what the metrics read (Lag) is atomic.
type Reader struct {
	set   Settings
	table Table
	sink  Sink
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
	rec     *recorder // nil without the flight recorder
	batches batcher

	from     int64 // where this reader started reading the file
	finished bool  // Finish ran: the reader ends once its last batches are sent

	inFlight int          // batches sent and not yet released
	size     atomic.Int64 // last size seen, for the lag metric
	// seen is the largest size seen of this incarnation: what a truncation destroyed unread
	// lies between readPos and it.
	seen int64
}

// New reads f from where identify started it: st's offset, under its checkpoint key,
// with the bytes just before the offset (at most fingerprint.TailSize), which the first
// batch's tail and the first rewrite check need.
func New(set Settings, table Table, sink Sink, f *os.File, fid FileID, path string, fp fingerprint.Fingerprint, st Start) *Reader {
	offset, history := st.Offset, st.History
	rd := &Reader{
		set:        set,
		table:      table,
		sink:       sink,
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
	emit := rd.batches.add
	if set.Recorder.Enabled {
		rd.rec = newRecorder(set.Recorder, rd.batches.add, rd.batches.complete, rd.batches.addBackfill)
		rd.rec.shipUntil, rd.rec.triggerAt = st.Window.ShipUntil, st.Window.TriggerAt
		if st.Window.Start < offset {
			rd.replay(st.Window.Start, offset)
		}
		emit = rd.rec.record
	}
	rd.group = newGrouper(set.Grouping, emit)
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

// Path is where the file was found; Real, where its symlinks lead when that is elsewhere.
func (rd *Reader) Path() string { return rd.path }

// Real is where the path's symlinks lead, "" when nowhere else.
func (rd *Reader) Real() string { return rd.real }

// Key is the checkpoint key of the incarnation being read.
func (rd *Reader) Key() string { return rd.key }

// ID is the file's device and inode.
func (rd *Reader) ID() FileID { return rd.fid }

// Offset is where the next read starts.
func (rd *Reader) Offset() int64 { return rd.readPos }

// GrewAt is when the reader last read bytes.
func (rd *Reader) GrewAt() time.Time { return rd.grewAt }

// Lag is how many bytes of the file are not yet durably acknowledged; the metrics read it
// from their own goroutine.
func (rd *Reader) Lag() int64 { return max(0, rd.size.Load()-rd.acks.Load().Acked()) }

// TailAt returns the file's bytes just before off, at most fingerprint.TailSize.
func (rd *Reader) TailAt(off int64) []byte { return fingerprint.Before(rd.file, off) }

// Where is where the open file is now, "" when it has no name left or it cannot be told
// (no /proc).
func (rd *Reader) Where() string {
	p, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(rd.file.Fd())))
	if err != nil || strings.HasSuffix(p, " (deleted)") {
		return ""
	}
	return p
}

// Close closes the file; the reader is done.
func (rd *Reader) Close() { _ = rd.file.Close() }

// Stalled tells whether the reader has batches it cannot send: max_in_flight are unacknowledged,
// or all files together have max_in_flight_bytes in flight.
// It reads nothing more until a slot is released; this is the backpressure that pauses
// reading while the pipeline refuses data, and the file on disk is the buffer meanwhile.
func (rd *Reader) Stalled() bool { return len(rd.batches.ready) > 0 }

// CanSend tells whether the reader has complete batches and a free slot for them.
func (rd *Reader) CanSend() bool {
	return rd.Stalled() && rd.inFlight < rd.set.Batching.MaxInFlight
}

// SendReady hands complete batches to the sink while slots are free.
func (rd *Reader) SendReady() {
	for len(rd.batches.ready) > 0 && rd.inFlight < rd.set.Batching.MaxInFlight {
		if !rd.sink.Send(rd.batches.ready[0]) {
			return
		}
		rd.batches.ready[0] = nil
		rd.batches.ready = rd.batches.ready[1:]
		rd.inFlight++
	}
}

// Released frees the slot of one of its batches: it was durably acknowledged, or given up
// at shutdown.
func (rd *Reader) Released() { rd.inFlight-- }

// Due is when the reader must be read next without a notification: its open batch's
// deadline, its lingering read, or a held record or final line going quiet. The zero time
// means only a notification (or the listing) wakes it.
func (rd *Reader) Due() time.Time {
	var at time.Time
	if rd.Stalled() {
		return at // a released slot wakes it
	}
	if rd.pos < len(rd.buf) {
		at = Earliest(at, later(rd.flush.LastDataChange, rd.grewAt).Add(rd.set.FlushPeriod+time.Millisecond))
	}
	if rd.group.held.active {
		at = Earliest(at, rd.group.held.last.Add(rd.set.FlushPeriod))
	}
	return Earliest(at, rd.batches.nextDue())
}

// Earliest is the earlier of two deadlines, where the zero time is none.
func Earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// Parkable tells whether the file may be closed to make room, as far as reading goes: it
// waits for writes, every byte of it was read and durably acknowledged, and nothing is held
// or buffered.
func (rd *Reader) Parkable() bool {
	return !rd.finished && rd.WaitsForWrite() && rd.inFlight == 0 && !rd.rec.holding() &&
		rd.pos == len(rd.buf) && !rd.group.held.active && !rd.decode.pending[StreamStdout].active &&
		!rd.decode.pending[StreamStderr].active && rd.readPos == rd.size.Load() && rd.acks.Load().Acked() == rd.readPos
}

// QuietRead notes a read that found nothing: a lingering file waits for notifications
// again after enough of them.
func (rd *Reader) QuietRead(now time.Time) { rd.batches.quietRead(now) }

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
// a superseded container log (the kubelet opened the container's next <n>.log beside it)
// that this reader read (after a restart of the collector, how the app's run ended is not
// known any more).
func (rd *Reader) Finish(superseded bool) {
	rd.finished = true
	rd.endIncarnation(rd.deleted() || (superseded && rd.readPos > rd.from))
}

// TakeExpired returns the flight recorder's records dropped since the last batch: once the
// reader is finished, those that no batch will count.
func (rd *Reader) TakeExpired() int32 {
	if rd.rec == nil {
		return 0
	}
	return rd.rec.takeExpired()
}

// Finished tells whether Finish ran: the reader ends once its last batches are sent.
func (rd *Reader) Finished() bool { return rd.finished }

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
	if rd.rec != nil {
		rd.rec.reset() // what it holds of this content will not ship: no trigger comes after
	}
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
