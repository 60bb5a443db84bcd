// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/flightlog/flightlog/internal/otlpsink"
)

// The gateway of deploy/gateway, pointed at the test's backend: otlp in, a persistent
// sending queue on file_storage, never giving up.
const gatewayConfig = `
extensions:
  file_storage/queue:
    directory: %s
    create_directory: true
receivers:
  otlp:
    protocols:
      grpc: {endpoint: %s}
exporters:
  otlp_grpc:
    endpoint: %s
    tls: {insecure: true}
    sending_queue:
      enabled: true
      storage: file_storage/queue
      queue_size: 100000
    retry_on_failure:
      enabled: true
      initial_interval: 100ms
      max_interval: 1s
      max_elapsed_time: 0
service:
  telemetry: {metrics: {level: none}}
  extensions: [file_storage/queue]
  pipelines:
    logs:
      receivers: [otlp]
      exporters: [otlp_grpc]
`

// The sidecar, exporting to the gateway instead of the backend.
const sidecarToGatewayConfig = `
receivers:
  durable_file:
    include: [%s]
    checkpoint: %s
exporters:
  otlp_grpc:
    endpoint: %s
    tls: {insecure: true}
    sending_queue: {enabled: false}
service:
  telemetry: {metrics: {level: none}}
  pipelines:
    logs:
      receivers: [durable_file]
      exporters: [otlp_grpc]
`

func loopbackAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

func writeConfig(t *testing.T, dir, name, format string, args ...any) string {
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, fmt.Appendf(nil, format, args...), 0o644))
	return path
}

// A Pod deleted during a backend outage loses nothing when its sidecar exports to the
// gateway: the sidecar drains into the gateway's queue on SIGTERM, the Pod's log and
// checkpoints are gone, the gateway is SIGKILLed twice while the backend is still down, and
// every line reaches the backend once it is back.
func TestPodDeletedDuringAnOutageLosesNothingThroughTheGateway(t *testing.T) {
	const lines = 200_000
	root := t.TempDir()
	backend, err := otlpsink.StartSequenced()
	require.NoError(t, err)
	t.Cleanup(backend.Stop)
	backend.SetRefusing(true) // down from the start

	gatewayAddr := loopbackAddr(t)
	gwConfig := writeConfig(t, root, "gateway.yaml", gatewayConfig, filepath.Join(root, "queue"), gatewayAddr, backend.Addr())
	gwLog, err := os.Create(filepath.Join(root, "gateway.log"))
	require.NoError(t, err)
	t.Cleanup(func() {
		if t.Failed() {
			out, _ := os.ReadFile(gwLog.Name())
			t.Logf("gateway output (last 4 KiB):\n%s", tail(out, 4096))
		}
	})
	gateway := startCollector(t, gatewayBinary(t), gwConfig, gwLog)

	pod := filepath.Join(root, "pod") // the Pod's emptyDirs: its log and its checkpoints
	logs := filepath.Join(pod, "logs")
	require.NoError(t, os.MkdirAll(logs, 0o755))
	scConfig := writeConfig(t, root, "sidecar.yaml", sidecarToGatewayConfig, filepath.Join(logs, "*.log"), filepath.Join(pod, "checkpoints"), gatewayAddr)
	scLog, err := os.Create(filepath.Join(root, "sidecar.log"))
	require.NoError(t, err)
	sidecar := startCollector(t, binary(t), scConfig, scLog)

	// The app writes its lines and exits; the Pod is deleted: the sidecar gets SIGTERM.
	w := newWriter(t, filepath.Join(logs, "app.log"))
	for written := 0; written < lines; written += 10_000 {
		require.NoError(t, w.write(10_000))
	}
	time.Sleep(3 * time.Second)
	sidecar.terminate(t)
	require.NoError(t, os.RemoveAll(pod))

	// The gateway is SIGKILLed twice while the backend is still down.
	for range 2 {
		time.Sleep(time.Second)
		gateway.kill()
		gateway = startCollector(t, gatewayBinary(t), gwConfig, gwLog)
	}
	time.Sleep(2 * time.Second)
	refused := backend.Refused()
	backend.SetRefusing(false)

	var missing []int
	var duplicates, other int
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if missing, duplicates, other = backend.Sequences(lines); len(missing) == 0 {
			break
		}
	}
	gateway.terminate(t)
	t.Logf("pod deleted during an outage, gateway SIGKILLed twice: %d lines, %d exports refused during the outage, %d missing, %d duplicates",
		lines, refused, len(missing), duplicates)
	require.Positive(t, refused, "the backend never refused: no outage was tested")
	require.Zero(t, len(missing), "lines lost (first: %s)", firstFew(missing))
	require.Zero(t, other)
	// The backend refused everything until the kills were over, so no export was accepted and
	// then sent again: any duplicate comes from the gateway's queue, not from a kill.
	require.Zero(t, duplicates, "duplicates")
}

func firstFew(s []int) string {
	if len(s) > 10 {
		s = s[:10]
	}
	return strings.Trim(fmt.Sprint(s), "[]")
}
