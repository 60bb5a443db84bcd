// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import "time"

// At the rates most Pods log, a sidecar's CPU goes to waking up, not to reading: each time the
// process wakes from idle, the Go runtime's sysmon thread polls every 20 µs for a millisecond
// and idle threads spin looking for work (perf at 100 lines/s: sysmon 26 % and the scheduler
// 22 % of the CPU, the export 17 %). So the receiver wakes as rarely as the batches it sends
// allow, and all files wake together:
//
//   - Every deadline (a batch's flush_timeout, the listing of files every poll_interval) falls
//     on a grid shared by all files, so files that are due at about the same time are read in
//     one wake-up and their batches ride in one export.
//   - A file whose batch was just sent lingers: it is read again one flush_timeout later
//     instead of being woken by the next write, and goes back to waiting for notifications
//     only after lingerQuietReads such reads in a row found nothing new. An app that logs
//     steadily costs one wake-up per batch, not one per write plus one per batch; 20 files
//     with a line every 200 ms each kept the watch loop waking for every write when a single
//     empty read ended the linger.

// lingerQuietReads is how many reads in a row a lingering file finds nothing before it waits
// for notifications again: more keep an app that writes less often than flush_timeout on
// reads it does not need, fewer let phase jitter send a steady writer back to notifications.
const lingerQuietReads = 2

// alignDown returns the grid point at or before t; a grid of 0 leaves t as it is.
func alignDown(t time.Time, grid time.Duration) time.Time {
	if grid <= 0 {
		return t
	}
	return t.Truncate(grid)
}

// batchGrid is the grid of batch deadlines: half of flush_timeout, so a batch waits between
// half and all of flush_timeout and write-to-arrival stays within flush_timeout, while at
// most two wake-ups per flush_timeout serve every file.
func (r *durableReceiver) batchGrid() time.Duration {
	return r.cfg.Batch.FlushTimeout / 2
}

// batchDue is when the open batch of rd must be sent.
func (rd *reader) batchDue() time.Time {
	return alignDown(rd.cur.created.Add(rd.r.cfg.Batch.FlushTimeout), rd.r.batchGrid())
}

// lingerStart is the lingerFrom of a file read at now: the flush_timeout grid point before it,
// so that every lingering file is read at the same instants, one flush_timeout apart (and with
// the listing of files, when poll_interval is flush_timeout, as by default). A line written
// after it waits at most flush_timeout.
func (r *durableReceiver) lingerStart(now time.Time) time.Time {
	return alignDown(now, r.cfg.Batch.FlushTimeout)
}

// lingerDue is when a lingering file is read again.
func (rd *reader) lingerDue() time.Time {
	return rd.lingerFrom.Add(rd.r.cfg.Batch.FlushTimeout)
}

// nextPoll is the next listing of files, on the poll_interval grid.
func (r *durableReceiver) nextPoll(now time.Time) time.Time {
	return alignDown(now, r.cfg.PollInterval).Add(r.cfg.PollInterval)
}
