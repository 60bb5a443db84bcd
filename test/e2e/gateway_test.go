// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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

// A sidecar exporting to an OTLP endpoint (the backend, or the gateway), its metrics on a
// Prometheus endpoint. The exporter does not retry: durable_file does, and counts it.
const sidecarConfig = `
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

// gatewayRun is a backend that is down, gateway replicas in front of it, and sidecars
// exporting to the gateway, each with its output shown when the test fails.
type gatewayRun struct {
	t        *testing.T
	root     string
	backend  *otlpsink.Sink
	addr     string   // the gateway's OTLP endpoint: its only replica, or the Service in front of them
	configs  []string // a replica's config: its own port and queue directory
	logs     *os.File
	gateways []*collector
	peakRSS  int64 // the highest VmHWM of a replica, read before each kill and at the end
}

// newGatewayRun starts replicas gateways; with more than one, a serviceProxy stands in for
// their Service.
func newGatewayRun(t *testing.T, queueSize, replicas int) *gatewayRun {
	g := &gatewayRun{t: t, root: t.TempDir()}
	var err error
	g.backend, err = otlpsink.StartSequenced()
	require.NoError(t, err)
	t.Cleanup(g.backend.Stop)
	g.backend.SetRefusing(true) // down from the start
	g.logs = g.output("gateway.log")
	var addrs []string
	for i := range replicas {
		addr := loopbackAddr(t)
		addrs = append(addrs, addr)
		g.configs = append(g.configs, writeConfig(t, g.root, fmt.Sprintf("gateway-%d.yaml", i), gatewayConfig,
			g.queue(i), addr, g.backend.Addr(), queueSize))
		g.gateways = append(g.gateways, startCollector(t, gatewayBinary(t), g.configs[i], g.logs))
	}
	g.addr = addrs[0]
	if replicas > 1 {
		g.addr = startServiceProxy(t, addrs)
	}
	return g
}

// queue is replica i's queue directory: its PersistentVolumeClaim.
func (g *gatewayRun) queue(i int) string { return filepath.Join(g.root, fmt.Sprintf("queue-%d", i)) }

// output creates a process's log file, shown when the test fails.
func (g *gatewayRun) output(name string) *os.File {
	return outputFile(g.t, filepath.Join(g.root, name))
}

// killGateway SIGKILLs replica i.
func (g *gatewayRun) killGateway(i int) {
	g.peakRSS = max(g.peakRSS, g.gateways[i].peakRSS())
	g.gateways[i].kill()
}

// startGateway starts replica i again on its queue.
func (g *gatewayRun) startGateway(i int) {
	g.gateways[i] = startCollector(g.t, gatewayBinary(g.t), g.configs[i], g.logs)
}

// stopGateways sends every replica SIGTERM and waits for a clean exit.
func (g *gatewayRun) stopGateways() {
	for _, c := range g.gateways {
		g.peakRSS = max(g.peakRSS, c.peakRSS())
		c.terminate(g.t)
	}
}

// queueBytes is the disk the replicas' queues use now (allocated blocks).
func (g *gatewayRun) queueBytes() int64 {
	var n int64
	for i := range g.configs {
		_ = filepath.WalkDir(g.queue(i), func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if info, err := d.Info(); err == nil {
					n += info.Sys().(*syscall.Stat_t).Blocks * 512
				}
			}
			return nil
		})
	}
	return n
}

// startSidecar runs a sidecar on the files in dir/logs with its checkpoints in
// dir/checkpoints and its metrics on metricsPort; it returns it with a writer of
// dir/logs/app.log.
func (g *gatewayRun) startSidecar(dir string, metricsPort int) (*collector, *writer) {
	logs := filepath.Join(dir, "logs")
	require.NoError(g.t, os.MkdirAll(logs, 0o755))
	name := filepath.Base(dir)
	config := writeConfig(g.t, g.root, name+".yaml", sidecarConfig, filepath.Join(logs, "*.log"), filepath.Join(dir, "checkpoints"), g.addr, metricsPort)
	return startCollector(g.t, binary(g.t), config, g.output(name+".log")), newWriter(g.t, filepath.Join(logs, "app.log"))
}

// A Pod deleted during a backend outage loses nothing when its sidecar exports to the
// gateway: the sidecar drains into the gateway's queue on SIGTERM, the Pod's log and
// checkpoints are gone, the gateway is SIGKILLed twice while the backend is still down, and
// every line reaches the backend once it is back.
func TestPodDeletedDuringAnOutageLosesNothingThroughTheGateway(t *testing.T) {
	const lines = 200_000
	g := newGatewayRun(t, 100_000, 1)
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
		g.killGateway(0)
		g.startGateway(0)
	}
	time.Sleep(2 * time.Second)
	refused, queued := g.backend.Refused(), g.queueBytes()
	g.backend.SetRefusing(false)

	missing, duplicates, other := awaitSequences(g.backend, lines, func() {})
	g.stopGateways()
	t.Logf("pod deleted during an outage, gateway SIGKILLed twice: %d lines, %d exports refused during the outage, %d missing, %d duplicates; gateway peak RSS %.1f MiB, queue on disk %.1f MiB",
		lines, refused, len(missing), duplicates, float64(g.peakRSS)/(1<<20), float64(queued)/(1<<20))
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

// When the gateway's queue is full it refuses, and the sidecar keeps the data in its file
// and retries: no line is dropped anywhere, and the refusals show in the sidecar's retry
// metric.
func TestFullGatewayQueueRefusesAndTheSidecarRetries(t *testing.T) {
	const lines = 100_000
	g := newGatewayRun(t, 2, 1) // full after two of the sidecar's batches
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
	g.stopGateways()
	t.Logf("gateway queue of 2 requests, backend down: the sidecar retried %d batches; %d lines, %d missing, %d duplicates",
		refusedWhileFull, lines, len(missing), duplicates)
	require.Zero(t, len(missing), "lines lost (first: %s)", firstFew(missing))
	require.Zero(t, other)
	// A sidecar whose export the replica queued but died before answering sends it again to
	// another: at most max_in_flight (2) batches of max_lines (8192) for each of the two
	// sidecars the proxy gave replica 1.
	require.LessOrEqual(t, duplicates, 2*2*8192)
}

// The gateway is stateless but for its queue: sidecars spread over three replicas through
// one Service address; one replica is SIGKILLed mid-stream during an outage, its sidecars
// move to the others, and what it had queued reaches the backend when it comes back on its
// volume, and only then.
func TestGatewayReplicaKilledMidStreamHasItsQueuePickedUp(t *testing.T) {
	const sidecars, each, rate = 6, 30_000, 5_000
	g := newGatewayRun(t, 100_000, 3)
	ctx, stop := context.WithCancel(context.Background())
	var writing sync.WaitGroup
	var pods []*collector
	for i := range sidecars {
		sidecar, w := g.startSidecar(filepath.Join(g.root, fmt.Sprintf("pod-%d", i)), loopbackPort(t))
		pods = append(pods, sidecar)
		w.next.Store(int64(i * each)) // each sidecar its own range of numbers
		writing.Add(1)
		go func() {
			defer writing.Done()
			wctx, cancel := context.WithTimeout(ctx, time.Duration(each/rate)*time.Second)
			defer cancel()
			assert.NoError(t, w.run(wctx, rate))
			assert.NoError(t, w.write(int(int64((i+1)*each)-w.written()))) // the rest of its range
		}()
	}

	time.Sleep(2 * time.Second) // mid-stream
	require.Positive(t, g.queueBytes())
	g.killGateway(1)
	writing.Wait()
	stop()

	// The backend comes back; the live replicas deliver, the dead one's queue stays on its volume.
	time.Sleep(3 * time.Second)
	g.backend.SetRefusing(false)
	total := sidecars * each
	for last, deadline := -1, time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(3 * time.Second) {
		if n := g.backend.Records(); n > 0 && n == last {
			break // the live replicas are drained
		} else {
			last = n
		}
	}
	stranded, _, _ := g.backend.Sequences(total)
	require.NotEmpty(t, stranded, "nothing waited in the killed replica's queue: the test proved nothing")

	g.startGateway(1)
	missing, duplicates, other := awaitSequences(g.backend, total, func() {})
	for _, p := range pods {
		p.terminate(t)
	}
	g.stopGateways()
	t.Logf("%d sidecars over 3 replicas, replica 1 SIGKILLed mid-stream: %d lines, %d waited in its queue until it came back, %d missing, %d duplicates",
		sidecars, total, len(stranded), len(missing), duplicates)
	require.Zero(t, len(missing), "lines lost (first: %s)", firstFew(missing))
	require.Zero(t, other)
	// A sidecar whose export the replica queued but died before answering sends it again to
	// another: at most max_in_flight (2) batches of max_lines (8192) for each of the two
	// sidecars the proxy gave replica 1.
	require.LessOrEqual(t, duplicates, 2*2*8192)
}
