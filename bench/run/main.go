// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Command run is `make bench`: it runs each workload against Flightlog and against
// upstream's file_log collector (typical and fault-tolerant configs), one after another on
// this machine, with a local OTLP/gRPC sink that counts what arrives and measures how late
// it arrives, and writes BENCHMARKS.md and bench.png.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"google.golang.org/grpc"
	_ "google.golang.org/grpc/encoding/gzip" // the exporters compress with gzip
	"sigs.k8s.io/yaml"
)

// lineSize is the size of every log line, newline included.
const lineSize = 200

type collector struct {
	name, bin, config string
	env               []string // added to the bench's environment
	recorder          bool     // the flight recorder holds DEBUG lines back
}

type result struct {
	workload, collector string
	lines               int
	held                int   // lines the flight recorder held back by policy
	delivered           int   // distinct lines that arrived
	shippedBytes        int64 // bodies of every record that arrived, duplicates included
	duplicates          int
	seconds             float64 // catch-up: until the last line arrived
	cpuSeconds          float64
	window              float64 // seconds the CPU was measured over, for CPU as % of a core
	peakRSS             int64
	peakAnon            int64
	peakFile            int64 // file-backed pages at the anonymous peak's sample, as Pss_File
	p50, p99            time.Duration
	latency             bool
}

func main() {
	flightlog := flag.String("flightlog", "bin/flightlog", "the flightlog binary")
	reference := flag.String("reference", ".bench/reference/otelcol-reference", "the upstream reference collector")
	steadyFor := flag.Duration("steady", 30*time.Second, "how long each steady workload writes")
	idleFor := flag.Duration("idle", 30*time.Second, "how long the idle workload lasts")
	catchup := flag.Int("catchup", 1_000_000, "lines already on disk for the catch-up workload")
	out := flag.String("out", "BENCHMARKS.md", "the report")
	chart := flag.String("chart", "bench.png", "the chart")
	deployment := flag.String("deployment", "deploy/sidecar/deployment.yaml", "the sidecar base whose Go runtime env Flightlog runs with")
	only := flag.String("only", "", "run only the rows whose \"workload / collector\" matches this regexp; prints, writes no report")
	flag.Parse()
	filter, err := regexp.Compile(*only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "-only:", err)
		os.Exit(2)
	}

	// Flightlog runs with the Go runtime settings its sidecar base deploys; upstream as a
	// typical deployment runs it, and once with the same settings, for comparison.
	runtimeEnv, err := sidecarRuntimeEnv(*deployment)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	collectors := []collector{
		{"flightlog", *flightlog, "bench/configs/flightlog.yaml", runtimeEnv, false},
		{"upstream typical", *reference, "bench/configs/upstream-typical.yaml", nil, false},
		{"upstream fault-tolerant", *reference, "bench/configs/upstream-durable.yaml", nil, false},
	}
	full := collector{"flightlog full pipeline", *flightlog, "bench/configs/flightlog-full.yaml", runtimeEnv, false}
	lowLatency := collector{"flightlog low latency", *flightlog, "bench/configs/flightlog-low-latency.yaml", runtimeEnv, false}
	typicalSameEnv := collector{"upstream typical, sidecar env", *reference, "bench/configs/upstream-typical.yaml", runtimeEnv, false}
	recorder := collector{"flightlog recorder", *flightlog, "bench/configs/flightlog-recorder.yaml", runtimeEnv, true}

	type workload struct {
		name  string
		run   func(collector) (result, error)
		extra []collector // run with these Flightlog configs too
	}
	steadyRow := func(rate, files int, perLine bool) func(collector) (result, error) {
		return func(c collector) (result, error) { return steady(c, rate, files, perLine, false, *steadyFor) }
	}
	low := []collector{lowLatency}
	lowAndSameEnv := []collector{lowLatency, typicalSameEnv}
	workloads := []workload{
		{"catch-up 1M lines", func(c collector) (result, error) { return catchUp(c, *catchup) }, []collector{full}},
		// The rates most Pods log at: a sidecar's cost there is multiplied by the fleet.
		{"steady 10 lines/s", steadyRow(10, 1, false), low},
		{"steady 100 lines/s", steadyRow(100, 1, false), lowAndSameEnv},
		{"steady 1k lines/s", steadyRow(1_000, 1, false), lowAndSameEnv},
		{"steady 10k lines/s", steadyRow(10_000, 1, false), []collector{lowLatency, full}},
		{"steady 10k, line by line", steadyRow(10_000, 1, true), low},
		{"steady 50k lines/s", steadyRow(50_000, 1, false), low},
		// An app that logs 9 lines in 10 at DEBUG: what the flight recorder saves.
		{"steady 10k, 90 % DEBUG", func(c collector) (result, error) { return steady(c, 10_000, 1, false, true, *steadyFor) }, []collector{recorder}},
		{"many files: 20 x 5 lines/s", steadyRow(100, 20, false), lowAndSameEnv},
		{"many files: 200 x 50 lines/s", steadyRow(10_000, 200, false), low},
		{"idle", func(c collector) (result, error) { return idle(c, *idleFor) }, []collector{typicalSameEnv}},
	}
	var results []result
	for _, w := range workloads {
		cs := append(append([]collector{}, collectors...), w.extra...)
		for _, c := range cs {
			if !filter.MatchString(w.name + " / " + c.name) {
				continue
			}
			fmt.Fprintf(os.Stderr, "%-30s %-25s ", w.name, c.name)
			r, err := w.run(c)
			r.workload, r.collector = w.name, c.name
			if err != nil {
				fmt.Fprintln(os.Stderr, "error:", err)
				os.Exit(1)
			}
			fmt.Fprintf(os.Stderr, "delivered %d/%d (%d held), %.1f MiB shipped, %.2f CPU-s/M, %.2f %% CPU, RSS %d MiB (anon %.1f, file %.1f), p99 %v\n",
				r.delivered, r.lines, r.held, mib(r.shippedBytes), r.perMillion(), r.cpuPercent(), r.peakRSS>>20, mib(r.peakAnon), mib(r.peakFile), r.p99)
			results = append(results, r)
		}
	}
	if *only != "" {
		return
	}
	if err := os.WriteFile(*out, []byte(report(results, collectors)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := drawChart(*chart, results); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "wrote %s and %s\n", *out, *chart)
}

// sidecarRuntimeEnv returns the GO* variables (GOMAXPROCS, GOGC, GOMEMLIMIT) that the
// flightlog container of a deploy base sets, so that the bench measures what is deployed.
func sidecarRuntimeEnv(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	type container struct {
		Name string `json:"name"`
		Env  []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"env"`
	}
	var d struct {
		Spec struct {
			Template struct {
				Spec struct {
					InitContainers []container `json:"initContainers"`
					Containers     []container `json:"containers"`
				} `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var env []string
	for _, c := range append(d.Spec.Template.Spec.InitContainers, d.Spec.Template.Spec.Containers...) {
		if c.Name != "flightlog" {
			continue
		}
		for _, e := range c.Env {
			if strings.HasPrefix(e.Name, "GO") && e.Value != "" {
				env = append(env, e.Name+"="+e.Value)
			}
		}
	}
	if len(env) == 0 {
		return nil, fmt.Errorf("%s: no GO* env on the flightlog container", path)
	}
	return env, nil
}

func (r result) perMillion() float64 {
	if r.lines == 0 {
		return 0
	}
	return r.cpuSeconds * 1e6 / float64(r.lines)
}

func (r result) cpuPercent() float64 {
	if r.window == 0 {
		return 0
	}
	return 100 * r.cpuSeconds / r.window
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// env is one run: a directory for logs and state, a sink, a collector process.
type env struct {
	dir  string
	sink *sink
	cmd  *exec.Cmd
	// anonPeak is the highest anonymous RSS sampled: the heap and stacks, which a Pod pays
	// for alone. fileAtPeak is the file-backed memory (Pss_File) at that sample: the
	// binary's pages, shared in the page cache by every Pod on a node that runs the image.
	anonPeak, fileAtPeak atomic.Int64
}

func newEnv() (*env, error) {
	dir, err := os.MkdirTemp("", "flightlog-bench-")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		return nil, err
	}
	s, err := startSink()
	if err != nil {
		return nil, err
	}
	return &env{dir: dir, sink: s}, nil
}

func (e *env) start(c collector) error {
	logFile, err := os.Create(filepath.Join(e.dir, "collector.log"))
	if err != nil {
		return err
	}
	e.cmd = exec.Command(c.bin, "--config", c.config)
	e.cmd.Env = append(append(os.Environ(), c.env...), "BENCH_DIR="+e.dir, "SINK="+e.sink.addr,
		// The Downward API of a Pod, for k8s_meta in the full pipeline.
		"K8S_NAMESPACE_NAME=bench", "K8S_POD_NAME=app-7d4b9c8f6-x2k9p", "K8S_NODE_NAME=node-1")
	e.cmd.Stdout, e.cmd.Stderr = logFile, logFile
	if err := e.cmd.Start(); err != nil {
		return err
	}
	e.sink.exited = make(chan struct{})
	exited := e.sink.exited
	go func() {
		_ = e.cmd.Wait()
		close(exited)
	}()
	go func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			if kb := statusKB(e.cmd.Process.Pid, "RssAnon:"); kb<<10 > e.anonPeak.Load() {
				e.anonPeak.Store(kb << 10)
				e.fileAtPeak.Store(pssFileKB(e.cmd.Process.Pid) << 10)
			}
			select {
			case <-tick.C:
			case <-exited:
				return
			}
		}
	}()
	return nil
}

func (e *env) stop() {
	if e.cmd != nil && e.cmd.Process != nil {
		_ = e.cmd.Process.Kill()
		<-e.sink.exited
	}
	e.sink.srv.Stop()
	_ = os.RemoveAll(e.dir)
}

// cpuSeconds is the process's user+system time so far, from /proc.
func (e *env) cpuSeconds() float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", e.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+2:]))
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return (utime + stime) / 100 // USER_HZ
}

func (e *env) peakRSS() int64 { return statusKB(e.cmd.Process.Pid, "VmHWM:") << 10 }

// statusKB reads one kB field of /proc/PID/status.
func statusKB(pid int, field string) int64 {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, field) {
			kb, _ := strconv.ParseInt(strings.Fields(l)[1], 10, 64)
			return kb
		}
	}
	return 0
}

// pssFileKB is the process's proportional share of file-backed pages, from smaps_rollup.
func pssFileKB(pid int) int64 {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "Pss_File:") {
			kb, _ := strconv.ParseInt(strings.Fields(l)[1], 10, 64)
			return kb
		}
	}
	return 0
}

// line is a 200-byte log line that carries its write time and number.
func line(buf []byte, t time.Time, seq int) []byte { return lineAt(buf, t, seq, "info") }

// lineAt is line at a level.
func lineAt(buf []byte, t time.Time, seq int, level string) []byte {
	ts := int64(0)
	if !t.IsZero() {
		ts = t.UnixNano()
	}
	start := len(buf)
	buf = fmt.Appendf(buf, "t=%019d seq=%010d level=%s msg=\"processed order\" ", ts, seq, level)
	for len(buf)-start < lineSize-1 {
		buf = append(buf, 'x')
	}
	return append(buf, '\n')
}

func catchUp(c collector, n int) (result, error) {
	e, err := newEnv()
	if err != nil {
		return result{}, err
	}
	defer e.stop()
	var buf []byte
	for i := range n {
		buf = line(buf, time.Time{}, i)
	}
	if err := os.WriteFile(filepath.Join(e.dir, "logs", "app.log"), buf, 0o644); err != nil {
		return result{}, err
	}
	e.sink.expect(n)
	began := time.Now()
	if err := e.start(c); err != nil {
		return result{}, err
	}
	e.sink.waitAll(n, 5*time.Minute)
	took := time.Since(began).Seconds()
	r := result{lines: n, seconds: took, window: took, cpuSeconds: e.cpuSeconds(), peakRSS: e.peakRSS(), peakAnon: e.anonPeak.Load(), peakFile: e.fileAtPeak.Load()}
	r.delivered, r.duplicates, _, _ = e.sink.stats()
	return r, nil
}

// steady writes rate lines per second spread over files for d and measures the window.
// Writes come every 10 ms, with all lines due in one write per file, or with one write per
// line as an application that flushes every line does.
// steady writes rate lines per second for d to files files, in writes of whole lines (one
// line per write with perLine). With debug, 9 lines in 10 are at DEBUG, which a collector
// with the flight recorder holds back: it is expected to ship the INFO lines only.
func steady(c collector, rate, files int, perLine, debug bool, d time.Duration) (result, error) {
	e, err := newEnv()
	if err != nil {
		return result{}, err
	}
	defer e.stop()
	fs := make([]*os.File, files)
	for i := range fs {
		if fs[i], err = os.OpenFile(filepath.Join(e.dir, "logs", fmt.Sprintf("app-%03d.log", i)), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644); err != nil {
			return result{}, err
		}
		defer fs[i].Close()
	}
	if err := e.start(c); err != nil {
		return result{}, err
	}
	time.Sleep(2 * time.Second) // start-up is not part of the window
	cpu0, t0 := e.cpuSeconds(), time.Now()
	total := int(float64(rate) * d.Seconds())
	e.sink.expect(total)
	shipped := total
	if debug && c.recorder {
		shipped = (total + 9) / 10
	}
	const tick = 10 * time.Millisecond
	ticker := time.NewTicker(tick)
	began := time.Now()
	seq, f := 0, 0
	var buf []byte
	for seq < total {
		<-ticker.C
		due := min(total, int(time.Since(began).Seconds()*float64(rate)))
		for ; seq < due; f = (f + 1) % files {
			// Each write is whole lines, as an application writes them.
			buf = buf[:0]
			per := max(1, (due-seq)/files)
			if perLine {
				per = 1
			}
			for k := 0; k < per && seq < due; k++ {
				level := "info"
				if debug && seq%10 != 0 {
					level = "debug"
				}
				buf = lineAt(buf, time.Now(), seq, level)
				seq++
			}
			if _, err := fs[f].Write(buf); err != nil {
				return result{}, err
			}
		}
	}
	ticker.Stop()
	e.sink.waitAll(shipped, time.Minute)
	r := result{lines: total, held: total - shipped, cpuSeconds: e.cpuSeconds() - cpu0, window: time.Since(t0).Seconds(), peakRSS: e.peakRSS(),
		peakAnon: e.anonPeak.Load(), peakFile: e.fileAtPeak.Load(), latency: true}
	r.delivered, r.duplicates, r.p50, r.p99 = e.sink.stats()
	r.shippedBytes = e.sink.shippedBytes()
	return r, nil
}

func idle(c collector, d time.Duration) (result, error) {
	e, err := newEnv()
	if err != nil {
		return result{}, err
	}
	defer e.stop()
	var buf []byte
	for i := range 10 {
		buf = line(buf, time.Time{}, i)
	}
	if err := os.WriteFile(filepath.Join(e.dir, "logs", "app.log"), buf, 0o644); err != nil {
		return result{}, err
	}
	e.sink.expect(10)
	if err := e.start(c); err != nil {
		return result{}, err
	}
	e.sink.waitAll(10, time.Minute)
	time.Sleep(2 * time.Second)
	cpu0 := e.cpuSeconds()
	time.Sleep(d)
	r := result{lines: 10, seconds: d.Seconds(), window: d.Seconds(), cpuSeconds: e.cpuSeconds() - cpu0, peakRSS: e.peakRSS(),
		peakAnon: e.anonPeak.Load(), peakFile: e.fileAtPeak.Load()}
	r.delivered, r.duplicates, _, _ = e.sink.stats()
	return r, nil
}

// sink is an OTLP/gRPC logs endpoint that counts distinct lines and their latency.
type sink struct {
	plogotlp.UnimplementedGRPCServer
	srv  *grpc.Server
	addr string

	exited chan struct{} // closed when the collector process ends

	mu       sync.Mutex
	seen     []bool
	distinct int
	records  int
	bytes    int64
	latency  []time.Duration
}

func startSink() (*sink, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &sink{srv: grpc.NewServer(grpc.MaxRecvMsgSize(64 << 20)), addr: lis.Addr().String()}
	plogotlp.RegisterGRPCServer(s.srv, s)
	go func() { _ = s.srv.Serve(lis) }()
	return s, nil
}

func (s *sink) expect(n int) {
	s.mu.Lock()
	s.seen = make([]bool, n)
	s.mu.Unlock()
}

func (s *sink) Export(_ context.Context, req plogotlp.ExportRequest) (plogotlp.ExportResponse, error) {
	now := time.Now().UnixNano()
	rls := req.Logs().ResourceLogs()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < rls.Len(); i++ {
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			recs := sls.At(j).LogRecords()
			for k := 0; k < recs.Len(); k++ {
				body := recs.At(k).Body().Str()
				s.records++
				s.bytes += int64(len(body))
				if len(body) < 36 || body[:2] != "t=" {
					continue
				}
				ts, _ := strconv.ParseInt(body[2:21], 10, 64)
				seq, _ := strconv.Atoi(body[26:36])
				if seq < len(s.seen) && !s.seen[seq] {
					s.seen[seq] = true
					s.distinct++
					if ts > 0 {
						s.latency = append(s.latency, time.Duration(now-ts))
					}
				}
			}
		}
	}
	return plogotlp.NewExportResponse(), nil
}

func (s *sink) waitAll(n int, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if s.exited != nil {
			select {
			case <-s.exited:
				return // the collector is gone; what arrived is the result
			default:
			}
		}
		s.mu.Lock()
		done := s.distinct >= n
		s.mu.Unlock()
		if done {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// shippedBytes is the size of every body that arrived, duplicates included.
func (s *sink) shippedBytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes
}

func (s *sink) stats() (distinct, duplicates int, p50, p99 time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	lat := append([]time.Duration(nil), s.latency...)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		p50, p99 = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	}
	return s.distinct, s.records - s.distinct, p50, p99
}

func report(results []result, collectors []collector) string {
	var b strings.Builder
	host, _ := os.Hostname()
	cpuModel := ""
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "model name") {
				cpuModel = strings.TrimSpace(strings.SplitN(l, ":", 2)[1])
				break
			}
		}
	}
	fmt.Fprintf(&b, "# Benchmarks\n\nGenerated by `make bench` on %s (%s, %d cores, %s, %s). ",
		time.Now().UTC().Format("2006-01-02"), host, runtime.NumCPU(), cpuModel, runtime.Version())
	b.WriteString("Every workload ran against each collector in turn, on the same machine, in one invocation, " +
		"into a local OTLP/gRPC sink that counts every line and its write-to-arrival latency. Lines are 200 bytes.\n\n")
	b.WriteString("Collectors: `flightlog` is `bin/flightlog` with its default at-least-once pipeline " +
		"(`bench/configs/flightlog.yaml`); `upstream typical` is file_log v0.165.1 with file_storage offsets, the batch " +
		"processor and otlp_grpc with its in-memory queue; `upstream fault-tolerant` is file_log with file_storage offsets " +
		"and the sending queue on file_storage, no batch processor; both upstream configs run in a collector built from " +
		"`bench/builder-config.yaml` by the same builder. `flightlog full pipeline` adds crash detection (on by default) " +
		"and the redact processor.\n\n")
	fmt.Fprintf(&b, "Every Flightlog column runs with the Go runtime settings that `deploy/sidecar` gives the sidecar (`%s`); "+
		"upstream runs as it is typically deployed, with the runtime's defaults, and `upstream typical, sidecar env` is "+
		"upstream typical with Flightlog's settings, on some rows, to show what the settings alone are worth.\n\n",
		strings.Join(collectors[0].env, " "))
	b.WriteString("`flightlog low latency` is the same pipeline with `batch.flush_timeout: 40ms` " +
		"(`bench/configs/flightlog-low-latency.yaml`), the setting the receiver's README recommends when p99 matters more than CPU.\n\n")
	b.WriteString("CPU is user+system time of the collector process during the measured window (catch-up: from start until the " +
		"last line arrived), per million lines and as a percentage of one core. Peak RSS is the process's high-water mark (VmHWM). " +
		"Peak anon is the highest anonymous RSS (heap, stacks) sampled every 50 ms: what a Pod pays for alone. File-backed is " +
		"Pss_File from smaps_rollup at that sample: the binary's pages, shared in the page cache by every Pod on a node that runs " +
		"the same image.\n\n")
	b.WriteString("`flightlog recorder` is `flightlog` with the flight recorder on at its defaults (`bench/configs/flightlog-recorder.yaml`): " +
		"on the row where 9 lines in 10 are at DEBUG it holds them back in the file, and ships the INFO lines; no crash comes.\n\n")
	b.WriteString("| Workload | Collector | Lines | Delivered | Duplicates | Shipped | Time | CPU-s per M lines | CPU | Peak RSS | Peak anon | File-backed | p50 | p99 |\n")
	b.WriteString("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range results {
		delivered := fmt.Sprint(r.delivered)
		if r.held > 0 {
			delivered += fmt.Sprintf(" (%d held back)", r.held)
		}
		if r.delivered < r.lines-r.held {
			delivered += fmt.Sprintf(" (**%d lost**)", r.lines-r.held-r.delivered)
		}
		t, p50, p99 := "", "", ""
		if r.seconds > 0 {
			t = fmt.Sprintf("%.1f s", r.seconds)
		}
		if r.latency {
			p50, p99 = fmt.Sprint(r.p50.Round(time.Millisecond)), fmt.Sprint(r.p99.Round(time.Millisecond))
		}
		perM := fmt.Sprintf("%.2f", r.perMillion())
		if r.workload == "idle" {
			perM = ""
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %d | %.1f MiB | %s | %s | %.2f %% | %d MiB | %.1f MiB | %.1f MiB | %s | %s |\n",
			r.workload, r.collector, r.lines, delivered, r.duplicates, mib(r.shippedBytes), t, perM, r.cpuPercent(), r.peakRSS>>20, mib(r.peakAnon), mib(r.peakFile), p50, p99)
	}
	b.WriteString("\n## Flightlog against upstream\n\n| Workload | CPU vs typical | CPU vs fault-tolerant | low latency CPU vs fault-tolerant | RSS vs typical | anon vs typical | anon vs fault-tolerant |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	by := map[string]map[string]result{}
	for _, r := range results {
		if by[r.workload] == nil {
			by[r.workload] = map[string]result{}
		}
		by[r.workload][r.collector] = r
	}
	var names []string
	for _, r := range results {
		if len(names) == 0 || names[len(names)-1] != r.workload {
			names = append(names, r.workload)
		}
	}
	ratio := func(a, b float64) string {
		if a == 0 || b == 0 {
			return ""
		}
		return fmt.Sprintf("%.2f×", a/b)
	}
	for _, w := range names {
		f, t, d, l := by[w][collectors[0].name], by[w][collectors[1].name], by[w][collectors[2].name], by[w]["flightlog low latency"]
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", w, ratio(f.cpuSeconds, t.cpuSeconds), ratio(f.cpuSeconds, d.cpuSeconds),
			ratio(l.cpuSeconds, d.cpuSeconds), ratio(float64(f.peakRSS), float64(t.peakRSS)),
			ratio(float64(f.peakAnon), float64(t.peakAnon)), ratio(float64(f.peakAnon), float64(d.peakAnon)))
	}
	b.WriteString("\n![CPU-seconds per million lines and p99 latency](bench.png)\n")
	return b.String()
}
