// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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
)

// unmatchedReport is how often it is said again that no file matches the include patterns.
const unmatchedReport = time.Minute

// entryRetention is how long the checkpoint of a file that is no longer open is kept, so
// that a file which comes back (a rotated copy, a volume remounted) resumes instead of
// being read again.
const entryRetention = time.Hour

type FileID struct{ Dev, Ino uint64 }

func fileIDOf(info os.FileInfo) FileID {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return FileID{Dev: uint64(st.Dev), Ino: st.Ino} //nolint:unconvert // Dev is not uint64 on every platform
	}
	return FileID{}
}

// files discovers the files to read: it lists the include patterns, decides where a new file
// is read from (its checkpoint, a copy being read, or start_at), and keeps the set of open
// readers. Only the scheduler's goroutine changes it; mu guards the set for the metrics.
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
	set    Settings
	hooks  readerHooks
	logger *zap.Logger
	keySeq uint64

	mu      sync.Mutex
	readers map[FileID]*Reader
	list    []*Reader       // readers in the order they were opened
	bound   map[string]bool // checkpoint keys of open incarnations
	// done holds superseded container logs that were finished: they stay on the node and
	// match, but are not read again.
	done map[FileID]bool
	// parked holds files closed to stay within max_concurrent_files while idle and fully
	// delivered; they are opened again from their checkpoint once they grow.
	parked map[FileID]parkedFile
	warned map[string]string
	// truncated holds the checkpoint keys of incarnations whose content was truncated away
	// in this run: a file of another inode that holds their content is their copy.
	truncated map[string]bool
	// copying holds files that may be copies still being written, since when.
	copying map[FileID]time.Time
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
}

func newFiles(ds discovery, m *matcher.Matcher, store *checkpoint.Store, set Settings, hooks readerHooks, skippedBytes func(int64), logger *zap.Logger) *files {
	fs := &files{
		include:       ds.include,
		bases:         baseDirs(ds.include),
		followOutside: ds.followOutside,
		matcher:       m,
		gate:          newListingGate(ds.include),
		store:         store,
		firstRun:      ds.firstRun,
		startAt:       ds.startAt,
		maxOpen:       ds.maxOpen,
		set:           set,
		hooks:         hooks,
		logger:        logger,
		readers:       map[FileID]*Reader{},
		bound:         map[string]bool{},
		done:          map[FileID]bool{},
		parked:        map[FileID]parkedFile{},
		warned:        map[string]string{},
		truncated:     map[string]bool{},
		copying:       map[FileID]time.Time{},
		skippedBytes:  skippedBytes,
		changed:       true,
	}
	fs.hooks.rekey = fs.rekey
	fs.hooks.warn = fs.warnOnce
	fs.hooks.skipped = fs.skipped
	return fs
}

// scan lists matching files, opens readers for new ones and marks readers whose file left
// the include set. initial is the listing at start, where start_at applies.
func (fs *files) scan(initial bool) {
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
	seen := make(map[FileID]bool, len(paths))
	dirs := map[string]bool{}
	var empty []string
	var idle []*Reader // open files that may be closed to make room, idlest first
	retry := false
	for _, p := range paths {
		dirs[filepath.Dir(p)] = true
		info, err := os.Stat(p)
		if err != nil {
			fs.warnOnce(p, "Cannot stat file", err)
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
		if rd := fs.readers[fid]; rd != nil {
			if rd.path != p {
				rd.SetPath(p)
				fs.changed = true
				if fs.reclaim != nil {
					fs.reclaim.rotated(rd.key, fid, p)
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
		retry = !fs.open(p, fid, initial) || retry
	}
	for fid, rd := range fs.readers {
		if !seen[fid] && !rd.orphaned {
			rd.orphaned, rd.woken = true, true
		}
		if rd.real != "" {
			dirs[filepath.Dir(rd.real)] = true
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
}

// open starts reading a newly found file; false: look at it again at the next poll.
func (fs *files) open(p string, fid FileID, initial bool) bool {
	if target, outside := fs.leadsOutside(p); outside {
		fs.warnOnce(p, "Not reading a symlink that leads out of the include patterns' directories (follow_symlinks_outside: true reads it)",
			fmt.Errorf("it leads to %s", target))
		return true
	}
	f, err := os.Open(p)
	if err != nil {
		fs.warnOnce(p, "Cannot open file; will retry", err)
		return false
	}
	info, err := f.Stat()
	if err != nil {
		_ = f.Close()
		fs.warnOnce(p, "Cannot stat file; will retry", err)
		return false
	}
	head := make([]byte, min(info.Size(), fingerprint.Size))
	n, _ := f.ReadAt(head, 0)
	fp := fingerprint.New(head[:n])
	st, ok := fs.identify(f, p, fid, fp, info.Size(), initial)
	if !ok {
		_ = f.Close()
		return false
	}
	key, offset := st.Key, st.Offset
	if after := seekData(f, offset, info.Size(), fs.set.MaxLogSize); after > offset {
		fs.skipped(p, offset, after, "reclaim punched a hole there: the bytes before the first line after it were delivered before the checkpoint was lost")
		offset, st.History = after, fingerprint.Before(f, after)
	}
	if fs.reclaim != nil && initial && fs.reset {
		fs.reclaim.hold(key, fid, p, info.Size())
	}
	delete(fs.parked, fid)
	st.Key, st.Offset = key, offset
	rd := New(fs.set, fs.hooks, f, fid, p, fp, st)
	rd.woken = true
	fs.mu.Lock()
	fs.readers[fid] = rd
	fs.mu.Unlock()
	fs.list = append(fs.list, rd)
	fs.bound[key] = true
	delete(fs.warned, p)
	fs.changed = true
	fs.logger.Debug("Started reading file", zap.String("path", p), zap.Int64("offset", offset))
	fs.supersede(rd)
	return true
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

// supersede finishes the container logs that rd's file follows: the kubelet writes a
// container's next run to <n+1>.log beside <n>.log, and the older file gets no more lines.
func (fs *files) supersede(rd *Reader) {
	if fs.set.Format == FormatPlain {
		return
	}
	container, run, ok := kubeletLogPath(rd.path)
	if !ok {
		return
	}
	dir := filepath.Dir(rd.path)
	for _, old := range fs.list {
		if old == rd || old.removed || old.superseded || filepath.Dir(old.path) != dir {
			continue
		}
		c, n, ok := kubeletLogPath(old.path)
		switch {
		case !ok || c != container:
		case n < run:
			old.superseded, old.orphaned, old.woken = true, true, true
		case n > run: // found in another order (10.log before 2.log)
			rd.superseded, rd.orphaned = true, true
		}
	}
}

func (fs *files) newKey(fid FileID) string {
	fs.keySeq++
	return fmt.Sprintf("%x-%x-%x-%x", fid.Dev, fid.Ino, time.Now().UnixNano(), fs.keySeq)
}

// rekey releases the key of an incarnation whose content was truncated away and binds a new
// one for the next. The old checkpoint stays, unbound, so that a copy of the old content
// (copytruncate's rotated file) resumes where it ended instead of being read again whole.
func (fs *files) rekey(old string, fid FileID) string {
	delete(fs.bound, old)
	fs.truncated[old] = true
	key := fs.newKey(fid)
	fs.bound[key] = true
	return key
}

// remove forgets a reader whose file is finished and whose batches are all sent; sweep
// takes it out of the list once the scheduler's turn over the list is over.
func (fs *files) remove(rd *Reader) {
	if fs.reclaim != nil {
		if rd.orphaned && !rd.superseded { // the kubelet removes its container logs itself
			fs.reclaim.rotated(rd.key, rd.fid, currentPath(rd.file))
		} else {
			fs.reclaim.forget(rd.key)
		}
	}
	if rd.superseded {
		fs.done[rd.fid] = true
	}
	_ = rd.file.Close()
	rd.removed = true
	fs.mu.Lock()
	if fs.readers[rd.fid] == rd {
		delete(fs.readers, rd.fid)
	}
	fs.mu.Unlock()
	delete(fs.bound, rd.key)
	fs.changed = true
}

// idlest returns the open files that are idle and fully delivered, idlest first: those
// that may be closed to stay within max_concurrent_files.
func (fs *files) idlest() []*Reader {
	idle := []*Reader{}
	for _, rd := range fs.list {
		if rd.Parkable() {
			idle = append(idle, rd)
		}
	}
	slices.SortFunc(idle, func(a, b *Reader) int { return a.grewAt.Compare(b.grewAt) })
	return idle
}

// park closes an idle file whose checkpoint is durable (no batch in flight), to make room
// under max_concurrent_files; it is opened again from its checkpoint once it grows.
func (fs *files) park(rd *Reader) {
	if fs.reclaim != nil {
		fs.reclaim.forget(rd.key)
	}
	fs.parked[rd.fid] = parkedFile{key: rd.key, size: rd.readPos}
	_ = rd.file.Close()
	rd.removed = true
	fs.mu.Lock()
	delete(fs.readers, rd.fid)
	fs.mu.Unlock()
	delete(fs.bound, rd.key)
	fs.changed = true
}

func (fs *files) sweep() {
	if fs.changed {
		fs.list = slices.DeleteFunc(fs.list, func(rd *Reader) bool { return rd.removed })
	}
}

// closeAll closes every file when the receiver stops.
func (fs *files) closeAll() {
	for _, rd := range fs.list {
		if !rd.removed {
			_ = rd.file.Close()
		}
	}
}

// wakeAll has every reader read at the next turn: the listing's fallback for notifications.
func (fs *files) wakeAll() {
	for _, rd := range fs.list {
		rd.woken = true
	}
}

// currentPath is where an open file is now, "" when it has no name left or it cannot be
// told (no /proc).
func currentPath(f *os.File) string {
	p, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(f.Fd())))
	if err != nil || strings.HasSuffix(p, " (deleted)") {
		return ""
	}
	return p
}

// warnOnce logs a problem with one path once until it changes.
func (fs *files) warnOnce(p, msg string, err error) {
	text := msg + ": " + err.Error()
	if fs.warned[p] == text {
		return
	}
	fs.warned[p] = text
	fs.logger.Warn(msg, zap.String("path", p), zap.Error(err))
}

// skipped logs and counts a byte range of a file that will not be read, and why: nothing is
// left out in silence.
func (fs *files) skipped(p string, from, to int64, why string) {
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
	for _, rd := range fs.readers {
		lag += max(0, rd.size.Load()-rd.acks.Load().Acked())
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
