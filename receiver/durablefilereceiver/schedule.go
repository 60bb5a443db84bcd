// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"time"

	"github.com/fsnotify/fsnotify"
	"go.uber.org/zap"
)

// At the rates most Pods log, a sidecar's CPU goes to waking up, not to reading: each time the
// process wakes from idle, the Go runtime's sysmon thread polls every 20 µs for a millisecond
// and idle threads spin looking for work (perf at 100 lines/s: sysmon 26 % and the scheduler
// 22 % of the CPU, the export 17 %). So one goroutine, the scheduler, owns every file: it
// sleeps until the earliest deadline of any file, a notification or a freed slot, reads every
// file that is due in that one wake-up, and hands all their batches to delivery at once, where
// they ride in one export. Wake-ups follow the batches sent, not the files or the writes:
//
//   - Every deadline (a batch's flush_timeout, the listing of files every poll_interval) falls
//     on a grid shared by all files, so files that are due at about the same time are read in
//     the same wake-up.
//   - A file whose batch was just sent lingers: it is read again one flush_timeout later
//     instead of being woken by the next write, and goes back to waiting for notifications
//     only after lingerFor of such reads (at least lingerQuietReads) found nothing new.
//     An app that logs steadily costs one wake-up per batch, not one per write plus one per
//     batch, and many files that each log now and then are read together on the grid
//     instead of each waking the receiver twice per line (20 files × 5 lines/s with a
//     flush_timeout of 40 ms: 7.6 % of a core with 2 quiet reads, 4.0 % with lingerFor).
//   - While every file has a batch open or lingers, notifications stay in the kernel, which
//     merges repeated writes to a file into one; new files are found by the listing meanwhile.

// lingerQuietReads is the least number of reads in a row a lingering file finds nothing
// before it waits for notifications again: fewer let phase jitter send a steady writer back
// to notifications.
const lingerQuietReads = 2

// lingerFor is how long a lingering file goes on being read after it went quiet (at least
// lingerQuietReads reads): as long as the default poll_interval, so that a quiet file costs
// no more wake-ups than the listing, and no longer, because new files are found only by the
// listing while no file waits for notifications.
const lingerFor = 200 * time.Millisecond

// QuietReadsFor is how many empty reads in a row end a linger.
func QuietReadsFor(flushTimeout time.Duration) int {
	if flushTimeout <= 0 {
		return lingerQuietReads
	}
	return max(lingerQuietReads, int((lingerFor+flushTimeout-1)/flushTimeout))
}

// scheduler is the receiver's one loop over its files.
type scheduler struct {
	pollInterval time.Duration
	orphanGrace  time.Duration
	files        *files
	watch        *watch // nil without notifications
	delivery     *delivery
	logger       *zap.Logger

	outbox  []*Batch      // batches sent by readers during this turn
	freed   chan struct{} // a reader that could not send has a free slot
	scanNow bool
}

// send is the readers' hook: batches of one turn go to delivery together.
func (s *scheduler) send(b *Batch) { s.outbox = append(s.outbox, b) }

// slotFreed is delivery's signal, through the readers, that a stalled file may go on.
func (s *scheduler) slotFreed() {
	select {
	case s.freed <- struct{}{}:
	default:
	}
}

// run turns until draining closes (it then drains) or ctx ends.
func (s *scheduler) run(ctx context.Context, draining <-chan struct{}) {
	defer s.files.closeAll()
	if s.watch != nil {
		defer s.watch.close()
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	nextPoll := alignDown(time.Now(), s.pollInterval).Add(s.pollInterval)
	for {
		now := time.Now()
		if !now.Before(nextPoll) {
			nextPoll = alignDown(now, s.pollInterval).Add(s.pollInterval)
			if s.scanNow || s.files.gate.due(now, s.pollInterval) {
				s.files.scan(false)
			}
			s.files.wakeAll()
		} else if s.scanNow {
			s.files.scan(false)
		}
		s.scanNow = false
		next, listening := s.turn(now)
		if next.IsZero() || nextPoll.Before(next) {
			next = nextPoll
		}
		timer.Reset(max(time.Millisecond, time.Until(next)))
		var events <-chan fsnotify.Event
		var errs <-chan error
		if s.watch != nil {
			errs = s.watch.w.Errors
			if listening {
				// Handling a notification per write cost more than the rest of the work at
				// 10k lines/s written line by line.
				events = s.watch.w.Events
			}
		}
		select {
		case <-timer.C:
		case ev := <-events:
			s.notified(ev)
			for more := true; more; { // notifications already queued share this turn
				select {
				case ev := <-events:
					s.notified(ev)
				default:
					more = false
				}
			}
		case err := <-errs:
			// Overflow or a watch error: fall back to a full look.
			s.logger.Debug("File notification error", zap.Error(err))
			s.scanNow = true
			s.files.wakeAll()
		case <-s.freed:
		case <-draining:
			s.drain(ctx)
			return
		case <-ctx.Done():
			return
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
}

// turn reads every file that is due, hands their batches to delivery, and returns the
// earliest deadline of any file and whether any file waits for a notification.
func (s *scheduler) turn(now time.Time) (next time.Time, listening bool) {
	fs := s.files
	listening = len(fs.list) == 0 // new files are announced by notifications, too
	for _, rd := range fs.list {
		s.step(rd, now)
		if rd.removed {
			continue
		}
		if due := rd.Due(s.orphanGrace); !due.IsZero() && (next.IsZero() || due.Before(next)) {
			next = due
		}
		listening = listening || rd.WaitsForWrite()
	}
	fs.sweep()
	if fs.changed && s.watch != nil {
		s.watch.refresh(fs.list)
	}
	fs.changed = false
	s.delivery.send(s.outbox)
	clear(s.outbox)
	s.outbox = s.outbox[:0]
	return next, listening
}

// step gives one reader its turn if it is due, was notified, or may send again.
func (s *scheduler) step(rd *Reader, now time.Time) {
	if rd.removed {
		return // parked by the listing before this turn
	}
	if rd.finished {
		rd.SendReady()
		if !rd.Stalled() {
			s.files.remove(rd)
		}
		return
	}
	due := rd.Due(s.orphanGrace)
	if !rd.woken && (due.IsZero() || now.Before(due)) && !rd.CanSend() {
		return
	}
	rd.woken = false
	if rd.Read(now, false) {
		rd.idleSince = time.Time{}
		return
	}
	if rd.Stalled() {
		return
	}
	if rd.idleSince.IsZero() {
		rd.idleSince = now
	}
	// An orphaned file gets no more writes once its writer moved on: finish it, including a
	// final line without newline, and stop.
	if rd.orphaned && now.Sub(rd.idleSince) >= s.orphanGrace {
		rd.Finish()
		if !rd.Stalled() {
			s.files.remove(rd)
		}
		return
	}
	rd.batches.quietRead(now)
}

// notified wakes the readers of the file a notification names, or asks for a listing.
func (s *scheduler) notified(ev fsnotify.Event) {
	readers := s.watch.readersOf(ev.Name)
	for _, rd := range readers {
		rd.woken = true
	}
	if needsScan(ev, len(readers) > 0) {
		s.scanNow = true
	}
}

// drain sends every complete line already written, file by file as slots free, until all
// is handed to delivery or ctx ends.
func (s *scheduler) drain(ctx context.Context) {
	for {
		now := time.Now()
		done := true
		for _, rd := range s.files.list {
			if !rd.removed && !rd.drained {
				rd.drained = rd.Drain(now)
				done = done && rd.drained
			}
		}
		s.delivery.send(s.outbox)
		clear(s.outbox)
		s.outbox = s.outbox[:0]
		if done {
			return
		}
		select {
		case <-s.freed:
		case <-ctx.Done():
			return
		}
	}
}

// alignDown returns the grid point at or before t; a grid of 0 leaves t as it is.
func alignDown(t time.Time, grid time.Duration) time.Time {
	if grid <= 0 {
		return t
	}
	return t.Truncate(grid)
}

// dueOfNew is when a batch opened at now is sent. Batch deadlines fall on a grid of half of
// flush_timeout, so a batch waits between half and all of flush_timeout and write-to-arrival
// stays within flush_timeout, while at most two wake-ups per flush_timeout serve every file.
// A lingering file's lines may have waited since its last read, so they go at its next one.
func (bt *batcher) dueOfNew(now time.Time) time.Time {
	if !bt.lingerAt.IsZero() {
		return bt.lingerAt
	}
	return alignDown(now.Add(bt.set.FlushTimeout), bt.set.FlushTimeout/2)
}

// due tells whether the open batch must be sent.
func (bt *batcher) due(now time.Time) bool {
	return bt.cur != nil && !now.Before(bt.cur.due)
}

// nextDue is when the batcher needs a read: its open batch's deadline, or its lingering read.
func (bt *batcher) nextDue() time.Time {
	if bt.cur != nil {
		return bt.cur.due
	}
	return bt.lingerAt
}

// linger starts a lingering file's next period after batches were sent at now, from the grid
// point before it, so that every lingering file is read at the same instants (and with the
// listing of files, when poll_interval is flush_timeout, as by default). The period is
// flush_timeout, or half of it when the last one filled half a batch: a fast writer's lines
// then wait half as long before an export that is itself half as big (50k lines/s: p99
// 256 -> 131 ms, with busy).
func (bt *batcher) linger(now time.Time) {
	bt.lingerPeriod = bt.set.FlushTimeout
	if bt.sentRecords >= bt.set.MaxLines/2 || bt.sentBytes >= bt.set.MaxBytes/2 {
		bt.lingerPeriod = bt.set.FlushTimeout / 2
	}
	bt.lingerAt = alignDown(now, bt.lingerPeriod).Add(bt.lingerPeriod)
	bt.quietReads, bt.sentRecords, bt.sentBytes = 0, 0, 0
	if bt.cur != nil && bt.lingerAt.Before(bt.cur.due) {
		bt.cur.due = bt.lingerAt // what is left of a full read goes with the next one
	}
}

// busy tells whether batches were completed since the linger period began: the file is
// read again one period later, also when its batches left because they were full (reading
// only at the open batch's deadline kept a fast writer's lines waiting up to twice
// flush_timeout: 50k lines/s, p99 400 ms).
func (bt *batcher) busy() bool { return bt.sentRecords > 0 }

// quietRead notes a read that found nothing: a lingering file that was due waits for
// notifications again after set.quietReads of them.
func (bt *batcher) quietRead(now time.Time) {
	if bt.cur != nil || bt.lingerAt.IsZero() || now.Before(bt.lingerAt) {
		return
	}
	if bt.quietReads++; bt.quietReads >= bt.set.QuietReads {
		bt.lingerAt, bt.quietReads = time.Time{}, 0
		return
	}
	bt.lingerPeriod = bt.set.FlushTimeout
	bt.lingerAt = alignDown(now, bt.lingerPeriod).Add(bt.lingerPeriod)
}
