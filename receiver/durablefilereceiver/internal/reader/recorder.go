// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"time"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/crash"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/linetime"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/severity"
)

// The flight recorder holds back the records below ship_level: they go into batches like
// any record, so the checkpoint passes them, but are not exported. A copy of each stays in
// memory, the last `before` of the file's line time and at most before_bytes. A trigger
// (a crash record, an ERROR record) ships the held records of its window ahead of itself,
// in a batch of their own, and every record for `after` behind it. The checkpoint keeps the
// window (Window): a reader started from it reads the window's bytes again to rebuild what
// was held, so a SIGKILL between a trigger and its backfill backfills after the restart.

// RecorderSettings is the recorder configuration a reader needs.
type RecorderSettings struct {
	Enabled     bool
	ShipLevel   int32 // records with a known severity below it are held back
	OnCrash     bool  // a crash record triggers
	OnError     bool  // a record at ERROR or above triggers
	Before      time.Duration
	BeforeBytes int
	After       time.Duration
}

// Window is the recorder's state at the end of a batch, which its checkpoint keeps.
type Window struct {
	// Start is where the oldest held record that a trigger could still ship begins; the
	// batch's end when none is held.
	Start int64
	// ShipUntil is the line time (Unix nanoseconds) up to which every record ships after
	// the last trigger, 0 before any; TriggerAt is where that trigger begins in the file.
	ShipUntil int64
	TriggerAt int64
}

// recorder sits between a file's grouper and its batcher.
type recorder struct {
	set RecorderSettings
	// add is the batcher's; cut completes its open batch; backfill batches held records
	// alone, ahead of the trigger that ships them.
	add      func(text []byte, start, end int64, t Token)
	cut      func()
	backfill func(held *heldRing, trigger int64)

	held      heldRing
	firing    bool  // the held records are being backfilled: no longer held
	clock     int64 // the newest line time seen
	stated    int64 // the last time a line of the file stated, 0 before any
	shipUntil int64
	triggerAt int64
	expired   int32 // records dropped unshipped, not yet counted in a batch
	replaying bool  // rebuilding the window after a restart: nothing is batched
}

func newRecorder(set RecorderSettings, add func([]byte, int64, int64, Token), cut func(), backfill func(*heldRing, int64)) *recorder {
	return &recorder{set: set, add: add, cut: cut, backfill: backfill}
}

// record takes one record from the grouper: it ships, is held back, or triggers.
func (rc *recorder) record(text []byte, start, end int64, t Token) {
	if t.Restart != nil {
		rc.emit(text, start, end, t)
		return
	}
	at, own := t.Time, t.Time != 0
	if !own {
		if at, own = linetime.Parse(text); !own {
			if at = rc.stated; at == 0 {
				at = time.Now().UnixNano() // no line of the file stated its time: when it is read
			}
		}
	}
	rc.stated = at
	rc.clock = max(rc.clock, at)
	rc.expire(rc.clock - int64(rc.set.Before))
	switch {
	case rc.set.OnCrash && t.Kind != crash.Line || rc.set.OnError && t.Severity >= severity.Error:
		rc.fire(start, at)
		t.Trigger = start + 1
	case t.Severity == 0 || t.Severity >= rc.set.ShipLevel:
	case at <= rc.shipUntil:
		t.Trigger = rc.triggerAt + 1 // shipped as the context after a trigger
	default:
		held := t
		if own {
			held.Time = at // shipped late, a backfilled record says when it was logged
		}
		rc.hold(text, start, end, held, at)
		t.Held = true
		text = nil // batched for its range, not exported
	}
	rc.emit(text, start, end, t)
}

func (rc *recorder) emit(text []byte, start, end int64, t Token) {
	if !rc.replaying {
		rc.add(text, start, end, t)
	}
}

// hold keeps a copy of a record held back, within before_bytes.
func (rc *recorder) hold(text []byte, start, end int64, t Token, at int64) {
	for rc.held.len() > 0 && rc.held.bytes()+len(text) > rc.set.BeforeBytes {
		rc.drop()
	}
	rc.held.push(heldLine{start: start, end: end, tok: t, at: at}, text)
}

// expire drops the held records older than from.
func (rc *recorder) expire(from int64) {
	for rc.held.len() > 0 && rc.held.at(0).at < from {
		rc.drop()
	}
}

// drop forgets the oldest held record: it will never ship.
func (rc *recorder) drop() {
	rc.held.pop()
	rc.expired++
}

// fire ships the held records of the window of a trigger that begins at start, at line
// time at. The open batch is completed while they are still held, so that its checkpoint
// keeps them; the backfill's checkpoint no longer does, so a restart after it does not ship
// them again.
func (rc *recorder) fire(start, at int64) {
	rc.expire(at - int64(rc.set.Before)) // the trigger's line time may be before the newest
	ship := rc.held.len() > 0 && !rc.replaying
	if ship {
		rc.cut()
	}
	rc.shipUntil = max(rc.shipUntil, at+int64(rc.set.After))
	rc.triggerAt = start
	if ship {
		rc.firing = true
		rc.backfill(&rc.held, start)
		rc.firing = false
	}
	rc.held.clear()
}

// window is the state a batch ending at end is checkpointed with.
func (rc *recorder) window(end int64) Window {
	w := Window{Start: end, ShipUntil: rc.shipUntil, TriggerAt: rc.triggerAt}
	if rc.held.len() > 0 && !rc.firing {
		w.Start = min(end, rc.held.at(0).start)
	}
	return w
}

// takeExpired returns the records dropped since the last call.
func (rc *recorder) takeExpired() int32 {
	n := rc.expired
	rc.expired = 0
	return n
}

// reset forgets what was held of an incarnation that ended (truncated): its offsets mean
// nothing in the next one.
func (rc *recorder) reset() {
	rc.expired += int32(rc.held.len())
	rc.held.clear()
	rc.shipUntil, rc.triggerAt = 0, 0
}

// holding tells whether records are held.
func (rc *recorder) holding() bool { return rc != nil && rc.held.len() > 0 }
