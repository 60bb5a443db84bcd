// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func validate(t *testing.T, config string, env ...string) (string, error) {
	t.Helper()
	return validateWith(t, binary(t), config, env...)
}

func validateWith(t *testing.T, bin, config string, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, "validate", "--config", config)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestValidateAcceptsShippedConfigsWithoutWarnings(t *testing.T) {
	for _, cfg := range []string{"../../config/flightlog.yaml", "../../demo/config.yaml"} {
		t.Run(filepath.Base(filepath.Dir(cfg)), func(t *testing.T) {
			out, err := validate(t, cfg, "OTLP_ENDPOINT=collector:4317", "DEMO_DIR=/tmp/demo", "DEMO_OTLP_ENDPOINT=127.0.0.1:4317", "DEMO_METRICS_PORT=18889")
			require.NoError(t, err, out)
			assert.NotContains(t, out, "acknowledge", "a shipped pipeline acknowledges before data is safe")
		})
	}
}

func TestValidateWarnsAboutHopsThatAcknowledgeEarly(t *testing.T) {
	// The sidecar has no batch processor; the converter's own tests cover its warning.
	cfg := filepath.Join(t.TempDir(), "unsafe.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(`
receivers:
  durable_file:
    include: [/var/log/app/*.log]
exporters:
  otlp_grpc:
    endpoint: localhost:4317
  otlp_http/explicit:
    endpoint: http://localhost:4318
    sending_queue:
      enabled: true
      queue_size: 1000
service:
  pipelines:
    logs:
      receivers: [durable_file]
      exporters: [otlp_grpc, otlp_http/explicit]
`), 0o644))
	out, err := validate(t, cfg)
	require.NoError(t, err, "warnings do not make a config invalid: %s", out)
	assert.Contains(t, out, `exporter "otlp_grpc" has an in-memory sending_queue`)
	assert.Contains(t, out, `exporter "otlp_http/explicit" has an in-memory sending_queue`)
}

func TestValidateReportsConfigErrors(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(`
receivers:
  durable_file:
    include: ["/var/log/app/*.log"]
    start_at: middle
    batch:
      max_in_flight: 0
exporters:
  otlp_grpc:
    endpoint: localhost:4317
service:
  pipelines:
    logs:
      receivers: [durable_file]
      exporters: [otlp_grpc]
`), 0o644))
	out, err := validate(t, cfg)
	require.Error(t, err)
	assert.Contains(t, out, `start_at: must be "beginning" or "end", got "middle"`)
	assert.Contains(t, out, "batch.max_in_flight: must be at least 1")
}
