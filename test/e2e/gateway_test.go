// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
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
      queue_size: %d
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

// The sidecar, exporting to the gateway instead of the backend, its metrics on a
// Prometheus endpoint. The exporter does not retry: durable_file does, and counts it.
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
    retry_on_failure: {enabled: false}
service:
  telemetry:
    metrics:
      level: basic
      readers:
        - pull: {exporter: {prometheus: {host: 127.0.0.1, port: %d}}}
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

func loopbackPort(t *testing.T) int {
	_, port, err := net.SplitHostPort(loopbackAddr(t))
	require.NoError(t, err)
	n, err := strconv.Atoi(port)
	require.NoError(t, err)
	return n
}

func writeConfig(t *testing.T, dir, name, format string, args ...any) string {
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, fmt.Appendf(nil, format, args...), 0o644))
	return path
}

// gatewayRun is a backend that is down, a gateway in front of it, and sidecars exporting to
// the gateway, each with its output shown when the test fails.
type gatewayRun struct {
	t       *testing.T
	root    string
	backend *otlpsink.Sink
	addr    string // the gateway's OTLP endpoint
	config  string
	logs    *os.File
	gateway *collector
}

func newGatewayRun(t *testing.T, queueSize int) *gatewayRun {
	g := &gatewayRun{t: t, root: t.TempDir(), addr: loopbackAddr(t)}
	var err error
	g.backend, err = otlpsink.StartSequenced()
	require.NoError(t, err)
	t.Cleanup(g.backend.Stop)
	g.backend.SetRefusing(true) // down from the start
	g.config = writeConfig(t, g.root, "gateway.yaml", gatewayConfig, filepath.Join(g.root, "queue"), g.addr, g.backend.Addr(), queueSize)
	g.logs = g.output("gateway.log")
	g.gateway = startCollector(t, gatewayBinary(t), g.config, g.logs)
	return g
}

// output creates a process's log file, shown when the test fails.
func (g *gatewayRun) output(name string) *os.File {
	f, err := os.Create(filepath.Join(g.root, name))
	require.NoError(g.t, err)
	g.t.Cleanup(func() {
		if g.t.Failed() {
			out, _ := os.ReadFile(f.Name())
			g.t.Logf("%s (last 4 KiB):\n%s", name, tail(out, 4096))
		}
	})
	return f
}

// restartGateway SIGKILLs the gateway and starts it again on its queue.
func (g *gatewayRun) restartGateway() {
	g.gateway.kill()
	g.gateway = startCollector(g.t, gatewayBinary(g.t), g.config, g.logs)
}

// startSidecar runs a sidecar on the files in dir/logs with its checkpoints in
// dir/checkpoints and its metrics on metricsPort; it returns it with a writer of
// dir/logs/app.log.
func (g *gatewayRun) startSidecar(dir string, metricsPort int) (*collector, *writer) {
	logs := filepath.Join(dir, "logs")
	require.NoError(g.t, os.MkdirAll(logs, 0o755))
	config := writeConfig(g.t, g.root, "sidecar.yaml", sidecarToGatewayConfig, filepath.Join(logs, "*.log"), filepath.Join(dir, "checkpoints"), g.addr, metricsPort)
	return startCollector(g.t, binary(g.t), config, g.output("sidecar.log")), newWriter(g.t, filepath.Join(logs, "app.log"))
}

// A Pod deleted during a backend outage loses nothing when its sidecar exports to the
// gateway: the sidecar drains into the gateway's queue on SIGTERM, the Pod's log and
// checkpoints are gone, the gateway is SIGKILLed twice while the backend is still down, and
// every line reaches the backend once it is back.
func TestPodDeletedDuringAnOutageLosesNothingThroughTheGateway(t *testing.T) {
	const lines = 200_000
	g := newGatewayRun(t, 100_000)
	pod := filepath.Join(g.root, "pod") // the Pod's emptyDirs: its log and its checkpoints
	sidecar, w := g.startSidecar(pod, loopbackPort(t))

	// The app writes its lines and exits; the Pod is deleted: the sidecar gets SIGTERM.
	for written := 0; written < lines; written += 10_000 {
		require.NoError(t, w.write(10_000))
	}
	time.Sleep(3 * time.Second)
	sidecar.terminate(t)
	require.NoError(t, os.RemoveAll(pod))

	// The gateway is SIGKILLed twice while the backend is still down.
	for range 2 {
		time.Sleep(time.Second)
		g.restartGateway()
	}
	time.Sleep(2 * time.Second)
	refused := g.backend.Refused()
	g.backend.SetRefusing(false)

	missing, duplicates, other := awaitSequences(g.backend, lines, func() {})
	g.gateway.terminate(t)
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

// retries scrapes the sidecar's receiver_durable_file_delivery_retries from its Prometheus
// endpoint; -1 when it cannot be read.
func retries(port int) int {
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port))
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, l := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(l, "otelcol_receiver_durable_file_delivery_retries") {
			f := strings.Fields(l)
			v, err := strconv.ParseFloat(f[len(f)-1], 64)
			if err == nil {
				return int(v)
			}
		}
	}
	return -1
}

// When the gateway's queue is full it refuses, and the sidecar keeps the data in its file
// and retries: no line is dropped anywhere, and the refusals show in the sidecar's retry
// metric.
func TestFullGatewayQueueRefusesAndTheSidecarRetries(t *testing.T) {
	const lines = 100_000
	g := newGatewayRun(t, 2) // full after two of the sidecar's batches
	port := loopbackPort(t)
	sidecar, w := g.startSidecar(g.root, port)
	for written := 0; written < lines; written += 10_000 {
		require.NoError(t, w.write(10_000))
	}
	require.Eventually(t, func() bool { return retries(port) > 0 }, 30*time.Second, 200*time.Millisecond,
		"the sidecar never retried: the gateway's full queue did not refuse")
	refusedWhileFull := retries(port)
	g.backend.SetRefusing(false)

	missing, duplicates, other := awaitSequences(g.backend, lines, func() {})
	sidecar.terminate(t)
	g.gateway.terminate(t)
	t.Logf("gateway queue of 2 requests, backend down: the sidecar retried %d batches; %d lines, %d missing, %d duplicates",
		refusedWhileFull, lines, len(missing), duplicates)
	require.Zero(t, len(missing), "lines lost (first: %s)", firstFew(missing))
	require.Zero(t, other)
}
