// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testPoll = 200 * time.Millisecond

// settledDir returns a directory whose mtime is an hour old, so that it is not racy.
func settledDir(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), []byte("x\n"), 0o644))
	}
	settle(t, dir)
	return dir
}

func settle(t *testing.T, dir string) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	require.NoError(t, os.Chtimes(dir, old, old))
}

// listedAt runs the gate's side of a listing of dir at now.
func listedAt(g *listingGate, now time.Time, dirs map[string]bool, empty ...string) {
	g.listed(now, g.stamp(now), dirs, empty, false)
}

func TestListingGateListsWhenADirectoryChanges(t *testing.T) {
	dir := settledDir(t, "a.log")
	g := newListingGate([]string{filepath.Join(dir, "*.log")})
	now := time.Now()
	listedAt(g, now, map[string]bool{dir: true})
	assert.False(t, g.due(now.Add(testPoll), testPoll), "nothing changed")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.log"), []byte("b\n"), 0o644))
	assert.True(t, g.due(now.Add(testPoll), testPoll), "a file was created")
}

func TestListingGateListsAgainWhileADirectoryIsRacy(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.log"), []byte("a\n"), 0o644))
	g := newListingGate([]string{filepath.Join(dir, "*.log")})
	now := time.Now()
	listedAt(g, now, map[string]bool{dir: true})
	// A file created in the same clock tick as the stamp would leave the mtime unchanged.
	assert.True(t, g.due(now.Add(testPoll), testPoll), "mtime within racyWithin of the stamp")

	settle(t, dir)
	listedAt(g, now, map[string]bool{dir: true})
	assert.False(t, g.due(now.Add(testPoll), testPoll), "stamped once settled")
}

func TestListingGateListsADirectoryFoundByTheListingAgain(t *testing.T) {
	base := settledDir(t)
	sub := filepath.Join(base, "c1")
	require.NoError(t, os.Mkdir(sub, 0o755))
	settle(t, sub)
	settle(t, base)
	g := newListingGate([]string{filepath.Join(base, "*", "*.log")})
	now := time.Now()
	listedAt(g, now, map[string]bool{sub: true}) // sub was not stamped before this listing
	assert.True(t, g.due(now.Add(testPoll), testPoll))

	listedAt(g, now, map[string]bool{sub: true})
	assert.False(t, g.due(now.Add(testPoll), testPoll))
}

func TestListingGateListsWhenAnEmptyFileGrows(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "a.log")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	settle(t, dir)
	g := newListingGate([]string{filepath.Join(dir, "*.log")})
	now := time.Now()
	listedAt(g, now, map[string]bool{dir: true}, empty)
	assert.False(t, g.due(now.Add(testPoll), testPoll), "still empty")

	require.NoError(t, os.WriteFile(empty, []byte("a\n"), 0o644))
	assert.True(t, g.due(now.Add(testPoll), testPoll))
}

func TestListingGateListsWhenTheBaseAppears(t *testing.T) {
	base := filepath.Join(settledDir(t), "logs")
	g := newListingGate([]string{filepath.Join(base, "*.log")})
	now := time.Now()
	listedAt(g, now, map[string]bool{})
	assert.False(t, g.due(now.Add(testPoll), testPoll), "the base does not exist yet")

	require.NoError(t, os.Mkdir(base, 0o755))
	assert.True(t, g.due(now.Add(testPoll), testPoll))
}

func TestListingGateListsInFullEveryFewPolls(t *testing.T) {
	dir := settledDir(t, "a.log")
	g := newListingGate([]string{filepath.Join(dir, "*.log")})
	now := time.Now()
	listedAt(g, now, map[string]bool{dir: true})
	assert.False(t, g.due(now.Add((fullListingEvery-1)*testPoll), testPoll))
	assert.True(t, g.due(now.Add(fullListingEvery*testPoll), testPoll))
}

func TestListingGateListsEveryPollWhileAFileCannotBeOpened(t *testing.T) {
	dir := settledDir(t, "a.log")
	g := newListingGate([]string{filepath.Join(dir, "*.log")})
	now := time.Now()
	g.listed(now, g.stamp(now), map[string]bool{dir: true}, nil, true)
	assert.True(t, g.due(now.Add(testPoll), testPoll))
}
