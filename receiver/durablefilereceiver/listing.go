// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"os"
	"path/filepath"
	"time"

	"github.com/bmatcuk/doublestar/v4"
)

// Listing the include patterns (a glob, then a stat per matching file) at every poll_interval
// was a quarter of the CPU with 20 files writing 5 lines/s each (1.39–1.54 % of a core; 1.12–
// 1.17 % with no listing after the first). So a poll lists only when a listing may find
// something new:
//   - a directory that holds matching files or their symlink targets, or an include pattern's
//     base, changed: its mtime moves when an entry is created, removed or renamed in it;
//   - a file the last listing skipped because it was empty has grown, or a path could not be
//     opened;
//   - fullListingEvery poll intervals passed, for a file in a new subdirectory under a deep
//     pattern.
//
// A directory's mtime comes from the kernel's coarse clock, so an entry created in the same
// tick as the stat taken before a listing leaves the mtime as it was stat'd. As git does with
// its "racily clean" index entries, a directory whose mtime was less than racyWithin old at
// that stat is listed again at the next poll (without this rule, a file created right after a
// listing waited for the full one: p99 953 ms with 20 files).
const (
	fullListingEvery = 5
	racyWithin       = time.Second
)

// listingGate decides at each poll whether the files are listed.
type listingGate struct {
	bases []string
	dirs  map[string]dirStamp // as stat'd before the last listing
	empty []string            // matching files the last listing skipped because they were empty
	retry bool                // the last listing could not stat or open a matching file
	last  time.Time           // when the last listing ran
}

// dirStamp is a directory's mtime before a listing; zero when it did not exist.
type dirStamp struct {
	mtime time.Time
	racy  bool // too recent to tell a later change
}

func newListingGate(include []string) *listingGate {
	g := &listingGate{dirs: map[string]dirStamp{}}
	for _, pattern := range include {
		base, _ := doublestar.SplitPattern(filepath.ToSlash(pattern))
		g.bases = append(g.bases, filepath.FromSlash(base))
	}
	return g
}

// due tells whether the poll at now lists the files.
func (g *listingGate) due(now time.Time, pollInterval time.Duration) bool {
	if g.retry || now.Sub(g.last) >= fullListingEvery*pollInterval {
		return true
	}
	for dir, st := range g.dirs {
		if st.racy || !stampOf(dir, now).mtime.Equal(st.mtime) {
			return true
		}
	}
	for _, p := range g.empty {
		if info, err := os.Stat(p); err != nil || info.Size() > 0 {
			return true
		}
	}
	return false
}

// stamp stats the directories a listing is about to look at, before it does: a change made
// while it runs shows at the next poll.
func (g *listingGate) stamp(now time.Time) map[string]dirStamp {
	stamps := make(map[string]dirStamp, len(g.dirs)+len(g.bases))
	for dir := range g.dirs {
		stamps[dir] = stampOf(dir, now)
	}
	for _, dir := range g.bases {
		stamps[dir] = stampOf(dir, now)
	}
	return stamps
}

// listed records what the listing that began at now saw. dirs are the directories of the
// matching files and their symlink targets; one that was not stamped before the listing is
// racy, so the next poll lists again with a stamp taken first.
func (g *listingGate) listed(now time.Time, stamps map[string]dirStamp, dirs map[string]bool, empty []string, retry bool) {
	clear(g.dirs)
	for _, dir := range g.bases {
		g.dirs[dir] = stamps[dir]
	}
	for dir := range dirs {
		st, ok := stamps[dir]
		st.racy = st.racy || !ok
		g.dirs[dir] = st
	}
	g.empty, g.retry, g.last = empty, retry, now
}

func stampOf(dir string, now time.Time) dirStamp {
	info, err := os.Stat(dir)
	if err != nil {
		return dirStamp{}
	}
	m := info.ModTime()
	return dirStamp{mtime: m, racy: m.After(now.Add(-racyWithin))}
}
