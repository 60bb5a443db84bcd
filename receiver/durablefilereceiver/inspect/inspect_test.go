// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package inspect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/checkpoint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/deadletter"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
)

// checkpointOf writes a checkpoint file in dir that tracks each path at its offset, as
// durable_file records them.
func checkpointOf(t *testing.T, dir, name string, offsets map[string]int64) {
	s, _, err := checkpoint.Open(filepath.Join(dir, name), checkpoint.Options{}, zap.NewNop(), checkpoint.Hooks{})
	require.NoError(t, err)
	go s.Run()
	var gen uint64
	for path, offset := range offsets {
		head, err := os.ReadFile(path)
		require.NoError(t, err)
		fp := fingerprint.New(head[:min(len(head), fingerprint.Size)])
		gen = s.Put(filepath.Base(path), checkpoint.Entry{Path: path, Offset: offset, FingerprintLen: fp.Len(), Fingerprint: fp.Hash(), Updated: 1764151200})
	}
	require.NoError(t, s.WaitDurable(context.Background(), gen))
	s.Close()
}

func TestTrackedFilesWithTheirLagAndState(t *testing.T) {
	logs, dir := t.TempDir(), t.TempDir()
	tailing, replaced, gone := filepath.Join(logs, "app.log"), filepath.Join(logs, "old.log"), filepath.Join(logs, "gone.log")
	for _, p := range []string{tailing, replaced, gone} {
		require.NoError(t, os.WriteFile(p, []byte("first line of "+p+"\nsecond line\n"), 0o644))
	}
	checkpointOf(t, dir, "durable_file.checkpoint", map[string]int64{tailing: 10, replaced: 30, gone: 5})
	require.NoError(t, os.WriteFile(replaced, []byte("another file now\n"), 0o644))
	require.NoError(t, os.Remove(gone))

	var out, errOut bytes.Buffer
	require.Equal(t, 0, Main([]string{"--dir", dir, "--json"}, &out, &errOut), errOut.String())
	var files []File
	require.NoError(t, json.Unmarshal(out.Bytes(), &files))
	require.Len(t, files, 3)
	byPath := map[string]File{}
	for _, f := range files {
		byPath[f.Path] = f
	}
	size := int64(len("first line of " + tailing + "\nsecond line\n"))
	assert.Equal(t, File{Checkpoint: "durable_file.checkpoint", Key: "app.log", Path: tailing, Fingerprint: byPath[tailing].Fingerprint,
		FingerprintLen: int(size), Offset: 10, Size: size, LagBytes: size - 10, LastDelivery: time.Unix(1764151200, 0).UTC(), State: StateTailing}, byPath[tailing])
	assert.Equal(t, StateReplaced, byPath[replaced].State)
	assert.Equal(t, int64(-1), byPath[replaced].LagBytes)
	assert.Equal(t, StateGone, byPath[gone].State)

	out.Reset()
	require.Equal(t, 0, Main([]string{"--dir", dir}, &out, &errOut))
	assert.Contains(t, out.String(), "PATH")
	assert.Regexp(t, `app\.log\s+tailing\s+10\s+\d+\s+\d+\s+2025-11-26T10:00:00Z`, out.String())
}

func TestUnreadableCheckpointIsNamedAndTheOthersStillPrinted(t *testing.T) {
	logs, dir := t.TempDir(), t.TempDir()
	app := filepath.Join(logs, "app.log")
	require.NoError(t, os.WriteFile(app, []byte("a line\n"), 0o644))
	checkpointOf(t, dir, "durable_file.checkpoint", map[string]int64{app: 7})
	require.NoError(t, os.WriteFile(filepath.Join(dir, "durable_file_other.checkpoint"), []byte("not a checkpoint"), 0o644))

	var out, errOut bytes.Buffer
	assert.Equal(t, 1, Main([]string{"--dir", dir}, &out, &errOut))
	assert.Contains(t, out.String(), app)
	assert.Contains(t, errOut.String(), "checkpoint file is corrupt")
}

func TestUsageErrors(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, Main(nil, &out, &errOut))
	assert.Contains(t, errOut.String(), "Usage: flightlog checkpoints --dir DIR")
	assert.Equal(t, 1, Main([]string{"--dir", t.TempDir()}, &out, &errOut))
	assert.Contains(t, errOut.String(), "no checkpoint file")
	assert.Equal(t, 1, Main([]string{"--dir", "/nonexistent"}, &out, &errOut))
}

// A checkpoint of format 3 names its file's inode and the bytes before its offset: a file at
// the path that begins alike but is another file is not the one it tracks.
func TestIdentityTellsAFileThatBeginsAlikeApart(t *testing.T) {
	logs, dir := t.TempDir(), t.TempDir()
	app := filepath.Join(logs, "app.log")
	banner := strings.Repeat("=== banner of the app ===\n", 60)
	require.NoError(t, os.WriteFile(app, []byte(banner+"run 1 line 1\n"), 0o644))
	s, _, err := checkpoint.Open(filepath.Join(dir, "durable_file.checkpoint"), checkpoint.Options{}, zap.NewNop(), checkpoint.Hooks{})
	require.NoError(t, err)
	go s.Run()
	f, err := os.Open(app)
	require.NoError(t, err)
	info, err := f.Stat()
	require.NoError(t, err)
	st := info.Sys().(*syscall.Stat_t)
	offset := info.Size()
	tail := fingerprint.TailOf(fingerprint.Before(f, offset))
	require.NoError(t, f.Close())
	fp := fingerprint.New([]byte(banner)[:fingerprint.Size])
	require.NoError(t, s.WaitDurable(context.Background(), s.Put("k", checkpoint.Entry{
		Path: app, Offset: offset, FingerprintLen: fp.Len(), Fingerprint: fp.Hash(), Updated: 1764151200,
		Dev: uint64(st.Dev), Ino: st.Ino, TailLen: tail.Len, Tail: tail.Hash, //nolint:unconvert // Dev is not uint64 on every platform
	})))
	s.Close()

	files, err := Dir(dir)
	require.NoError(t, err)
	require.Len(t, files, 1)
	assert.Equal(t, StateTailing, files[0].State)
	assert.Equal(t, st.Ino, files[0].Inode)
	assert.Equal(t, fmt.Sprintf("%016x", tail.Hash), files[0].Tail)
	var out, errOut bytes.Buffer
	require.Equal(t, 0, Main([]string{"--dir", dir}, &out, &errOut))
	assert.Contains(t, out.String(), fmt.Sprintf(":%d tail=%016x/%d", st.Ino, tail.Hash, tail.Len))

	require.NoError(t, os.Remove(app))
	require.NoError(t, os.WriteFile(app, []byte(banner+"run 2 line 1\n"), 0o644)) // the same size, too
	files, err = Dir(dir)
	require.NoError(t, err)
	assert.Equal(t, StateReplaced, files[0].State, "another file that begins alike")
}

// The dead-letter file beside a checkpoint is counted under the table, and --dead-letters
// prints each record with its file, byte range and the backend's answer.
func TestDeadLettersAreCountedAndShown(t *testing.T) {
	logs, dir := t.TempDir(), t.TempDir()
	app := filepath.Join(logs, "app.log")
	require.NoError(t, os.WriteFile(app, []byte("a line\n"), 0o644))
	checkpointOf(t, dir, "durable_file.checkpoint", map[string]int64{app: 7})
	record := plog.NewLogs()
	record.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty().Body().SetStr("a record too large")
	dl := &deadletter.File{Path: filepath.Join(dir, "durable_file"+deadletter.Suffix), MaxSize: 1 << 20}
	require.NoError(t, dl.Write(app, 7, 26, errors.New("rpc error: code = InvalidArgument desc = too large"), record))

	var out, errOut bytes.Buffer
	require.Equal(t, 0, Main([]string{"--dir", dir}, &out, &errOut), errOut.String())
	assert.Contains(t, out.String(), "Dead letters: 1 records the backend refused for good in durable_file.dead-letter.jsonl")
	out.Reset()
	require.Equal(t, 0, Main([]string{"--dir", dir, "--dead-letters"}, &out, &errOut), errOut.String())
	assert.Contains(t, out.String(), app+" [7, 26)  rpc error: code = InvalidArgument desc = too large")
	assert.Contains(t, out.String(), "a record too large")
}

// The flight recorder's window is shown: what is held back before the offset, and until
// when every record ships after the last trigger.
func TestTheRecordersWindowIsShown(t *testing.T) {
	logs, dir := t.TempDir(), t.TempDir()
	app := filepath.Join(logs, "app.log")
	require.NoError(t, os.WriteFile(app, []byte("first line\nsecond line\n"), 0o644))
	s, _, err := checkpoint.Open(filepath.Join(dir, "durable_file.checkpoint"), checkpoint.Options{}, zap.NewNop(), checkpoint.Hooks{})
	require.NoError(t, err)
	go s.Run()
	until := time.Date(2026, 12, 3, 10, 0, 31, 0, time.UTC)
	require.NoError(t, s.WaitDurable(context.Background(), s.Put("k", checkpoint.Entry{Path: app, Offset: 23, Updated: 1764151200,
		WindowBytes: 12, TriggerAt: 4, ShipUntil: until.UnixNano()})))
	s.Close()

	var out, errOut bytes.Buffer
	require.Equal(t, 0, Main([]string{"--dir", dir}, &out, &errOut), errOut.String())
	assert.Contains(t, out.String(), "held [11, 23); trigger@4 ships all until 2026-12-03T10:00:31Z")
	out.Reset()
	require.Equal(t, 0, Main([]string{"--dir", dir, "--json"}, &out, &errOut))
	assert.Contains(t, out.String(), `"window_start": 11`)
}
