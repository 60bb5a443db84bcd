// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import "time"

// A batcher's deadlines fall on a grid shared by all files, as the scheduler's listing does,
// so that files due at about the same time are read in one wake-up of the scheduler; a file
// whose batch was just sent lingers (linger, quietRead): see the scheduler's comment in
// schedule.go for what each costs.

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

// AlignDown returns the grid point at or before t; a grid of 0 leaves t as it is.
func AlignDown(t time.Time, grid time.Duration) time.Time {
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
	return AlignDown(now.Add(bt.set.FlushTimeout), bt.set.FlushTimeout/2)
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
	bt.lingerAt = AlignDown(now, bt.lingerPeriod).Add(bt.lingerPeriod)
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
	bt.lingerAt = AlignDown(now, bt.lingerPeriod).Add(bt.lingerPeriod)
}
