// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoIntoVictoriaLogs runs the demo (the app logs, leaks secrets, panics, restarts)
// through the built binary with the otlp_http exporter into a real VictoriaLogs on loopback,
// and has the runner query every record back with LogsQL: every line there, each crash one
// record with exception.* attributes, no secret, resource attributes set. The runner fails
// on any of these; the summary is checked as well.
func TestDemoIntoVictoriaLogs(t *testing.T) {
	vl := os.Getenv("FLIGHTLOG_VICTORIALOGS")
	if vl == "" {
		t.Skip("set FLIGHTLOG_VICTORIALOGS to a victoria-logs binary; `make test-e2e` builds one")
	}
	vl, err := filepath.Abs(vl)
	require.NoError(t, err)
	dir := t.TempDir()
	app := filepath.Join(dir, "demoapp")
	build := exec.Command("go", "build", "-o", app, "./demo/app")
	build.Dir = "../.."
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	run := exec.Command("go", "run", "./demo/run", "--bin", binary(t), "--app", app, "--dir", filepath.Join(dir, "demo"),
		"--backend", "victorialogs", "--victorialogs", vl, "--victorialogs-addr", addr, "--hold=false", "--runs", "3")
	run.Dir = "../.."
	out, err = run.CombinedOutput()
	t.Logf("%s", out)
	require.NoError(t, err)
	assert.Contains(t, string(out), "lines lost:                               0")
	assert.Contains(t, string(out), "crashes seen in the delivered logs:       3 of 3, each one record")
	assert.Contains(t, string(out), "found in the output: 0")
	assert.Contains(t, string(out), "k8s.pod.name=checkout-7d4b9c8f6-x2k9p")
}
