// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"sync"
	"time"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/crash"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
)

// token is one record inside a batch's raw bytes.
type token struct {
	at         int64 // where the record begins in the file
	start, end int32
	// part is the index of this piece of an over-long line, or -1 for a whole line.
	part     int32
	severity int32 // SeverityNumber, 0 when unknown
	time     int64 // when the runtime logged it (cri, docker), Unix nanoseconds; 0 when unknown
	stream   uint8 // stdout or stderr (cri, docker), or streamNone
	kind     crash.Kind
	partial  bool          // the record's last line had no newline: the writer died mid-line
	restart  *restartEvent // set on the event that ends an incarnation; it has no bytes
	// exception is what a grouped trace says of its exception, derived once when it was
	// grouped (the receiver needs its type for the restart event, too).
	exception *crash.Exception
}

// batch is a contiguous byte range of one file, kept raw so that it can be turned into
// plog again for every delivery attempt: a consumer may modify what it was given, so a
// retry must not reuse it.
type batch struct {
	raw    []byte
	tokens []token
	// [start, end) is the file's byte range this batch covers, newlines included.
	start, end int64
	due        time.Time // when it is sent, full or not

	// What its acknowledgement is recorded under, set when the batch is complete.
	acks   *ackTracker
	seq    uint64
	key    string
	fid    fileID
	born   int64
	path   string
	fpLen  int
	fpHash string
	tail   fingerprint.Tail // of the bytes before end
	size   int64            // the file's size when the batch was completed
	// anchorAt is where the file was last checked for a rewrite, anchor its tail there.
	anchorAt int64
	anchor   fingerprint.Tail
	// bySeverity counts its records by severityClass, crashes its crash records, for the
	// app metrics.
	bySeverity [len(severityClasses)]int32
	crashes    int32
	// release frees the batch's slot once it is durably acknowledged.
	release  func()
	observed time.Time
}

// tokenEnd is where the i-th record ends in the file: where the next begins, or the batch's end.
func (b *batch) tokenEnd(i int) int64 {
	if i+1 < len(b.tokens) {
		return b.tokens[i+1].at
	}
	return b.end
}

// batches recycles delivered batches with their buffers: growing a batch's bytes and tokens
// anew for every batch was 63 % of what the receiver allocated (BenchmarkReadFile: 233 -> 77 MB
// per op), and at 50k lines/s the collector ran a GC every 50 ms.
var batches = sync.Pool{New: func() any { return new(batch) }}

// newBatch returns an empty batch, with the buffers of a delivered one when there is one.
func newBatch(start int64, due time.Time) *batch {
	b := batches.Get().(*batch)
	*b = batch{raw: b.raw[:0], tokens: b.tokens[:0], start: start, end: start, due: due}
	return b
}

// recycle gives back a batch that delivery is done with; nothing may use it afterwards.
func recycle(b *batch) {
	clear(b.tokens) // the exceptions and restart events they point to
	batches.Put(b)
}

// batchSettings is the batch configuration a file's batcher needs.
type batchSettings struct {
	maxLines     int
	maxBytes     int
	maxInFlight  int
	flushTimeout time.Duration
	quietReads   int // empty reads in a row that end a linger
}

// batcher packs one file's records into batches of contiguous byte ranges. A batch is
// complete when it is full or due; complete batches wait in ready, in file order, until the
// reader has a free slot to send them.
type batcher struct {
	set   batchSettings
	cur   *batch
	ready []*batch
	// stamp gives a completed batch its file incarnation.
	stamp func(*batch)
	// lingerAt is when a lingering file is read next: after a batch was sent while lines
	// kept coming, the file is read again one period later instead of on the next write.
	// Zero while it waits for writes.
	lingerAt     time.Time
	lingerPeriod time.Duration
	// quietReads counts linger reads in a row that found nothing; after set.quietReads
	// the file waits for writes again.
	quietReads int
	// sentRecords and sentBytes count what was completed since the linger period began.
	sentRecords, sentBytes int
	// released is the end of the last record added: no batch can end before it.
	released int64
}

// add appends one record, which covers the file's bytes [start, end), to the open batch.
// Records arrive in file order and back to back, so batches cover contiguous ranges.
func (bt *batcher) add(text []byte, start, end int64, t token) {
	if bt.cur != nil && len(bt.cur.raw)+len(text) > bt.set.maxBytes && len(bt.cur.tokens) > 0 {
		bt.complete()
	}
	if bt.cur == nil {
		bt.cur = newBatch(start, bt.dueOfNew(time.Now()))
	}
	b := bt.cur
	t.at, t.start = start, int32(len(b.raw))
	if t.restart == nil { // an event of the receiver's, not the app's
		b.bySeverity[severityClass(t.severity)]++
		if t.exception != nil {
			b.crashes++
		}
	}
	b.raw = append(b.raw, text...)
	t.end = int32(len(b.raw))
	b.tokens = append(b.tokens, t)
	b.end, bt.released = end, end
	if len(b.tokens) >= bt.set.maxLines {
		bt.complete()
	}
}

// complete closes the open batch, if it has records.
func (bt *batcher) complete() {
	b := bt.cur
	if b == nil || len(b.tokens) == 0 {
		return
	}
	bt.cur = nil
	bt.sentRecords += len(b.tokens)
	bt.sentBytes += len(b.raw)
	bt.stamp(b)
	bt.ready = append(bt.ready, b)
}
