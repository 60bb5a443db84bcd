// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"slices"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/flush"
	"go.uber.org/zap"
	"golang.org/x/sys/unix"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
)

// Read reads what the file has beyond readPos, splits it and batches it, until the end of
// the file or until the reader stalls. It reports whether any byte was Read or flushed.
// draining leaves a final line without newline unread, for the next start.
func (rd *Reader) Read(now time.Time, draining bool) bool {
	rd.SendReady()
	info, err := rd.file.Stat()
	if err != nil {
		rd.table.Warn(rd.path, "Reading file failed; will retry", err)
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
			rd.table.Warn(rd.path, "Reading file failed; will retry", err)
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
	b.owner, b.Acks, b.Key, b.File, b.Born, b.Path = rd, acks, rd.key, rd.fid, rd.born, rd.path
	b.FPLen, b.FPHash = rd.fp.Len(), rd.fp.Hash()
	b.Tail, b.Size = fingerprint.TailOf(rd.bytesBefore(b.End)), rd.size.Load()
	b.AnchorAt, b.Anchor = rd.anchorAt, rd.anchorTail
	b.Window = Window{Start: b.End}
	if rd.rec != nil {
		b.Window, b.Expired = rd.rec.window(b.End), rd.rec.takeExpired()
	}
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
		rd.table.Skipped(rd.path, rd.readPos, rd.seen, "the file was truncated before they were read")
	}
	rd.set.Logger.Info("File was truncated; reading it again from the start",
		zap.String("path", rd.path), zap.Int64("previous_offset", rd.readPos), zap.Int64("size", size))
	rd.endIncarnation(true)
	rd.acks.Load().retire()
	// The old incarnation's entry stays, unbound, so that a copy of it (copytruncate's
	// rotated file) can resume where it ended instead of being read again whole.
	rd.key = rd.table.Rekey(rd.key, rd.fid)
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

// punched tells whether b, read at off, lies in a hole, whole or in part: reclaim gave back
// its space after it was delivered, in whole chunks, and it reads as zeros up to the chunk's
// end (or, punched while it was read, in part). Only a mismatch asks, so the lseek costs
// nothing on the way of a file that was not rewritten.
func punched(f *os.File, b []byte, off int64) bool {
	if !slices.Contains(b, 0) {
		return false
	}
	h, err := unix.Seek(int(f.Fd()), off, unix.SEEK_HOLE)
	return err != nil || h < off+int64(len(b))
}
