// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"time"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
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

// scheduler is the receiver's one loop over its files. It owns when each file is read
// (file.turns), and it alone touches readers once they were opened: releases come back to
// it as messages.
type scheduler struct {
	pollInterval time.Duration
	orphanGrace  time.Duration
	files        *files
	watch        *watch // nil without notifications
	outbox       *outbox
	delivery     *delivery
	released     *releases
	logger       *zap.Logger

	freed   []*reader.Reader // the readers of batches released, taken at the start of a turn
	scanNow bool
}

// scheduling is when the scheduler reads an open file.
type scheduling struct {
	// woken is set by a notification or the listing of files: read at the next turn.
	woken bool
	// idleSince is when a read last found nothing new, zero after progress.
	idleSince time.Time
	drained   bool // at shutdown: every complete line was sent
}

func newScheduler(pollInterval, orphanGrace time.Duration, fs *files, w *watch, out *outbox, d *delivery, released *releases, logger *zap.Logger) *scheduler {
	return &scheduler{pollInterval: pollInterval, orphanGrace: orphanGrace, files: fs, watch: w, outbox: out, delivery: d, released: released, logger: logger}
}

// start lists the files once, before the receiver's Start returns: start_at applies to
// what is there when the collector starts.
func (s *scheduler) start() { s.wake(s.files.scan(true)) }

// run turns until draining closes (it then drains) or ctx ends.
func (s *scheduler) run(ctx context.Context, draining <-chan struct{}) {
	defer s.files.closeAll()
	if s.watch != nil {
		defer s.watch.close()
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	nextPoll := reader.AlignDown(time.Now(), s.pollInterval).Add(s.pollInterval)
	for {
		s.takeReleased()
		now := time.Now()
		if !now.Before(nextPoll) {
			nextPoll = reader.AlignDown(now, s.pollInterval).Add(s.pollInterval)
			if s.scanNow || s.files.gate.due(now, s.pollInterval) {
				s.wake(s.files.scan(false))
			}
			s.wake(s.files.list)
		} else if s.scanNow {
			s.wake(s.files.scan(false))
		}
		s.scanNow = false
		next, listening, stalled := s.turn(now)
		if next.IsZero() || nextPoll.Before(next) {
			next = nextPoll
		}
		if stalled {
			s.released.arm()
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
			s.wake(s.files.list)
		case <-s.released.wake:
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

// takeReleased frees the slots and bytes of the batches the checkpoint stage is done with.
func (s *scheduler) takeReleased() {
	var bytes int64
	s.freed, bytes = s.released.take(s.freed)
	for _, rd := range s.freed {
		rd.Released()
	}
	clear(s.freed)
	s.freed = s.freed[:0]
	s.outbox.returned(bytes)
}

// wake has files read at the next turn.
func (s *scheduler) wake(files []*file) {
	for _, f := range files {
		f.turns.woken = true
	}
}

// turn reads every file that is due, hands their batches to delivery, and returns the
// earliest deadline of any file, whether any file waits for a notification, and whether
// any waits for a release.
func (s *scheduler) turn(now time.Time) (next time.Time, listening, stalled bool) {
	fs := s.files
	listening = len(fs.list) == 0 // new files are announced by notifications, too
	for _, f := range fs.list {
		s.step(f, now)
		if f.life.removed {
			continue
		}
		next = reader.Earliest(next, s.due(f))
		listening = listening || f.rd.WaitsForWrite()
		stalled = stalled || f.rd.Stalled()
	}
	fs.sweep()
	if fs.changed && s.watch != nil {
		s.watch.refresh(fs.list)
	}
	fs.changed = false
	s.handOver()
	return next, listening, stalled
}

// handOver gives the batches of a turn to delivery together.
func (s *scheduler) handOver() {
	if batches := s.outbox.take(); len(batches) > 0 {
		s.released.expect(len(batches))
		s.delivery.send(batches)
	}
}

// due is when a file must be read next without a notification: its reader's deadline, or
// the end of its orphan grace.
func (s *scheduler) due(f *file) time.Time {
	at := f.rd.Due()
	if f.life.orphaned && !f.rd.Stalled() {
		at = reader.Earliest(at, f.turns.idleSince.Add(s.orphanGrace)) // idleSince is zero right after progress: now
	}
	return at
}

// step gives one file its turn if it is due, was notified, or may send again.
func (s *scheduler) step(f *file, now time.Time) {
	rd := f.rd
	if f.life.removed {
		return // parked by the listing before this turn
	}
	if rd.Finished() {
		rd.SendReady()
		if !rd.Stalled() {
			s.retire(f)
		}
		return
	}
	due := s.due(f)
	if !f.turns.woken && (due.IsZero() || now.Before(due)) && !rd.CanSend() {
		return
	}
	f.turns.woken = false
	if rd.Read(now, false) {
		f.turns.idleSince = time.Time{}
		return
	}
	if rd.Stalled() {
		return
	}
	if f.turns.idleSince.IsZero() {
		f.turns.idleSince = now
	}
	// An orphaned file gets no more writes once its writer moved on: finish it, including a
	// final line without newline, and stop.
	if f.life.orphaned && now.Sub(f.turns.idleSince) >= s.orphanGrace {
		rd.Finish(f.life.superseded)
		if !rd.Stalled() {
			s.retire(f)
		}
		return
	}
	rd.QuietRead(now)
}

// retire removes a finished file whose batches are all sent. What its recorder held when
// its content ended never ships: no batch came after to carry that count, so it is counted
// here.
func (s *scheduler) retire(f *file) {
	s.delivery.countExpired(f.rd.TakeExpired())
	s.files.remove(f)
}

// notified wakes the files a notification names, or asks for a listing.
func (s *scheduler) notified(ev fsnotify.Event) {
	files := s.watch.filesOf(ev.Name)
	s.wake(files)
	if needsScan(ev, len(files) > 0) {
		s.scanNow = true
	}
}

// drain sends every complete line already written, file by file as slots free, until all
// is handed to delivery or ctx ends.
func (s *scheduler) drain(ctx context.Context) {
	for {
		s.takeReleased()
		now := time.Now()
		done := true
		for _, f := range s.files.list {
			if !f.life.removed && !f.turns.drained {
				f.turns.drained = f.rd.Drain(now)
				done = done && f.turns.drained
			}
		}
		s.handOver()
		if done {
			return
		}
		s.released.arm()
		select {
		case <-s.released.wake:
		case <-ctx.Done():
			return
		}
	}
}
