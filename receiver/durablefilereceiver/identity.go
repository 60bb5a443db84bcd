// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"bytes"
	"os"
	"time"

	"go.uber.org/zap"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/checkpoint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
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
//   - copy: a file of another inode that holds the content of a file being read, or of one
//     whose content was truncated away in this run (copytruncate's rotated copy), continues
//     where that file's checkpoint stands. A copy still being written waits until it has
//     got that far, at most copyGrace.
//   - format 2: an entry written before identities, matched by its first bytes as it was
//     then, and given its identity at once.
//
// Anything else is a new file, read from its start: a shared beginning never skips data.

// copyGrace is how long a file that may be a copy still being written waits to be that long
// before it is read as a file of its own: logrotate copies a GiB in a second or two.
const copyGrace = 10 * time.Second

// start is where a newly found file is read from.
type start struct {
	offset int64
	key    string
	// history is the bytes just before offset, at most fingerprint.TailSize.
	history []byte
}

// identify decides which checkpoint a newly found file continues, if any, and where it is
// read from; false: look at it again at the next listing.
func (fs *files) identify(f *os.File, p string, fid fileID, fp fingerprint.Fingerprint, size int64, initial bool) (start, bool) {
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
			c.own = e.HasIdentity() && fileID{dev: e.Dev, ino: e.Ino} == fid
			switch {
			case !e.HasIdentity():
				if legacy == "" && !fs.bound[key] {
					legacy = key
				}
				continue
			case c.own && fs.bound[key]:
				continue
			case !c.own && !fs.bound[key] && !fs.truncated[key]:
				continue // another file that begins alike
			}
			if c.own && c.newer(last) {
				last = c
			}
			if e.Offset > size {
				wait = wait || (!c.own && fs.mayStillBeCopying(f, fid, e, size))
				continue
			}
			if c.history, c.verified = verify(f, e); c.verified && c.better(best) {
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
			return start{offset: e.Offset, key: key, history: best.history}, true
		case wait:
			return start{}, false
		case legacy != "" && last.key == "":
			return fs.upgrade(f, p, fid, legacy, size), true
		}
		delete(fs.copying, fid)
		if e := last.entry; last.key != "" && e.Size > e.Offset {
			fs.skipped(p, e.Offset, e.Size, "the file was truncated or replaced while the collector was stopped, before these bytes were read")
		}
	}
	if initial && fs.firstRun && fs.startAt == startAtEnd {
		if size > 0 {
			fs.skipped(p, 0, size, "start_at is end")
		}
		return start{offset: size, key: fs.newKey(fid), history: readBefore(f, size)}, true
	}
	return start{key: fs.newKey(fid)}, true
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

// mayStillBeCopying tells whether a file shorter than the checkpoint e it begins like may be
// a copy of e's file still being written: its last bytes are those of e's file, when that
// file is open, and it was first seen less than copyGrace ago.
func (fs *files) mayStillBeCopying(f *os.File, fid fileID, e checkpoint.Entry, size int64) bool {
	first, ok := fs.copying[fid]
	if !ok {
		first = time.Now()
		fs.copying[fid] = first
	}
	if time.Since(first) >= copyGrace {
		return false
	}
	if rd := fs.readers[fileID{dev: e.Dev, ino: e.Ino}]; rd != nil {
		return bytes.Equal(readBefore(f, size), readBefore(rd.file, size))
	}
	return true // the original was truncated: nothing to compare with
}

// upgrade resumes a file from a checkpoint entry of format 2, which only its first bytes
// identify, as format 2 did, and records its identity at once.
func (fs *files) upgrade(f *os.File, p string, fid fileID, key string, size int64) start {
	e := fs.index.entries[key]
	if e.Offset > size {
		// Shorter than what was acknowledged: it was truncated while we were away.
		return start{key: key}
	}
	history := readBefore(f, e.Offset)
	tail := fingerprint.TailOf(history)
	e.Dev, e.Ino, e.TailLen, e.Tail, e.Size, e.Path = fid.dev, fid.ino, tail.Len, tail.Hash, size, p
	fs.store.Rewrite(key, e)
	fs.logger.Info("Resumed a file from a checkpoint without identity (format 2); it is recorded with its inode and content now",
		zap.String("path", p), zap.Int64("offset", e.Offset))
	return start{offset: e.Offset, key: key, history: history}
}

// verify tells whether f still holds, just before e's offset, the bytes e was recorded
// with, and returns them.
func verify(f *os.File, e checkpoint.Entry) (history []byte, ok bool) {
	if int64(e.TailLen) != min(e.Offset, fingerprint.TailSize) {
		return nil, false
	}
	history = readBefore(f, e.Offset)
	return history, fingerprint.Tail{Len: e.TailLen, Hash: e.Tail}.Matches(history)
}

// readBefore returns the bytes of f just before offset, at most fingerprint.TailSize.
func readBefore(f *os.File, offset int64) []byte {
	n := min(offset, fingerprint.TailSize)
	buf := make([]byte, n)
	got, _ := f.ReadAt(buf, offset-n)
	return buf[:got]
}
