// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"sync"
	"time"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/crash"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
)

// Token is one record inside a batch's raw bytes.
type Token struct {
	At         int64 // where the record begins in the file
	Start, End int32
	// Part is the index of this piece of an over-long line, or -1 for a whole line.
	Part     int32
	Severity int32 // SeverityNumber, 0 when unknown
	Time     int64 // when the runtime logged it (cri, docker), Unix nanoseconds; 0 when unknown
	Stream   uint8 // stdout or stderr (cri, docker), or streamNone
	Kind     crash.Kind
	Partial  bool          // the record's last line had no newline: the writer died mid-line
	Restart  *RestartEvent // set on the event that ends an incarnation; it has no bytes
	// Exception is what a grouped trace says of its Exception, derived once when it was
	// grouped (the receiver needs its type for the restart event, too).
	Exception *crash.Exception
	// The flight recorder's: Held is a record held back, batched for its range and not
	// exported; Backfill one shipped ahead of its trigger, which ends at To (its neighbours
	// in the batch are not its neighbours in the file). Trigger is where the trigger a
	// record ships for begins, plus one; 0 for none.
	Held     bool
	Backfill bool
	To       int64
	Trigger  int64
}

// Batch is a contiguous byte range of one file, kept raw so that it can be turned into
// plog again for every delivery attempt: a consumer may modify what it was given, so a
// retry must not reuse it.
type Batch struct {
	Raw    []byte
	Tokens []Token
	// [Start, End) is the file's byte range this batch covers, newlines included.
	Start, End int64
	due        time.Time // when it is sent, full or not

	// What its acknowledgement is recorded under, set when the batch is complete.
	Acks   *Acks
	Seq    uint64
	Key    string
	File   FileID
	Born   int64
	Path   string
	FPLen  int
	FPHash string
	Tail   fingerprint.Tail // of the bytes before end
	Size   int64            // the file's size when the batch was completed
	// AnchorAt is where the file was last checked for a rewrite, anchor its tail there.
	AnchorAt int64
	Anchor   fingerprint.Tail
	// Window is the flight recorder's state at End.
	Window Window
	// BySeverity counts its records by severityClass, crashes its crash records, for the
	// app metrics.
	BySeverity [len(SeverityClasses)]int32
	Crashes    int32
	// Held, Backfilled and Expired count the flight recorder's records: held back, shipped
	// ahead of their trigger, and dropped unshipped.
	Held, Backfilled, Expired int32
	Observed                  time.Time // when it was handed to delivery
	owner                     *Reader   // whose slot it holds until it is released
}

// Owner is the reader whose slot the batch holds.
func (b *Batch) Owner() *Reader { return b.owner }

// TokenEnd is where the i-th record ends in the file: where the next begins, or the batch's end.
func (b *Batch) TokenEnd(i int) int64 {
	if b.Tokens[i].Backfill {
		return b.Tokens[i].To
	}
	if i+1 < len(b.Tokens) {
		return b.Tokens[i+1].At
	}
	return b.End
}

// SeverityClasses are the SeverityText ranges of the log data model, by SeverityNumber / 4.
var SeverityClasses = [...]string{"UNSET", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}

// SeverityClass is the index in severityClasses of a SeverityNumber (1-24; 0 unset).
func SeverityClass(n int32) int {
	if n <= 0 || n > 24 {
		return 0
	}
	return int(n-1)/4 + 1
}

// batches recycles delivered batches with their buffers: growing a batch's bytes and tokens
// anew for every batch was 63 % of what the receiver allocated (BenchmarkReadFile: 233 -> 77 MB
// per op), and at 50k lines/s the collector ran a GC every 50 ms.
var batches = sync.Pool{New: func() any { return new(Batch) }}

// newBatch returns an empty batch, with the buffers of a delivered one when there is one.
func newBatch(start int64, due time.Time) *Batch {
	b := batches.Get().(*Batch)
	*b = Batch{Raw: b.Raw[:0], Tokens: b.Tokens[:0], Start: start, End: start, due: due}
	return b
}

// Recycle gives back a batch that delivery is done with; nothing may use it afterwards.
func Recycle(b *Batch) {
	clear(b.Tokens) // the exceptions and restart events they point to
	batches.Put(b)
}

// BatchSettings is the batch configuration a file's batcher needs.
type BatchSettings struct {
	MaxLines     int
	MaxBytes     int
	MaxInFlight  int
	FlushTimeout time.Duration
	QuietReads   int // empty reads in a row that end a linger
}

// batcher packs one file's records into batches of contiguous byte ranges. A batch is
// complete when it is full or due; complete batches wait in ready, in file order, until the
// reader has a free slot to send them.
type batcher struct {
	set   BatchSettings
	cur   *Batch
	ready []*Batch
	// stamp gives a completed batch its file incarnation.
	stamp func(*Batch)
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
func (bt *batcher) add(text []byte, start, end int64, t Token) {
	if bt.cur != nil && len(bt.cur.Raw)+len(text) > bt.set.MaxBytes && len(bt.cur.Tokens) > 0 {
		bt.complete()
	}
	if bt.cur == nil {
		bt.cur = newBatch(start, bt.dueOfNew(time.Now()))
	}
	b := bt.cur
	t.At, t.Start = start, int32(len(b.Raw))
	if t.Restart == nil { // an event of the receiver's, not the app's
		b.BySeverity[SeverityClass(t.Severity)]++
		if t.Exception != nil {
			b.Crashes++
		}
		if t.Held {
			b.Held++
		}
	}
	b.Raw = append(b.Raw, text...)
	t.End = int32(len(b.Raw))
	b.Tokens = append(b.Tokens, t)
	b.End, bt.released = end, end
	if len(b.Tokens) >= bt.set.MaxLines {
		bt.complete()
	}
}

// addBackfill batches the held records that a trigger beginning at trigger ships, in
// batches of their own that cover no range of the file: they end where the last record
// added ends, so their acknowledgement moves the checkpoint nowhere, only its window.
func (bt *batcher) addBackfill(held *heldRing, trigger int64) {
	for i := range held.len() {
		h := held.at(i)
		if bt.cur != nil && (len(bt.cur.Tokens) >= bt.set.MaxLines || len(bt.cur.Raw)+h.n > bt.set.MaxBytes) {
			bt.complete()
		}
		if bt.cur == nil {
			bt.cur = newBatch(bt.released, time.Time{})
		}
		b := bt.cur
		t := h.tok
		t.Held, t.Backfill, t.To, t.Trigger = false, true, h.end, trigger+1
		t.At, t.Start = h.start, int32(len(b.Raw))
		b.Raw = held.appendText(b.Raw, h)
		t.End = int32(len(b.Raw))
		b.Tokens = append(b.Tokens, t)
		b.Backfilled++
	}
	bt.complete()
}

// complete closes the open batch, if it has records.
func (bt *batcher) complete() {
	b := bt.cur
	if b == nil || len(b.Tokens) == 0 {
		return
	}
	bt.cur = nil
	bt.sentRecords += len(b.Tokens)
	bt.sentBytes += len(b.Raw)
	bt.stamp(b)
	bt.ready = append(bt.ready, b)
}
