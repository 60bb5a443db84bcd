// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runDemo builds the demo app and runs demo/run with the built binary and args; it returns
// the output and fails the test when the demo fails.
func runDemo(t *testing.T, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	app := filepath.Join(dir, "demoapp")
	build := exec.Command("go", "build", "-o", app, "./demo/app")
	build.Dir = "../.."
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	run := exec.Command("go", append([]string{"run", "./demo/run", "--bin", binary(t), "--app", app, "--dir", filepath.Join(dir, "demo")}, args...)...)
	run.Dir = "../.."
	out, err = run.CombinedOutput()
	t.Logf("%s", out)
	require.NoError(t, err)
	return string(out)
}

// make demo MODE=stdout: the app logs to stdout and stderr, kept in the kubelet's layout
// (logs/app/<restarts>.log, CRI), and the summary is the same as with a log file.
func TestDemoWithAnAppThatLogsToStdout(t *testing.T) {
	out := runDemo(t, "--mode", "stdout", "--runs", "3")
	assert.Contains(t, out, "lines lost:                               0")
	assert.Contains(t, out, "duplicates:                               0")
	assert.Contains(t, out, "crashes seen in the delivered logs:       3 of 3, each one record")
	assert.Contains(t, out, "restarts seen (flightlog.app.restart):    2")
	assert.Contains(t, out, "found in the output: 0")
}
