// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/flightlog/flightlog/internal/otlpsink"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/inspect"
)

// checkpointsOf runs `flightlog checkpoints --dir dir --json` and returns what it printed.
func checkpointsOf(t *testing.T, dir string) []inspect.File {
	files, err := readCheckpoints(t, dir)
	require.NoError(t, err)
	return files
}

// readCheckpoints is checkpointsOf for conditions polled before a checkpoint exists.
func readCheckpoints(t *testing.T, dir string) ([]inspect.File, error) {
	cmd := exec.Command(binary(t), "checkpoints", "--dir", dir, "--json")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%w: %s%s", err, out, stderr.String())
	}
	var files []inspect.File
	return files, json.Unmarshal(out, &files)
}

// During a backend outage `flightlog checkpoints` shows the file's lag, the lag and retry
// metrics show on the collector's Prometheus endpoint, and when the backend is back
// shipping resumes by itself: no restart, every line, the lag back to 0.
func TestCheckpointsShowTheLagAndShippingResumesWithoutARestart(t *testing.T) {
	const lines = 20_000
	root := t.TempDir()
	backend, err := otlpsink.StartSequenced()
	require.NoError(t, err)
	t.Cleanup(backend.Stop)
	logs, checkpoints, port := filepath.Join(root, "logs"), filepath.Join(root, "checkpoints"), loopbackPort(t)
	require.NoError(t, os.MkdirAll(logs, 0o755))
	config := writeConfig(t, root, "sidecar.yaml", sidecarConfig, filepath.Join(logs, "*.log"), checkpoints, backend.Addr(), port)
	out := outputFile(t, filepath.Join(root, "collector.log"))
	c := startCollector(t, binary(t), config, out)
	w := newWriter(t, filepath.Join(logs, "app.log"))

	require.NoError(t, w.write(100))
	require.Eventually(t, func() bool { return backend.Records() == 100 }, 10*time.Second, 50*time.Millisecond)
	backend.SetRefusing(true)
	require.NoError(t, w.write(lines-100))
	require.Eventually(t, func() bool { return retries(port) > 0 }, 10*time.Second, 100*time.Millisecond)
	size := fileSize(t, w.path)

	files := checkpointsOf(t, checkpoints)
	require.Len(t, files, 1)
	f := files[0]
	t.Logf("during the outage: %+v", f)
	require.Equal(t, w.path, f.Path)
	require.Equal(t, inspect.StateTailing, f.State)
	require.Equal(t, size, f.Size)
	require.Equal(t, size-f.Offset, f.LagBytes)
	require.Positive(t, f.Offset, "the 100 lines delivered before the outage")
	require.Greater(t, f.LagBytes, size/2)
	require.Positive(t, metric(port, "otelcol_receiver_durable_file_lag"), "lag metric")

	backend.SetRefusing(false) // no restart
	missing, duplicates, other := awaitSequences(backend, lines, func() {})
	require.Zero(t, len(missing), "lines lost (first: %s)", firstFew(missing))
	require.Zero(t, other)
	require.Eventually(t, func() bool {
		files, err = readCheckpoints(t, checkpoints)
		return err == nil && len(files) == 1 && files[0].LagBytes == 0
	}, 10*time.Second, 100*time.Millisecond, "the lag never went back to 0: %+v", files)
	require.Eventually(t, func() bool { return metric(port, "otelcol_receiver_durable_file_lag") == 0 }, 10*time.Second, 100*time.Millisecond)
	t.Logf("after the outage, without a restart: %d lines, %d duplicates, %d retries, lag %d", lines, duplicates, retries(port), files[0].LagBytes)
	c.terminate(t)
}

func fileSize(t *testing.T, path string) int64 {
	info, err := os.Stat(path)
	require.NoError(t, err)
	return info.Size()
}
