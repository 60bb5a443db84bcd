// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flightlog/flightlog/internal/otlpsink"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/inspect"
)

// TestARecordRefusedForGoodCostsOneRecord: a backend that refuses for good (InvalidArgument,
// as an OTLP/HTTP backend's 400) every request holding one poison record among 100,000
// lines. 99,999 arrive once, the poison one is in the dead-letter file with the backend's
// answer, flightlog checkpoints counts it, and the file goes on.
func TestARecordRefusedForGoodCostsOneRecord(t *testing.T) {
	const lines, poisonAt = 100_000, 61_234
	e := newEnvWith(t, "*.log", otlpsink.StartSequenced)
	e.sink.SetPoison("POISON")
	w := newWriter(t, filepath.Join(e.dir, "app.log"))
	c := e.start()
	for w.written() < lines {
		n := min(1000, lines-int(w.written()))
		if w.written() <= poisonAt && poisonAt < w.written()+int64(n) {
			require.NoError(t, w.write(int(poisonAt-w.written())))
			w.pad = strings.Repeat("x", 150) + " POISON"
			require.NoError(t, w.write(1))
			w.pad = strings.Repeat("x", 160)
			continue
		}
		require.NoError(t, w.write(n))
	}
	allBut := func(n int) (missing []int, duplicates int) {
		for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
			if missing, duplicates, _ = e.sink.Sequences(n); len(missing) <= 1 || time.Now().After(deadline) {
				return missing, duplicates
			}
		}
	}
	missing, duplicates := allBut(lines)
	require.Equal(t, []int{poisonAt}, missing, "only the poison record is not delivered")
	assert.Zero(t, duplicates)

	checkpoints := filepath.Join(filepath.Dir(e.dir), "checkpoint")
	var dead []inspect.DeadLetters
	require.Eventually(t, func() bool {
		var err error
		dead, err = inspect.DeadLettersIn(checkpoints)
		return err == nil && len(dead) == 1 && len(dead[0].Letters) == 1
	}, 10*time.Second, 50*time.Millisecond)
	letter := dead[0].Letters[0]
	assert.Equal(t, w.path, letter.Path)
	assert.Contains(t, letter.Answer, "InvalidArgument")
	assert.Contains(t, string(letter.Logs), fmt.Sprintf("seq=%09d", poisonAt))
	out, err := exec.Command(binary(t), "checkpoints", "--dir", checkpoints).CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "Dead letters: 1 records the backend refused for good")

	require.NoError(t, w.write(100)) // the file is not blocked
	missing, _ = allBut(lines + 100)
	assert.Equal(t, []int{poisonAt}, missing)
	c.terminate(t)
	logs, err := os.ReadFile(e.logs.Name())
	require.NoError(t, err)
	assert.Contains(t, string(logs), "written to the dead-letter file")
}
