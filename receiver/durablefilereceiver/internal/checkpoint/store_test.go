// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package checkpoint

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
)

const fileName = "durable_file.checkpoint"

func open(t *testing.T, dir string) (*Store, bool, error) {
	t.Helper()
	s, existed, err := Open(filepath.Join(dir, fileName), zap.NewNop(), Hooks{})
	if s != nil {
		go s.Run(time.Millisecond, 10*time.Millisecond)
		t.Cleanup(s.Close)
	}
	return s, existed, err
}

func TestPutIsDurableAfterWait(t *testing.T) {
	dir := t.TempDir()
	s, existed, err := open(t, dir)
	require.NoError(t, err)
	assert.False(t, existed)
	e := Entry{Path: "/var/log/app.log", Offset: 4096, FingerprintLen: 1000, Fingerprint: "abc", Updated: 1}
	require.NoError(t, s.WaitDurable(context.Background(), s.Put("k", e)))

	reopened, existed, err := open(t, dir)
	require.NoError(t, err)
	assert.True(t, existed)
	assert.Equal(t, map[string]Entry{"k": e}, reopened.Entries())
}

func TestCloseWritesPendingChanges(t *testing.T) {
	dir := t.TempDir()
	s, _, err := open(t, dir)
	require.NoError(t, err)
	s.Put("a", Entry{Offset: 1})
	s.Delete("a")
	s.Put("b", Entry{Offset: 2})
	s.Close()
	reopened, _, err := open(t, dir)
	require.NoError(t, err)
	assert.Equal(t, map[string]Entry{"b": {Offset: 2}}, reopened.Entries())
}

func TestCorruptCheckpointIsMovedAsideAndReported(t *testing.T) {
	good, err := encode(map[string]Entry{"k": {Path: "/a.log", Offset: 10}})
	require.NoError(t, err)
	tests := map[string][]byte{
		"torn":          good[:len(good)-5],
		"flipped byte":  append(append([]byte{}, good[:len(good)-3]...), 'X', good[len(good)-2], good[len(good)-1]),
		"no header":     []byte(`{"version":1,"files":{}}`),
		"empty":         {},
		"other version": []byte("flightlog-checkpoint v9 len=2 crc32c=00000000\n{}"),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, fileName), data, 0o640))
			s, existed, err := open(t, dir)
			require.ErrorIs(t, err, ErrCorrupt)
			require.NotNil(t, s, "a corrupt checkpoint must still give a usable store")
			assert.True(t, existed)
			assert.Empty(t, s.Entries())
			aside, _ := filepath.Glob(filepath.Join(dir, fileName+".corrupt-*"))
			assert.Len(t, aside, 1, "the corrupt file is kept for inspection")
		})
	}
}

func TestInterruptedWriteLeavesPreviousCheckpoint(t *testing.T) {
	dir := t.TempDir()
	s, _, err := open(t, dir)
	require.NoError(t, err)
	require.NoError(t, s.WaitDurable(context.Background(), s.Put("k", Entry{Offset: 100})))
	s.Close()
	// What a SIGKILL between writing the temp file and renaming it leaves behind.
	require.NoError(t, os.WriteFile(filepath.Join(dir, fileName+".tmp"), []byte("flightlog-checkpoint v1 len=999"), 0o640))

	reopened, _, err := open(t, dir)
	require.NoError(t, err)
	assert.Equal(t, int64(100), reopened.Entries()["k"].Offset)
	_, err = os.Stat(filepath.Join(dir, fileName+".tmp"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestFailedWriteKeepsWaitersWaitingAndRetries(t *testing.T) {
	dir := t.TempDir()
	s, _, err := open(t, dir)
	require.NoError(t, err)
	// A directory where the temp file should go makes every write fail.
	require.NoError(t, os.Mkdir(filepath.Join(dir, fileName+".tmp"), 0o750))
	require.NoError(t, os.WriteFile(filepath.Join(dir, fileName+".tmp", "x"), nil, 0o640))
	gen := s.Put("k", Entry{Offset: 7})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, s.WaitDurable(ctx, gen), context.DeadlineExceeded, "nothing may count as durable while writes fail")

	require.NoError(t, os.RemoveAll(filepath.Join(dir, fileName+".tmp")))
	require.NoError(t, s.WaitDurable(context.Background(), gen))
}
