// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/fileconsumer/matcher"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/checkpoint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
)

// unmatchedReport is how often it is said again that no file matches the include patterns.
const unmatchedReport = time.Minute

// entryRetention is how long the checkpoint of a file that is no longer open is kept, so
// that a file which comes back (a rotated copy, a volume remounted) resumes instead of
// being read again.
const entryRetention = time.Hour

// file is an open file: its reader, the lifecycle that files decides, and when the
// scheduler reads it. Each part has one writer: files writes life, the scheduler turns.
type file struct {
	rd    *reader.Reader
	life  lifecycle
	turns scheduling
}

// lifecycle is what files decided about an open file.
type lifecycle struct {
	// orphaned: the file left the include set (rotated away or deleted). It is finished
	// once idle for the orphan grace.
	orphaned bool
	// superseded: a container log whose container restarted (the kubelet opened the next
	// <n>.log beside it). It is finished like an orphaned file, with a restart event.
	superseded bool
	removed    bool // the reader ended or was parked, and its file is closed
}

func fileIDOf(info os.FileInfo) reader.FileID {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return reader.FileID{Dev: uint64(st.Dev), Ino: st.Ino} //nolint:unconvert // Dev is not uint64 on every platform
	}
	return reader.FileID{}
}

// files discovers the files to read: it lists the include patterns, decides where a new file
// is read from (its checkpoint, a copy being read, or start_at), and keeps the set of open
// readers. Only the scheduler's goroutine changes it; mu guards the set for the metrics.
// It is the table its readers ask for new checkpoint keys and report problems to.
type files struct {
	include []string
	bases   []string // baseDirs of include
	// followOutside is follow_symlinks_outside.
	followOutside bool
	matcher       *matcher.Matcher
	gate          *listingGate
	reclaim       *reclaimer // nil unless reclaim is enabled
	reset         bool       // the checkpoint was corrupt and started over
	store         *checkpoint.Store
	firstRun      bool // no checkpoint existed: start_at applies to the first listing
	startAt       string
	maxOpen       int // max_concurrent_files
	// index finds checkpoints by fingerprint; built once per listing, when a file is opened.
	index  *checkpointIndex
	set    reader.Settings
	sink   reader.Sink // where its readers send batches
	logger *zap.Logger
	keySeq uint64

	mu      sync.Mutex
	readers map[reader.FileID]*file
	list    []*file         // open files in the order they were opened
	bound   map[string]bool // checkpoint keys of open incarnations
	// done holds superseded container logs that were finished: they stay on the node and
	// match, but are not read again.
	done map[reader.FileID]bool
	// parked holds files closed to stay within max_concurrent_files while idle and fully
	// delivered; they are opened again from their checkpoint once they grow.
	parked map[reader.FileID]parkedFile
	warned map[string]string
	// truncated holds the checkpoint keys of incarnations whose content was truncated away
	// in this run: a file of another inode that holds their content is their copy.
	truncated map[string]bool
	// copying holds files that may be copies still being written, since when.
	copying map[reader.FileID]time.Time
	// skippedBytes counts the bytes skipped, for the telemetry.
	skippedBytes func(int64)
	// unmatchedAt is when it was last said that no file matches.
	unmatchedAt time.Time
	// changed is set when a reader starts, ends or follows a rename: only then are the
	// watched directories worked out again (6 % of the CPU with 20 files when it ran,
	// with a symlink lookup per file, on every listing).
	changed bool
}

// parkedFile is a file closed while idle: the checkpoint key it is recorded under and its
// size, all delivered, when it was closed.
type parkedFile struct {
	key  string
	size int64
}

// discovery is what files needs of the configuration.
type discovery struct {
	include       []string
	startAt       string
	maxOpen       int  // max_concurrent_files
	followOutside bool // follow_symlinks_outside
	firstRun      bool // no checkpoint existed
	reset         bool // the checkpoint was corrupt and started over
}

func newFiles(ds discovery, m *matcher.Matcher, store *checkpoint.Store, reclaim *reclaimer, set reader.Settings, sink reader.Sink, skippedBytes func(int64), logger *zap.Logger) *files {
	fs := &files{
		include:       ds.include,
		bases:         baseDirs(ds.include),
		followOutside: ds.followOutside,
		matcher:       m,
		gate:          newListingGate(ds.include),
		reclaim:       reclaim,
		reset:         ds.reset,
		store:         store,
		firstRun:      ds.firstRun,
		startAt:       ds.startAt,
		maxOpen:       ds.maxOpen,
		set:           set,
		sink:          sink,
		logger:        logger,
		readers:       map[reader.FileID]*file{},
		bound:         map[string]bool{},
		done:          map[reader.FileID]bool{},
		parked:        map[reader.FileID]parkedFile{},
		warned:        map[string]string{},
		truncated:     map[string]bool{},
		copying:       map[reader.FileID]time.Time{},
		skippedBytes:  skippedBytes,
		changed:       true,
	}
	return fs
}

// scan lists matching files, opens readers for new ones and marks readers whose file left
// the include set. initial is the listing at start, where start_at applies. It returns the
// files it opened or marked: they need a read.
func (fs *files) scan(initial bool) (wake []*file) {
	now := time.Now()
	fs.index = nil
	stamps := fs.gate.stamp(now)
	paths, err := fs.matcher.MatchFiles()
	if len(paths) == 0 && now.Sub(fs.unmatchedAt) >= unmatchedReport {
		// A pattern with a typo ships nothing: say so while it lasts.
		fs.unmatchedAt = now
		fs.logger.Warn("No file matches the include patterns; nothing is shipped until one does",
			zap.Strings("include", fs.include), zap.NamedError("reason", err))
	}
	seen := make(map[reader.FileID]bool, len(paths))
	dirs := map[string]bool{}
	var empty []string
	var idle []*file // open files that may be closed to make room, idlest first
	retry := false
	for _, p := range paths {
		dirs[filepath.Dir(p)] = true
		info, err := os.Stat(p)
		if err != nil {
			fs.Warn(p, "Cannot stat file", err)
			retry = true
			continue
		}
		// An empty file has nothing to read, and a file that is still being created
		// (a rotated copy) cannot be matched to its checkpoint yet.
		if !info.Mode().IsRegular() {
			continue
		}
		if info.Size() == 0 {
			empty = append(empty, p)
			continue
		}
		fid := fileIDOf(info)
		seen[fid] = true
		if fs.done[fid] {
			continue
		}
		if f := fs.readers[fid]; f != nil {
			if f.rd.Path() != p {
				f.rd.SetPath(p)
				fs.changed = true
				if fs.reclaim != nil {
					fs.reclaim.rotated(f.rd.Key(), fid, p)
				}
			}
			continue
		}
		if pk, ok := fs.parked[fid]; ok && pk.size == info.Size() {
			continue // closed while idle, and still nothing new
		}
		if len(fs.readers) >= fs.maxOpen {
			if idle == nil {
				idle = fs.idlest()
			}
			if len(idle) == 0 {
				retry = true // every open file is busy: look again at the next poll
				continue
			}
			fs.park(idle[0])
			idle = idle[1:]
		}
		opened, ok := fs.open(p, fid, initial)
		wake = append(wake, opened...)
		retry = !ok || retry
	}
	for fid, f := range fs.readers {
		if !seen[fid] && !f.life.orphaned {
			f.life.orphaned = true
			wake = append(wake, f)
		}
		if real := f.rd.Real(); real != "" {
			dirs[filepath.Dir(real)] = true
		}
	}
	for fid := range fs.done {
		if !seen[fid] {
			delete(fs.done, fid)
		}
	}
	for fid := range fs.parked {
		if !seen[fid] {
			delete(fs.parked, fid) // its checkpoint stays for entryRetention, as any closed file's
		}
	}
	for fid := range fs.copying {
		if !seen[fid] {
			delete(fs.copying, fid)
		}
	}
	fs.gate.listed(now, stamps, dirs, empty, retry)
	fs.prune()
	return wake
}

// open starts reading a newly found file, and returns it with the files it supersedes;
// false: look at it again at the next poll.
func (fs *files) open(p string, fid reader.FileID, initial bool) ([]*file, bool) {
	if target, outside := fs.leadsOutside(p); outside {
		fs.Warn(p, "Not reading a symlink that leads out of the include patterns' directories (follow_symlinks_outside: true reads it)",
			fmt.Errorf("it leads to %s", target))
		return nil, true
	}
	f, err := os.Open(p)
	if err != nil {
		fs.Warn(p, "Cannot open file; will retry", err)
		return nil, false
	}
	info, err := f.Stat()
	if err != nil {
		_ = f.Close()
		fs.Warn(p, "Cannot stat file; will retry", err)
		return nil, false
	}
	head := make([]byte, min(info.Size(), fingerprint.Size))
	n, _ := f.ReadAt(head, 0)
	fp := fingerprint.New(head[:n])
	st, ok := fs.identify(f, p, fid, fp, info.Size(), initial)
	if !ok {
		_ = f.Close()
		return nil, false
	}
	key, offset := st.Key, st.Offset
	if after := seekData(f, offset, info.Size(), fs.set.MaxLogSize); after > offset {
		fs.Skipped(p, offset, after, "reclaim punched a hole there: the bytes before the first line after it were delivered before the checkpoint was lost")
		offset, st.History = after, fingerprint.Before(f, after)
	}
	if fs.reclaim != nil && initial && fs.reset {
		fs.reclaim.hold(key, fid, p, info.Size())
	}
	delete(fs.parked, fid)
	st.Key, st.Offset = key, offset
	nf := &file{rd: reader.New(fs.set, fs, fs.sink, f, fid, p, fp, st)}
	fs.mu.Lock()
	fs.readers[fid] = nf
	fs.mu.Unlock()
	fs.list = append(fs.list, nf)
	fs.bound[key] = true
	delete(fs.warned, p)
	fs.changed = true
	fs.logger.Debug("Started reading file", zap.String("path", p), zap.Int64("offset", offset))
	return append(fs.supersede(nf), nf), true
}

// leadsOutside tells whether p is, or lies under, a symlink whose target is outside every
// include pattern's base directory, unless follow_symlinks_outside allows it.
func (fs *files) leadsOutside(p string) (string, bool) {
	if fs.followOutside {
		return "", false
	}
	target, err := filepath.EvalSymlinks(p)
	if err != nil || target == p {
		return "", false
	}
	for _, base := range fs.bases {
		if target == base || strings.HasPrefix(target, base+string(filepath.Separator)) {
			return "", false
		}
	}
	return target, true
}

// baseDirs are the include patterns' base directories, as written and with their own
// symlinks resolved: the places a symlink may lead to.
func baseDirs(include []string) []string {
	var out []string
	for _, pattern := range include {
		base, _ := doublestar.SplitPattern(filepath.ToSlash(pattern))
		base = filepath.Clean(filepath.FromSlash(base))
		out = append(out, base)
		if real, err := filepath.EvalSymlinks(base); err == nil && real != base {
			out = append(out, real)
		}
	}
	return out
}

// supersede marks the container logs that nf's file follows, and returns them: the kubelet
// writes a container's next run to <n+1>.log beside <n>.log, and the older file gets no
// more lines.
func (fs *files) supersede(nf *file) (older []*file) {
	if fs.set.Format == reader.FormatPlain {
		return nil
	}
	container, run, ok := kubeletLogPath(nf.rd.Path())
	if !ok {
		return nil
	}
	dir := filepath.Dir(nf.rd.Path())
	for _, old := range fs.list {
		if old == nf || old.life.removed || old.life.superseded || filepath.Dir(old.rd.Path()) != dir {
			continue
		}
		c, n, ok := kubeletLogPath(old.rd.Path())
		switch {
		case !ok || c != container:
		case n < run:
			old.life.superseded, old.life.orphaned = true, true
			older = append(older, old)
		case n > run: // found in another order (10.log before 2.log)
			nf.life.superseded, nf.life.orphaned = true, true
		}
	}
	return older
}

func (fs *files) newKey(fid reader.FileID) string {
	fs.keySeq++
	return fmt.Sprintf("%x-%x-%x-%x", fid.Dev, fid.Ino, time.Now().UnixNano(), fs.keySeq)
}

// Rekey releases the key of an incarnation whose content was truncated away and binds a new
// one for the next. The old checkpoint stays, unbound, so that a copy of the old content
// (copytruncate's rotated file) resumes where it ended instead of being read again whole.
func (fs *files) Rekey(old string, fid reader.FileID) string {
	delete(fs.bound, old)
	fs.truncated[old] = true
	key := fs.newKey(fid)
	fs.bound[key] = true
	return key
}

// remove forgets a file that is finished and whose batches are all sent; sweep takes it
// out of the list once the scheduler's turn over the list is over.
func (fs *files) remove(f *file) {
	rd := f.rd
	if fs.reclaim != nil {
		if f.life.orphaned && !f.life.superseded { // the kubelet removes its container logs itself
			fs.reclaim.rotated(rd.Key(), rd.ID(), rd.Where())
		} else {
			fs.reclaim.forget(rd.Key())
		}
	}
	if f.life.superseded {
		fs.done[rd.ID()] = true
	}
	fs.close(f)
}

// idlest returns the open files that are idle and fully delivered, idlest first: those
// that may be closed to stay within max_concurrent_files. A file is idle when it was read
// since it was opened or notified and waits for writes.
func (fs *files) idlest() []*file {
	idle := []*file{}
	for _, f := range fs.list {
		if !f.turns.woken && !f.life.orphaned && !f.life.removed && f.rd.Parkable() {
			idle = append(idle, f)
		}
	}
	slices.SortFunc(idle, func(a, b *file) int { return a.rd.GrewAt().Compare(b.rd.GrewAt()) })
	return idle
}

// park closes an idle file whose checkpoint is durable (no batch in flight), to make room
// under max_concurrent_files; it is opened again from its checkpoint once it grows.
func (fs *files) park(f *file) {
	if fs.reclaim != nil {
		fs.reclaim.forget(f.rd.Key())
	}
	fs.parked[f.rd.ID()] = parkedFile{key: f.rd.Key(), size: f.rd.Offset()}
	fs.close(f)
}

// close ends an open file's reader and forgets it.
func (fs *files) close(f *file) {
	f.rd.Close()
	f.life.removed = true
	fs.mu.Lock()
	if fs.readers[f.rd.ID()] == f {
		delete(fs.readers, f.rd.ID())
	}
	fs.mu.Unlock()
	delete(fs.bound, f.rd.Key())
	fs.changed = true
}

func (fs *files) sweep() {
	if fs.changed {
		fs.list = slices.DeleteFunc(fs.list, func(f *file) bool { return f.life.removed })
	}
}

// closeAll closes every file when the receiver stops.
func (fs *files) closeAll() {
	for _, f := range fs.list {
		if !f.life.removed {
			f.rd.Close()
		}
	}
}

// Warn logs a problem with one path once until it changes.
func (fs *files) Warn(p, msg string, err error) {
	text := msg + ": " + err.Error()
	if fs.warned[p] == text {
		return
	}
	fs.warned[p] = text
	fs.logger.Warn(msg, zap.String("path", p), zap.Error(err))
}

// Skipped logs and counts a byte range of a file that will not be read, and why: nothing is
// left out in silence.
func (fs *files) Skipped(p string, from, to int64, why string) {
	fs.logger.Warn("Bytes of a file are not read: "+why, zap.String("path", p), zap.Int64("from", from), zap.Int64("to", to))
	fs.skippedBytes(to - from)
}

// prune forgets checkpoints of files not open for longer than entryRetention.
func (fs *files) prune() {
	cutoff := time.Now().Add(-entryRetention).Unix()
	parked := make(map[string]bool, len(fs.parked))
	for _, pk := range fs.parked {
		parked[pk.key] = true
	}
	for k, e := range fs.store.Entries() {
		if !fs.bound[k] && !parked[k] && e.Updated < cutoff {
			fs.store.Delete(k)
			delete(fs.truncated, k)
		}
	}
}

func (fs *files) observeLag(_ context.Context, o metric.Int64Observer) error {
	var lag int64
	fs.mu.Lock()
	for _, f := range fs.readers {
		lag += f.rd.Lag()
	}
	fs.mu.Unlock()
	o.Observe(lag)
	return nil
}

func (fs *files) observeOpenFiles(_ context.Context, o metric.Int64Observer) error {
	fs.mu.Lock()
	n := len(fs.readers)
	fs.mu.Unlock()
	o.Observe(int64(n))
	return nil
}
