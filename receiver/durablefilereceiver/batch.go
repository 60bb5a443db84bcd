// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"time"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/crash"
)

// token is one record inside a batch's raw bytes.
type token struct {
	start, end int32
	// part is the index of this piece of an over-long line, or -1 for a whole line.
	part     int32
	severity int32 // SeverityNumber, 0 when unknown
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
	created    time.Time // when its first record was read, for flush_timeout

	// What its acknowledgement is recorded under, set when the batch is complete.
	acks   *ackTracker
	seq    uint64
	key    string
	path   string
	fpLen  int
	fpHash string
	// release frees the batch's slot once it is durably acknowledged.
	release  func()
	observed time.Time
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
	// lingerFrom is when the last batch was sent while lines kept coming: the file is read
	// again at lingerFrom + flush_timeout instead of on the next write. Zero while it waits
	// for writes.
	lingerFrom time.Time
	// quietReads counts linger reads in a row that found nothing; after set.quietReads
	// the file waits for writes again.
	quietReads int
}

// add appends one record, which covers the file's bytes [start, end), to the open batch.
// Records arrive in file order and back to back, so batches cover contiguous ranges.
func (bt *batcher) add(text []byte, start, end int64, t token) {
	if bt.cur != nil && len(bt.cur.raw)+len(text) > bt.set.maxBytes && len(bt.cur.tokens) > 0 {
		bt.complete()
	}
	if bt.cur == nil {
		bt.cur = &batch{start: start, end: start, created: bt.opened()}
	}
	b := bt.cur
	t.start = int32(len(b.raw))
	b.raw = append(b.raw, text...)
	t.end = int32(len(b.raw))
	b.tokens = append(b.tokens, t)
	b.end = end
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
	bt.stamp(b)
	bt.ready = append(bt.ready, b)
}

// opened is when a new batch counts as opened, for flush_timeout: a lingering file's lines
// may have waited since the last batch was sent, so they go with the next read.
func (bt *batcher) opened() time.Time {
	if !bt.lingerFrom.IsZero() {
		return bt.lingerFrom
	}
	return time.Now()
}
