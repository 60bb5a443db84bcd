// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

// Package e2e runs the built flightlog binary against real files, a real OTLP/gRPC
// endpoint and real signals. `make test-e2e` builds the binary and runs it.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/flightlog/flightlog/internal/otlpsink"
)

// Receiver batch settings the tests run with; the duplicate bound derives from them.
const (
	maxLines    = 8192
	maxInFlight = 2
)

var configTemplate = template.Must(template.New("cfg").Parse(`
receivers:
  durable_file:
    include: [{{.Include}}]
    checkpoint: {{.Checkpoint}}
    poll_interval: 100ms
    flush_period: 300ms
    batch:
      max_lines: ` + strconv.Itoa(maxLines) + `
      max_in_flight: ` + strconv.Itoa(maxInFlight) + `
{{.Extra}}
exporters:
  otlp_grpc:
    endpoint: {{.Endpoint}}
    tls:
      insecure: true
    sending_queue:
      enabled: false
    retry_on_failure:
      enabled: false
service:
  telemetry:
    logs:
      disable_stacktrace: true
    metrics:
      level: none
  pipelines:
    logs:
      receivers: [durable_file]
      exporters: [otlp_grpc]
`))

// env is one test's world: a log directory, a checkpoint directory, a sink and a config.
type env struct {
	t      testing.TB
	dir    string
	config string
	sink   *otlpsink.Sink
	logs   *os.File
	runs   int
}

func newEnv(t testing.TB, include string) *env {
	t.Helper()
	return newEnvWith(t, include, otlpsink.Start)
}

func newEnvWith(t testing.TB, include string, startSink func() (*otlpsink.Sink, error)) *env {
	t.Helper()
	return newEnvReceiver(t, include, startSink, "")
}

// newEnvReceiver is newEnvWith with more durable_file settings, as YAML indented under it.
func newEnvReceiver(t testing.TB, include string, startSink func() (*otlpsink.Sink, error), extra string) *env {
	t.Helper()
	binary(t)
	root := t.TempDir()
	sink, err := startSink()
	require.NoError(t, err)
	t.Cleanup(sink.Stop)
	e := &env{t: t, dir: filepath.Join(root, "logs"), sink: sink}
	require.NoError(t, os.MkdirAll(e.dir, 0o755))
	var cfg bytes.Buffer
	require.NoError(t, configTemplate.Execute(&cfg, map[string]string{
		"Include":    filepath.Join(e.dir, include),
		"Checkpoint": filepath.Join(root, "checkpoint"),
		"Endpoint":   sink.Addr(),
		"Extra":      extra,
	}))
	e.config = filepath.Join(root, "config.yaml")
	require.NoError(t, os.WriteFile(e.config, cfg.Bytes(), 0o644))
	e.logs = outputFile(t, filepath.Join(root, "collector.log"))
	return e
}

// outputFile creates the file a process's output goes to; its last 4 KiB are shown when the
// test fails.
func outputFile(t testing.TB, path string) *os.File {
	f, err := os.Create(path)
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = f.Close()
		if t.Failed() {
			out, _ := os.ReadFile(path)
			t.Logf("%s (last 4 KiB):\n%s", filepath.Base(path), tail(out))
		}
	})
	return f
}

func binary(t testing.TB) string {
	t.Helper()
	return builtBinary(t, "FLIGHTLOG_BIN", "../../bin/flightlog")
}

// gatewayBinary is the gateway tier's build, bin/flightlog-gateway.
func gatewayBinary(t testing.TB) string {
	t.Helper()
	return builtBinary(t, "FLIGHTLOG_GATEWAY_BIN", "../../bin/flightlog-gateway")
}

func builtBinary(t testing.TB, envVar, fallback string) string {
	t.Helper()
	bin := os.Getenv(envVar)
	if bin == "" {
		bin = fallback
	}
	bin, err := filepath.Abs(bin)
	require.NoError(t, err)
	_, err = os.Stat(bin)
	require.NoError(t, err, "the e2e tests need the built binaries: run `make test-e2e` or set %s", envVar)
	return bin
}

// tail is the last 4 KiB of a process's output, shown when a test fails.
func tail(b []byte) []byte {
	const n = 4 << 10
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// collector is one running flightlog process.
type collector struct {
	cmd    *exec.Cmd
	exited chan struct{}
	err    error
}

func (e *env) start() *collector {
	e.t.Helper()
	e.runs++
	fmt.Fprintf(e.logs, "\n===== run %d =====\n", e.runs)
	return startCollector(e.t, binary(e.t), e.config, e.logs)
}

// startCollector runs bin on config, its output into logs, until the test ends.
func startCollector(t testing.TB, bin, config string, logs io.Writer) *collector {
	t.Helper()
	cmd := exec.Command(bin, "--config", config)
	cmd.Stdout = logs
	cmd.Stderr = logs
	return run(t, cmd)
}

// run starts cmd as a collector, killed when the test ends.
func run(t testing.TB, cmd *exec.Cmd) *collector {
	t.Helper()
	require.NoError(t, cmd.Start())
	c := &collector{cmd: cmd, exited: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(c.kill)
	return c
}

// kill sends SIGKILL and waits for the process to be gone.
func (c *collector) kill() {
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.exited
}

// terminate sends SIGTERM and waits up to timeout for a clean exit.
// terminate sends SIGTERM and waits for a clean exit: drain_timeout (10 s) and more.
func (c *collector) terminate(t testing.TB) {
	t.Helper()
	const timeout = 20 * time.Second
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-c.exited:
		require.NoError(t, c.err, "flightlog did not exit cleanly on SIGTERM")
	case <-time.After(timeout):
		t.Fatalf("flightlog did not exit within %s of SIGTERM", timeout)
	}
}

// peakRSS is the process's high-water resident set in bytes.
func (c *collector) peakRSS() int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return kb << 10
		}
	}
	return -1
}

// writer appends numbered lines to a log file, the way an application does: whole lines
// per write, through an O_APPEND descriptor. With cri it writes them as the kubelet writes a
// container's log, and every 50th line reaches the file in two P/F chunks with a stderr
// line between them.
type writer struct {
	path string
	pad  string
	cri  bool
	next atomic.Int64

	mu sync.Mutex
	f  *os.File
}

func newWriter(t testing.TB, path string) *writer {
	t.Helper()
	w := &writer{path: path, pad: strings.Repeat("x", 160)}
	var err error
	w.f, err = os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	require.NoError(t, err)
	t.Cleanup(func() { _ = w.f.Close() })
	return w
}

func line(i int64, pad string) string { return fmt.Sprintf("seq=%09d %s", i, pad) }

// write appends n lines in one write call.
func (w *writer) write(n int) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var buf bytes.Buffer
	for k := 0; k < n; k++ {
		seq := w.next.Add(1) - 1
		l := line(seq, w.pad)
		switch {
		case !w.cri:
			buf.WriteString(l)
		case seq%50 == 0 && k+1 < n:
			k++
			other := line(w.next.Add(1)-1, w.pad)
			fmt.Fprintf(&buf, "%s stdout P %s\n%s stderr F %s\n%s stdout F %s", criStamp(), l[:len(l)/2], criStamp(), other, criStamp(), l[len(l)/2:])
		default:
			fmt.Fprintf(&buf, "%s stdout F %s", criStamp(), l)
		}
		buf.WriteByte('\n')
	}
	_, err := w.f.Write(buf.Bytes())
	return err
}

func criStamp() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// run writes at rate lines per second until ctx ends; it returns the error that stopped it.
func (w *writer) run(ctx context.Context, rate int) error {
	const tick = 10 * time.Millisecond
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	start, base := time.Now(), w.next.Load()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
		due := base + int64(time.Since(start).Seconds()*float64(rate))
		if n := due - w.next.Load(); n > 0 {
			if err := w.write(int(n)); err != nil {
				return err
			}
		}
	}
}

// reopen closes the file and opens path again with the given extra flags, as an app does
// when it restarts (os.O_TRUNC) or after its log was renamed away.
func (w *writer) reopen(flags int) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	_ = w.f.Close()
	f, err := os.OpenFile(w.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND|flags, 0o644)
	w.f = f
	return err
}

// written is how many lines were written so far.
func (w *writer) written() int64 { return w.next.Load() }

// delivery compares what the sink got with lines 0..n-1.
type delivery struct {
	missing    []int64
	duplicates int
	unexpected int
}

func (e *env) check(n int64, pad string) delivery {
	bodies := e.sink.Bodies()
	var d delivery
	for i := range n {
		c := bodies[line(i, pad)]
		if c == 0 {
			d.missing = append(d.missing, i)
		} else {
			d.duplicates += c - 1
		}
		delete(bodies, line(i, pad))
	}
	d.unexpected = len(bodies)
	return d
}

// waitAll waits until every line 0..n-1 arrived or timeout passed, and returns the result.
func (e *env) waitAll(n int64, pad string, timeout time.Duration) delivery {
	deadline := time.Now().Add(timeout)
	for {
		d := e.check(n, pad)
		if len(d.missing) == 0 || time.Now().After(deadline) {
			return d
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (d delivery) String() string {
	first := d.missing
	if len(first) > 10 {
		first = first[:10]
	}
	return fmt.Sprintf("missing=%d (first %v) duplicates=%d unexpected=%d", len(d.missing), first, d.duplicates, d.unexpected)
}

// awaitSequences waits up to two minutes for lines 0..n-1 at a sequenced sink, calling each
// while it waits, and returns what Sequences says then.
func awaitSequences(sink *otlpsink.Sink, n int, each func()) (missing []int, duplicates, other int) {
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		each()
		if missing, duplicates, other = sink.Sequences(n); len(missing) == 0 || time.Now().After(deadline) {
			return missing, duplicates, other
		}
	}
}

// linesIn reads the lines of a file, for tests that compare with what is on disk.
func linesIn(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	require.NoError(t, sc.Err())
	return out
}

// seeded returns the random source of a randomised test: seeded from the clock, or from
// FLIGHTLOG_SEED to replay a run; the seed is logged either way.
func seeded(t testing.TB, stream uint64) (*rand.Rand, uint64) {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("FLIGHTLOG_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err)
	}
	t.Logf("seed %d (FLIGHTLOG_SEED=%d replays it)", seed, seed)
	return rand.New(rand.NewPCG(seed, stream)), seed
}

// waitUntil polls cond every tick until it holds (true) or timeout passes (false): every wait
// in a test or benchmark has a deadline.
func waitUntil(timeout, tick time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(timeout); ; time.Sleep(tick) {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}
