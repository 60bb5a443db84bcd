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

	"github.com/stretchr/testify/require"

	"github.com/flightlog/flightlog/internal/otlpsink"
)

// A full checkpoint volume (a 1 MiB tmpfs the test mounts, filled up) keeps shipping and
// warns; checkpointing resumes by itself when space returns, the checkpoint is never torn,
// and after a SIGKILL nothing is sent again.
func TestFullCheckpointVolumeKeepsShippingAndResumesCheckpointing(t *testing.T) {
	const files, lines = 60, 100
	root := t.TempDir()
	checkpoints := filepath.Join(root, "checkpoints")
	require.NoError(t, os.Mkdir(checkpoints, 0o755))
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", checkpoints).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs for the checkpoint volume (needs root): %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", checkpoints).Run() })
	backend, err := otlpsink.StartSequenced()
	require.NoError(t, err)
	t.Cleanup(backend.Stop)
	logs, port := filepath.Join(root, "logs"), loopbackPort(t)
	require.NoError(t, os.Mkdir(logs, 0o755))
	config := writeConfig(t, root, "config.yaml", sidecarConfig, filepath.Join(logs, "*.log"), checkpoints, backend.Addr(), port)
	out := outputFile(t, filepath.Join(root, "collector.log"))
	c := startCollector(t, binary(t), config, out)
	writeFile := func(i int) {
		var b strings.Builder
		for k := range lines {
			b.WriteString(line(int64(i*lines+k), "x") + "\n")
		}
		require.NoError(t, os.WriteFile(filepath.Join(logs, fmt.Sprintf("app-%02d.log", i)), []byte(b.String()), 0o644))
	}
	writeFile(0)
	require.Eventually(t, func() bool { f, err := readCheckpoints(t, checkpoints); return err == nil && len(f) == 1 }, 10*time.Second, 50*time.Millisecond)

	// The volume fills up; then more files make the checkpoint outgrow its slots.
	filler, err := os.Create(filepath.Join(checkpoints, "filler"))
	require.NoError(t, err)
	for {
		if _, err := filler.Write(make([]byte, 4096)); err != nil {
			break
		}
	}
	require.NoError(t, filler.Close())
	for i := 1; i < files; i++ {
		writeFile(i)
	}
	missing, _, _ := awaitSequences(backend, files*lines, func() {})
	require.Zero(t, len(missing), "delivery stopped while the checkpoint volume was full (first missing: %s)", firstFew(missing))
	require.Positive(t, metric(port, "otelcol_receiver_durable_file_checkpoint_errors"), "the failed writes are counted")
	logged, _ := os.ReadFile(out.Name())
	require.Contains(t, string(logged), "Checkpoint write failed; delivery goes on")
	stale := checkpointsOf(t, checkpoints) // reads, so the file is whole: the last write that fit
	require.Less(t, len(stale), files)

	require.NoError(t, os.Remove(filler.Name())) // space returns
	require.Eventually(t, func() bool { f, err := readCheckpoints(t, checkpoints); return err == nil && len(f) == files }, 10*time.Second, 100*time.Millisecond,
		"checkpointing did not resume when space returned")
	for _, f := range checkpointsOf(t, checkpoints) {
		require.Zero(t, f.LagBytes, "%+v", f)
	}
	c.kill()
	c = startCollector(t, binary(t), config, out)
	time.Sleep(2 * time.Second)
	missing, duplicates, _ := backend.Sequences(files * lines)
	c.terminate(t)
	t.Logf("checkpoint volume full while %d files were written: %d lines, %d missing; checkpoint held %d of %d files while full, all once space returned; %d duplicates after a SIGKILL then",
		files, files*lines, len(missing), len(stale), files, duplicates)
	require.Zero(t, len(missing))
	require.Zero(t, duplicates, "the resumed checkpoint covers everything delivered")
}
