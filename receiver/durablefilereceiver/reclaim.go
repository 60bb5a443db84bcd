// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"

	"go.uber.org/zap"
	"golang.org/x/sys/unix"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
)

// An app in a sidecar Pod appends to a file on an emptyDir, usually without rotation, until
// the volume's sizeLimit gets the Pod evicted. Only this receiver knows which bytes the
// backend has: once a durable checkpoint covers a range, the reclaimer punches a hole there
// (fallocate(FALLOC_FL_PUNCH_HOLE)). The app goes on appending at its offset, the file keeps
// its size, and the blocks go back to the filesystem (ext4, xfs, tmpfs). It never punches
// ahead of a durable checkpoint, nor into the most recent keep bytes of a file, and only in
// whole min_chunk units aligned in the file. A rotated file that is fully delivered can be
// removed (remove_rotated).
//
// A punched range reads back as zeros. Files are opened past it (seekData), so a file found
// without a checkpoint does not ship the NULs.

// reclaimer owns the reclaim state of every file. Delivery's callers tell it what became
// durable; its goroutine punches and removes, so that no system call is on the ack path.
type reclaimer struct {
	set    ReclaimConfig
	logger *zap.Logger
	// reclaimed and removed count for the telemetry.
	reclaimed func(n int64)
	removed   func()
	// fallocate is unix.Fallocate; tests replace it to play a filesystem without holes.
	fallocate func(fd int, mode uint32, off, n int64) error

	mu    sync.Mutex
	files map[string]*reclaimFile // by checkpoint key
	seq   uint64
	wake  chan struct{}

	// Only the goroutine touches these.
	unsupported map[uint64]bool // devices that refused to punch holes
	warned      map[string]bool
}

// reclaimFile is one file incarnation's reclaim state.
type reclaimFile struct {
	fid     reader.FileID
	acks    *reader.Acks // the incarnation: retired when the file was truncated
	fpLen   int
	fpHash  string
	path    string
	seq     uint64           // order in which files were first seen, for remove_rotated
	durable int64            // end of the range a durable checkpoint covers
	tail    fingerprint.Tail // of the bytes before durable
	window  int64            // where the flight recorder's window begins: nothing from there is given back
	from    int64            // nothing is given back before durable passes this: a reset checkpoint
	punched int64            // holes cover [0, punched); -1 until looked up
	rotated bool
	off     bool // this file cannot be punched (permissions, its filesystem)
}

func newReclaimer(set ReclaimConfig, logger *zap.Logger, reclaimed func(int64), removed func()) *reclaimer {
	return &reclaimer{
		set: set, logger: logger, reclaimed: reclaimed, removed: removed, fallocate: unix.Fallocate,
		files: map[string]*reclaimFile{}, wake: make(chan struct{}, 1),
		unsupported: map[uint64]bool{}, warned: map[string]bool{},
	}
}

func (r *reclaimer) file(key string, fid reader.FileID, path string) *reclaimFile {
	f := r.files[key]
	if f == nil {
		r.seq++
		f = &reclaimFile{fid: fid, path: path, seq: r.seq, punched: -1}
		r.files[key] = f
	}
	return f
}

// hold keeps a file's bytes until its durable checkpoint passes until: the checkpoint it
// started from was reset, so the file is read again before anything is given back.
func (r *reclaimer) hold(key string, fid reader.FileID, path string, until int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.file(key, fid, path).from = until
}

// durable is the checkpoint stage's hook: a durable checkpoint covers b's bytes.
func (r *reclaimer) durable(b *reader.Batch) {
	r.mu.Lock()
	f := r.file(b.Key, b.File, b.Path)
	if b.End > f.durable || b.End == f.durable && b.Window.Start > f.window {
		f.durable, f.tail, f.window = b.End, b.Tail, b.Window.Start
	}
	f.acks = b.Acks
	if !f.rotated {
		// A batch read before the rename was seen carries the old path, which names the
		// new file by now.
		f.path = b.Path
	}
	f.fpLen, f.fpHash = b.FPLen, b.FPHash
	due := f.rotated || r.target(f) >= max(f.punched, 0)+int64(r.set.MinChunk)
	r.mu.Unlock()
	if due {
		r.poke()
	}
}

// rotated is files' hook when a file left its path (renamed, or no longer matched): path is
// where it is now, "" if unknown.
func (r *reclaimer) rotated(key string, fid reader.FileID, path string) {
	if !r.set.RemoveRotated || path == "" {
		r.forget(key)
		return
	}
	r.mu.Lock()
	f := r.file(key, fid, path)
	f.rotated, f.path = true, path
	r.mu.Unlock()
	r.poke()
}

func (r *reclaimer) poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// target is where holes may reach in f: below its durable checkpoint, the flight
// recorder's window (records a trigger could still ship) and its last keep bytes, in whole
// chunks. The bytes just before the durable checkpoint are never punched: they tell the
// file's content from another's (fingerprint.TailSize).
func (r *reclaimer) target(f *reclaimFile) int64 {
	if f.off || f.durable < f.from {
		return 0
	}
	chunk := int64(r.set.MinChunk)
	end := min(f.durable-max(int64(r.set.Keep), fingerprint.TailSize), f.window)
	return max(0, end/chunk*chunk)
}

// first is where holes may start: after the chunk that holds the fingerprint.
func (r *reclaimer) first() int64 { return int64(r.set.MinChunk) }

func (r *reclaimer) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		}
		r.turn()
	}
}

type reclaimWork struct {
	key     string
	f       reclaimFile
	target  int64
	remove  bool  // rotated, and newer files in its directory hold keep bytes
	newerIn int64 // durable bytes of files seen after it in its directory
}

// turn does what is due, outside the lock: a punch per file that moved a chunk, and the
// removal of rotated files that are fully delivered.
func (r *reclaimer) turn() {
	var work []reclaimWork
	r.mu.Lock()
	for key, f := range r.files {
		if f.acks != nil && f.acks.IsRetired() {
			delete(r.files, key) // truncated: its offsets mean nothing in the file now
			continue
		}
		w := reclaimWork{key: key, f: *f, target: r.target(f)}
		if f.rotated {
			dir := filepath.Dir(f.path)
			for _, g := range r.files {
				if g.seq > f.seq && filepath.Dir(g.path) == dir {
					w.newerIn += g.durable
				}
			}
			w.remove = w.newerIn >= int64(r.set.Keep)
		}
		if w.remove || w.target >= max(f.punched, r.first())+int64(r.set.MinChunk) {
			work = append(work, w)
		}
	}
	r.mu.Unlock()
	for _, w := range work {
		if w.remove {
			r.remove(w)
			continue
		}
		punched, off := r.punch(w.f, w.target)
		r.mu.Lock()
		if f := r.files[w.key]; f != nil {
			f.punched, f.off = max(f.punched, punched), f.off || off
		}
		r.mu.Unlock()
	}
}

// punch gives back f's blocks below target. It returns how far holes now reach, and off
// when the file cannot be punched.
func (r *reclaimer) punch(f reclaimFile, target int64) (punched int64, off bool) {
	if r.unsupported[f.fid.Dev] {
		return f.punched, true
	}
	file, err := os.OpenFile(f.path, os.O_RDWR, 0) // read: the fingerprint check
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			r.warnOnce(f.path, "Cannot open file to reclaim delivered space; reclaim is off for it", err)
		}
		return f.punched, true
	}
	defer file.Close()
	if !r.sameIncarnation(file, f) {
		return f.punched, false // renamed away, replaced or rewritten: never touch it
	}
	fd := int(file.Fd())
	from := f.punched
	if from < 0 {
		// After a restart: holes may already reach the first data after the head.
		from = r.first()
		if d, err := unix.Seek(fd, r.first(), unix.SEEK_DATA); err == nil {
			from = max(from, min(d/int64(r.set.MinChunk)*int64(r.set.MinChunk), target))
		}
	}
	if target <= from {
		return from, false
	}
	err = r.fallocate(fd, unix.FALLOC_FL_PUNCH_HOLE|unix.FALLOC_FL_KEEP_SIZE, from, target-from)
	switch {
	case errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ENOSYS):
		r.unsupported[f.fid.Dev] = true
		r.logger.Warn("The filesystem cannot punch holes; reclaim is off for the files on it",
			zap.String("path", f.path), zap.Error(err))
		return from, true
	case err != nil:
		r.warnOnce(f.path, "Reclaiming delivered space failed; will retry", err)
		return from, false
	}
	r.reclaimed(target - from)
	return target, false
}

// sameIncarnation tells whether file is still the incarnation f's offsets were taken in:
// the same inode, at least as long as its durable checkpoint, beginning with its fingerprint
// and holding, just before the checkpoint, the bytes that were delivered there. A file
// truncated and written again past the checkpoint with the same first bytes (a banner) is
// another content, whose bytes were not delivered.
func (r *reclaimer) sameIncarnation(file *os.File, f reclaimFile) bool {
	info, err := file.Stat()
	if err != nil || fileIDOf(info) != f.fid || info.Size() < f.durable || f.fpLen == 0 {
		return false
	}
	head := make([]byte, f.fpLen)
	n, _ := file.ReadAt(head, 0)
	return fingerprint.New(head[:n]).HasPrefixHash(f.fpLen, f.fpHash) && f.tail.Matches(fingerprint.Before(file, f.durable))
}

// remove deletes a rotated file once it is fully delivered, if its path still names it.
func (r *reclaimer) remove(w reclaimWork) {
	info, err := os.Stat(w.f.path)
	switch {
	case err == nil && fileIDOf(info) == w.f.fid && info.Size() > w.f.durable:
		return // not all delivered yet
	case err == nil && fileIDOf(info) == w.f.fid:
		if err = os.Remove(w.f.path); err == nil {
			r.removed()
			r.logger.Debug("Removed a rotated file that was fully delivered", zap.String("path", w.f.path))
		}
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		r.warnOnce(w.f.path, "Cannot remove a delivered rotated file", err)
	}
	r.mu.Lock()
	delete(r.files, w.key)
	r.mu.Unlock()
}

// forget drops a file incarnation whose reader ended, unless it waits to be removed.
func (r *reclaimer) forget(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f := r.files[key]; f != nil && !f.rotated {
		delete(r.files, key)
	}
}

func (r *reclaimer) warnOnce(path, msg string, err error) {
	if r.warned[path] {
		return
	}
	r.warned[path] = true
	r.logger.Warn(msg, zap.String("path", path), zap.Error(err))
}

// seekData moves a start offset past a hole that follows it (a punched, delivered range)
// to the first line that begins after the hole: everything before a hole's end was
// delivered, since holes stay keep bytes behind a durable checkpoint, and the line the hole
// cut was delivered with it. Without holes it returns offset.
func seekData(f *os.File, offset, size int64, maxLine int) int64 {
	fd := int(f.Fd())
	h, err := unix.Seek(fd, offset, unix.SEEK_HOLE)
	if err != nil || h >= size {
		return offset
	}
	d, err := unix.Seek(fd, h, unix.SEEK_DATA)
	if err != nil {
		return size // a hole up to the end
	}
	buf := make([]byte, maxLine)
	n, _ := f.ReadAt(buf, d)
	for i, c := range buf[:n] {
		if c == '\n' {
			return d + int64(i) + 1
		}
	}
	return d
}
