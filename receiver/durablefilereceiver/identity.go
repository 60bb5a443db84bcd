// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"bytes"
	"os"
	"time"

	"go.uber.org/zap"
	"golang.org/x/sys/unix"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/checkpoint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
)

// A file is the same file only when its device and inode match and its content agrees. Its
// first bytes alone tell nothing when files begin alike (a startup banner, a CSV header, the
// same first lines after every restart of an app), so a checkpoint also keeps the hash of
// the bytes just before its offset, its tail, and a file is resumed at that offset only when
// those bytes are still there:
//
//   - own: the checkpoint of the same inode (a restart of the collector, rename rotation
//     while it was down) whose content agrees. Inode reuse, a file truncated or rewritten
//     while the collector was down, fails the tail and is read from its start.
//   - copy: a file of another inode that holds the content of a file whose content was
//     truncated away in this run (copytruncate's rotated copy) continues where that file's
//     checkpoint stands. A file that holds the bytes of a file still being read waits for
//     that file's truncation, and a copy still being written until it has got as far as
//     the checkpoint, at most copyGrace each: only the truncation tells a copy from a file
//     that happens to hold the same bytes (a banner and nothing else).
//   - format 2: an entry written before identities, matched by its first bytes as it was
//     then, and given its identity at once.
//
// Anything else is a new file, read from its start: a shared beginning never skips data.

// copyGrace is how long a file that may be a copy waits for its original's truncation, or to
// be as long as the original's checkpoint, before it is read as a file of its own: logrotate
// copies a GiB in a second or two and truncates right after.
const copyGrace = 10 * time.Second

// identify decides which checkpoint a newly found file continues, if any, and where it is
// read from; false: look at it again at the next listing.
func (fs *files) identify(f *os.File, p string, fid reader.FileID, fp fingerprint.Fingerprint, size int64, initial bool) (reader.Start, bool) {
	born := birthTime(f)
	st, ok := fs.match(f, p, fid, born, fp, size, initial)
	st.Born = born
	return st, ok
}

// match finds the checkpoint a file continues.
func (fs *files) match(f *os.File, p string, fid reader.FileID, born int64, fp fingerprint.Fingerprint, size int64, initial bool) (reader.Start, bool) {
	if fp.Len() > 0 {
		if fs.index == nil {
			fs.index = newCheckpointIndex(fs.store.Entries())
		}
		var (
			best, last candidate // the best verified one; its own newest checkpoint
			legacy     string
			wait       bool
		)
		for _, key := range fs.index.candidates(fp) {
			c := candidate{key: key, entry: fs.index.entries[key]}
			e := c.entry
			// The same inode, and born at the same time where the filesystem tells: an inode
			// given to a new file after the old one was deleted is another file, also when it
			// holds the same bytes.
			c.own = e.HasIdentity() && reader.FileID{Dev: e.Dev, Ino: e.Ino} == fid && (e.Born == 0 || born == 0 || e.Born == born)
			switch {
			case !e.HasIdentity():
				if legacy == "" && !fs.bound[key] {
					legacy = key
				}
				continue
			case c.own && fs.bound[key]:
				continue
			case !c.own && !fs.truncated[key]:
				// A file being read: this one may be its copy, found before the truncation
				// that follows the copy. Only the truncation tells a copy from a file
				// that holds the same bytes.
				wait = wait || (fs.bound[key] && fs.mayBeCopy(f, fid, e, size))
				continue
			}
			if c.own && c.newer(last) {
				last = c
			}
			if e.Offset > size {
				wait = wait || (!c.own && fs.mayBeCopy(f, fid, e, size))
				continue
			}
			if c.history, c.verified = verify(f, e, size); c.verified && c.better(best) {
				best = c
			}
		}
		switch {
		case best.verified:
			delete(fs.copying, fid)
			e, key := best.entry, best.key
			if !best.own {
				key = fs.newKey(fid) // a copy is an incarnation of its own
			}
			if e.Path != p {
				fs.logger.Debug("File continues another one", zap.String("path", p), zap.String("continues", e.Path),
					zap.Bool("copy", !best.own), zap.Int64("offset", e.Offset))
			}
			return reader.Start{Offset: e.Offset, Key: key, History: best.history, Window: windowOf(e)}, true
		case wait:
			return reader.Start{}, false
		case legacy != "" && last.key == "":
			return fs.upgrade(f, p, fid, legacy, size), true
		}
		delete(fs.copying, fid)
		if e := last.entry; last.key != "" && e.Size > e.Offset {
			fs.Skipped(p, e.Offset, e.Size, "the file was truncated or replaced while the collector was stopped, before these bytes were read")
		}
	}
	if initial && fs.firstRun && fs.startAt == startAtEnd {
		if size > 0 {
			fs.Skipped(p, 0, size, "start_at is end")
		}
		return reader.Start{Offset: size, Key: fs.newKey(fid), History: fingerprint.Before(f, size)}, true
	}
	return reader.Start{Key: fs.newKey(fid)}, true
}

// candidate is a checkpoint a newly found file may continue.
type candidate struct {
	key      string
	entry    checkpoint.Entry
	own      bool // of the same inode; else the file would be a copy
	verified bool
	history  []byte
}

// newer tells whether c was recorded after o (of two checkpoints of one inode, the later
// incarnation's); the zero candidate is older than any.
func (c candidate) newer(o candidate) bool {
	return o.key == "" || c.entry.Updated > o.entry.Updated ||
		c.entry.Updated == o.entry.Updated && c.entry.Offset > o.entry.Offset
}

// better tells whether c is a better match than o: its own checkpoint before a copy's, then
// the newest, since a file truncated in place holds the checkpoints of both its contents.
func (c candidate) better(o candidate) bool {
	switch {
	case !o.verified:
		return true
	case c.own != o.own:
		return c.own
	default:
		return c.newer(o)
	}
}

// mayBeCopy tells whether a file may be a copy of the file checkpointed in e, still being
// written or found before that file was truncated: it holds that file's bytes as far as it
// goes (compared with the file itself while it is open, else with e's tail), and it was
// first seen less than copyGrace ago. A file of other bytes is told at once.
func (fs *files) mayBeCopy(f *os.File, fid reader.FileID, e checkpoint.Entry, size int64) bool {
	if open := fs.readers[reader.FileID{Dev: e.Dev, Ino: e.Ino}]; open != nil {
		upTo := min(size, e.Offset)
		if !bytes.Equal(fingerprint.Before(f, upTo), open.rd.TailAt(upTo)) {
			return false
		}
	} else if size >= e.Offset {
		if _, ok := verify(f, e, size); !ok {
			return false
		}
	}
	first, ok := fs.copying[fid]
	if !ok {
		first = time.Now()
		fs.copying[fid] = first
	}
	return time.Since(first) < copyGrace
}

// upgrade resumes a file from a checkpoint entry of format 2, which only its first bytes
// identify, as format 2 did, and records its identity at once.
func (fs *files) upgrade(f *os.File, p string, fid reader.FileID, key string, size int64) reader.Start {
	e := fs.index.entries[key]
	if e.Offset > size {
		// Shorter than what was acknowledged: it was truncated while we were away.
		return reader.Start{Key: key}
	}
	history := fingerprint.Before(f, e.Offset)
	tail := fingerprint.TailOf(history)
	e.Dev, e.Ino, e.TailLen, e.Tail, e.Size, e.Path, e.Born = fid.Dev, fid.Ino, tail.Len, tail.Hash, size, p, birthTime(f)
	fs.store.Rewrite(key, e)
	fs.logger.Info("Resumed a file from a checkpoint without identity (format 2); it is recorded with its inode and content now",
		zap.String("path", p), zap.Int64("offset", e.Offset))
	return reader.Start{Offset: e.Offset, Key: key, History: history}
}

// verify tells whether f, of size bytes, holds what e was recorded with: the bytes before
// its offset and before its anchor. It returns the bytes before the offset.
func verify(f *os.File, e checkpoint.Entry, size int64) ([]byte, bool) {
	history, ok := entryTail(e).Verify(f, e.Offset)
	if !ok || e.AnchorAt > size {
		return nil, false
	}
	_, ok = fingerprint.Tail{Len: e.AnchorLen, Hash: e.Anchor}.Verify(f, e.AnchorAt)
	return history, ok
}

// entryTail is the tail a checkpoint entry was recorded with.
func entryTail(e checkpoint.Entry) fingerprint.Tail {
	return fingerprint.Tail{Len: e.TailLen, Hash: e.Tail}
}

// birthTime is when the file was created (statx's btime, in Unix nanoseconds), which tells a
// file from an earlier one that had its inode; 0 where the filesystem keeps none.
func birthTime(f *os.File) int64 {
	var stx unix.Statx_t
	if err := unix.Statx(int(f.Fd()), "", unix.AT_EMPTY_PATH, unix.STATX_BTIME, &stx); err != nil || stx.Mask&unix.STATX_BTIME == 0 {
		return 0
	}
	return stx.Btime.Sec*int64(time.Second) + int64(stx.Btime.Nsec)
}

// windowOf is the flight recorder's state a checkpoint entry keeps.
func windowOf(e checkpoint.Entry) reader.Window {
	return reader.Window{Start: e.Offset - e.WindowBytes, ShipUntil: e.ShipUntil, TriggerAt: e.TriggerAt}
}
