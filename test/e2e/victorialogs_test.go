// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"net"
	"os"
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
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	out := runDemo(t, "--backend", "victorialogs", "--victorialogs", vl, "--victorialogs-addr", addr, "--hold=false", "--runs", "3")
	assert.Contains(t, out, "lines lost:                               0")
	assert.Contains(t, out, "crashes seen in the delivered logs:       3 of 3, each one record")
	assert.Contains(t, out, "found in the output: 0")
	assert.Contains(t, out, "k8s.pod.name=checkout-7d4b9c8f6-x2k9p")
}
