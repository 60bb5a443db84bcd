// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Command run is `make demo`: it starts flightlog on demo/config.yaml, runs the demo app
// several times (each run panics; each restart truncates the log, as many apps do), stops
// the collector with SIGTERM and compares what the app wrote with what was delivered.
// With -mode stdout the app logs to stdout and stderr, and a small wrapper keeps them as the
// kubelet does: logs/app/<restarts>.log in CRI format, a new file for each run.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/flightlog/flightlog/internal/restartevent"
)

// The secrets the demo app leaks: a test card number and a made-up payment API key.
const (
	leakedCard = "4111 1111 1111 1111"
	leakedKey  = "sk_live_51DemoFl1ghtl0gK3yN0tR3al9x"
)

func main() {
	bin := flag.String("bin", "bin/flightlog", "the flightlog binary")
	app := flag.String("app", "bin/demoapp", "the demo app binary")
	dir := flag.String("dir", ".demo", "working directory for logs, checkpoints and output")
	runs := flag.Int("runs", 4, "how often the app starts (and crashes)")
	lines := flag.Int("lines", 2000, "lines the app logs before each crash")
	backendName := flag.String("backend", "file", "where flightlog sends the logs: file (an OTLP endpoint that writes a local OTLP/JSON file) or victorialogs")
	vlBin := flag.String("victorialogs", ".tools/victorialogs-v1.52.1/victoria-logs", "the victoria-logs binary, for -backend victorialogs")
	vlAddr := flag.String("victorialogs-addr", "127.0.0.1:9428", "where VictoriaLogs listens")
	hold := flag.Bool("hold", isTerminal(os.Stdin), "with victorialogs: keep it running after the summary until Enter is pressed")
	mode := flag.String("mode", "file", "file: the app writes its log file; stdout: the app logs to stdout, kept in the kubelet's layout")
	flag.Parse()
	if *mode != "file" && *mode != "stdout" {
		fmt.Fprintln(os.Stderr, "demo: -mode must be file or stdout, got", *mode)
		os.Exit(2)
	}
	if err := demo(*bin, *app, *dir, *runs, *lines, *mode == "stdout", backendConfig{*backendName, *vlBin, *vlAddr, *hold}); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func demo(bin, app, dir string, runs, lines int, stdout bool, bc backendConfig) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for _, sub := range []string{"logs", "logs/app", "checkpoint", "out"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return err
		}
	}
	collectorLog, err := os.Create(filepath.Join(dir, "flightlog.log"))
	if err != nil {
		return err
	}
	defer collectorLog.Close()

	// What the Downward API gives a sidecar in a Pod, simulated: there is no cluster here.
	podinfo := filepath.Join(dir, "podinfo")
	if err := os.MkdirAll(podinfo, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(podinfo, "labels"), []byte("app.kubernetes.io/name=\"checkout\"\npod-template-hash=\"7d4b9c8f6\"\n"), 0o644); err != nil {
		return err
	}
	be, config, err := startBackend(bc, dir)
	if err != nil {
		return err
	}
	defer be.stop()
	col := exec.Command(bin, "--config", config)
	logs, format := "*.log", "plain"
	if stdout {
		logs, format = "*/*.log", "cri"
	}
	metricsPort, err := freePort()
	if err != nil {
		return err
	}
	col.Env = append(append(os.Environ(), be.env()...), "DEMO_DIR="+dir, "DEMO_LOGS="+logs, "DEMO_FORMAT="+format,
		"DEMO_METRICS_PORT="+strconv.Itoa(metricsPort),
		"K8S_NAMESPACE_NAME=demo", "K8S_POD_NAME=checkout-7d4b9c8f6-x2k9p", "K8S_NODE_NAME=laptop")
	col.Stdout, col.Stderr = collectorLog, collectorLog
	if err := col.Start(); err != nil {
		return fmt.Errorf("start flightlog: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- col.Wait() }()
	if err := waitReady(collectorLog.Name(), exited); err != nil {
		return err
	}
	fmt.Printf("flightlog started (pid %d), log in %s\n", col.Process.Pid, collectorLog.Name())

	// written are the lines that must arrive; held, the DEBUG lines the flight recorder
	// keeps in the file (more than recorderBefore before a crash); near, those at the edge of
	// a window, which may arrive or not.
	written, held, near := map[string]int{}, map[string]int{}, map[string]bool{}
	total, crashes, secrets := 0, 0, 0
	logPath := filepath.Join(dir, "logs", "app.log")
	for run := 1; run <= runs; run++ {
		cmd := exec.Command(app, "-run", fmt.Sprint(run), "-lines", fmt.Sprint(lines), "-card", leakedCard, "-api-key", leakedKey)
		var content []byte
		var runErr error
		if stdout {
			// The kubelet opens <restarts>.log for each run of the container.
			content, runErr = runAsKubelet(cmd, filepath.Join(dir, "logs", "app", fmt.Sprintf("%d.log", run-1)))
		} else {
			// O_TRUNC: each start of the app begins a new log, as an app that truncates on start.
			f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC|os.O_APPEND, 0o644)
			if err != nil {
				return err
			}
			cmd.Stdout, cmd.Stderr = f, f
			runErr = cmd.Run()
			_ = f.Close()
			if content, err = os.ReadFile(logPath); err != nil {
				return err
			}
		}
		if runErr == nil {
			return fmt.Errorf("run %d: the demo app was supposed to crash", run)
		}
		n := 0
		printed := splitLines(content)
		crashedAt := crashTime(printed)
		for _, l := range printed {
			if strings.Contains(l, leakedKey) {
				secrets += 2
				// redact is in the demo pipeline: the line arrives with both masked.
				l = strings.NewReplacer(leakedKey, "[REDACTED:stripe_key]", leakedCard, "[REDACTED:credit_card]").Replace(l)
			}
			switch window(l, crashedAt) {
			case outside:
				held[l]++
			case edge:
				near[l] = true
			default:
				written[l]++
			}
			n++
			if strings.HasPrefix(l, "panic: ") {
				crashes++
			}
		}
		total += n
		fmt.Printf("app run %d: wrote %d lines, then crashed (%v); restarting\n", run, n, runErr)
		time.Sleep(500 * time.Millisecond) // the time a restart takes
	}

	// A chatty app that never rotates its log: reclaim gives back what was delivered.
	chatty := filepath.Join(dir, "logs", "chatty.log")
	var chattyBytes int64
	if !stdout {
		var chattyLines int
		if chattyLines, chattyBytes, err = writeChatty(chatty, written); err != nil {
			return err
		}
		total += chattyLines
		fmt.Printf("chatty app: wrote %d lines (%d MiB) to a log it never rotates\n", chattyLines, chattyBytes>>20)
	}

	deadline := time.Now().Add(30 * time.Second)
	var got delivered
	for time.Now().Before(deadline) {
		if got, err = be.read(); err == nil && arrived(written, got.lines) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Holes are punched once a durable checkpoint covers the bytes, a moment after delivery.
	for end := time.Now().Add(10 * time.Second); !stdout && onDisk(chatty) > chattyKeep+3<<20 && time.Now().Before(end); {
		time.Sleep(100 * time.Millisecond)
	}
	counted, err := scrape(metricsPort, "otelcol_receiver_durable_file_app_crashes", "otelcol_receiver_durable_file_app_records")
	if err != nil {
		return err
	}
	if err := col.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	if err := <-exited; err != nil {
		return fmt.Errorf("flightlog did not exit cleanly (see %s): %w", collectorLog.Name(), err)
	}
	if got, err = be.read(); err != nil {
		return err
	}
	leaked := got.leaked
	lost, dups, unwindowed, edges := 0, 0, 0, 0
	for l, n := range written {
		if d := got.lines[l]; d < n {
			lost += n - d
		} else {
			dups += d - n
		}
	}
	for l, n := range held {
		unwindowed += min(n, got.lines[l])
	}
	for l := range near {
		edges += min(1, got.lines[l])
	}
	heldBack := count(held) + len(near) - edges - unwindowed
	fmt.Printf(`
Flightlog demo summary
  app starts (each crashed with a Go panic): %d
  lines written by the app:                 %d
  lines delivered to %s: %d (%.1f %% of those written)
  held back in the file by the recorder:    %d DEBUG lines, more than %s before any crash
  lines lost:                               %d
  duplicates:                               %d
  crashes seen in the delivered logs:       %d of %d, each one record
  restarts seen (flightlog.app.restart):    %d
  secrets the app logged (card, API key):   %d, found in the output: %d
`, runs, total, be.where(), count(got.lines), 100*float64(count(got.lines))/float64(total), heldBack, recorderBefore, lost, dups,
		len(got.crashes), crashes, got.restarts, secrets, leaked)
	deliveredBytes := int64(0)
	for l, n := range got.lines {
		if strings.Contains(l, chattyMsg) {
			deliveredBytes += int64(n * (len(l) + 1))
		}
	}
	disk := onDisk(chatty)
	if !stdout {
		fmt.Printf("  chatty log, never rotated (reclaim, keep %d MiB): %d MiB written, %d MiB delivered, %d MiB on disk, %d MiB given back\n",
			chattyKeep>>20, chattyBytes>>20, deliveredBytes>>20, disk>>20, (chattyBytes-disk)>>20)
	}
	for l := range got.lines {
		if strings.Contains(l, "[REDACTED:") {
			fmt.Println("    redacted:", l)
			break
		}
	}
	for _, c := range got.crashes {
		fmt.Println("    crash:", c.text)
		fmt.Printf("      with the %d held-back DEBUG lines of the %s before it (flightlog.recorder.backfill, trigger %s)\n",
			got.backfilled[c.trigger], recorderBefore, c.trigger)
	}
	fmt.Println("  resource (k8s_meta, Downward API simulated):", got.resource)
	fmt.Printf("  counted on the collector's metrics endpoint (127.0.0.1:%d/metrics), no log query:\n", metricsPort)
	crashesCounted := 0.0
	for _, s := range counted {
		fmt.Printf("    %s %g\n", s.series, s.value)
		if strings.HasPrefix(s.series, "otelcol_receiver_durable_file_app_crashes") {
			crashesCounted += s.value
		}
	}
	switch {
	case lost > 0:
		return fmt.Errorf("%d lines lost", lost)
	case unwindowed > 0:
		return fmt.Errorf("%d DEBUG lines outside every crash's window arrived", unwindowed)
	case dups > 0:
		return fmt.Errorf("%d lines arrived twice, with no SIGKILL to explain it", dups)
	case leaked > 0:
		return fmt.Errorf("%d secrets reached the output", leaked)
	case len(got.crashes) != crashes:
		return fmt.Errorf("%d crashes delivered as one record with exception.* attributes, want %d", len(got.crashes), crashes)
	case int(crashesCounted) != crashes:
		return fmt.Errorf("the metrics endpoint counted %g crashes, want %d", crashesCounted, crashes)
	case !strings.Contains(got.resource, "k8s.pod.name="):
		return fmt.Errorf("resource attributes missing: %q", got.resource)
	case !stdout && disk > chattyKeep+3<<20:
		return fmt.Errorf("the chatty log holds %d MiB on disk after delivery; reclaim keeps %d MiB", disk>>20, chattyKeep>>20)
	}
	be.done()
	return nil
}

// waitReady waits until the collector says it is ready, or reports why it exited.
// The chatty app's log: what it writes, and reclaim.keep in demo/config.yaml.
const (
	chattyMsg  = `msg="cache refreshed"`
	chattyKeep = 4 << 20
)

// writeChatty appends 120,000 lines of about 200 bytes to path and counts them in written.
func writeChatty(path string, written map[string]int) (lines int, size int64, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	const n = 120_000
	var b strings.Builder
	for i := range n {
		l := fmt.Sprintf("2026-11-26T10:00:00Z level=info %s seq=%06d %s", chattyMsg, i, strings.Repeat("c", 130))
		written[l]++
		b.WriteString(l)
		b.WriteByte('\n')
		if b.Len() > 1<<20 || i == n-1 {
			if _, err := f.WriteString(b.String()); err != nil {
				return 0, 0, err
			}
			size += int64(b.Len())
			b.Reset()
		}
	}
	return n, size, nil
}

// onDisk is what a file holds on disk, as du counts it.
func onDisk(path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return info.Sys().(*syscall.Stat_t).Blocks * 512
}

func waitReady(logPath string, exited <-chan error) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("flightlog exited at start (%v); see %s", err, logPath)
		case <-time.After(100 * time.Millisecond):
		}
		if data, _ := os.ReadFile(logPath); bytes.Contains(data, []byte("Everything is ready")) {
			return nil
		}
	}
	return fmt.Errorf("flightlog did not become ready; see %s", logPath)
}

func splitLines(b []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// delivered is what reached the backend: the lines of every record, the crashes, the
// records the recorder backfilled by trigger, the restart events and how many secrets it holds.
type delivered struct {
	leaked     int
	lines      map[string]int
	crashes    []crash
	backfilled map[string]int
	restarts   int
	resource   string // a few resource attributes of the first batch
}

// crash is a crash record as the summary shows it, and the recorder's trigger it carries.
type crash struct{ text, trigger string }

// readDelivered parses the file backend's output: one OTLP/JSON request per line.
func readDelivered(path string) (delivered, error) {
	d := delivered{lines: map[string]int{}, backfilled: map[string]int{}}
	data, err := os.ReadFile(path)
	if err != nil {
		return d, err
	}
	d.leaked = bytes.Count(data, []byte(leakedKey)) + bytes.Count(data, []byte(leakedCard))
	var um plog.JSONUnmarshaler
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		logs, err := um.UnmarshalLogs(l)
		if err != nil {
			return d, fmt.Errorf("parse %s: %w", path, err)
		}
		rls := logs.ResourceLogs()
		for i := 0; i < rls.Len(); i++ {
			if d.resource == "" {
				var kv []string
				for _, k := range []string{"service.name", "k8s.deployment.name", "k8s.pod.name", "k8s.container.name"} {
					if v, ok := rls.At(i).Resource().Attributes().Get(k); ok {
						kv = append(kv, k+"="+v.AsString())
					}
				}
				d.resource = strings.Join(kv, " ")
			}
			sls := rls.At(i).ScopeLogs()
			for j := 0; j < sls.Len(); j++ {
				recs := sls.At(j).LogRecords()
				for k := 0; k < recs.Len(); k++ {
					r := recs.At(k)
					if _, ok := r.Attributes().Get(restartevent.AttrEventName); ok {
						d.restarts++
						continue
					}
					trigger, _ := r.Attributes().Get("flightlog.recorder.trigger")
					if typ, ok := r.Attributes().Get("exception.type"); ok {
						msg, _ := r.Attributes().Get("exception.message")
						d.crashes = append(d.crashes, crash{fmt.Sprintf("%s: %s (%s, one record of %d lines)",
							typ.Str(), msg.Str(), r.SeverityText(), strings.Count(r.Body().Str(), "\n")+1), trigger.Str()})
					}
					if v, ok := r.Attributes().Get("flightlog.recorder.backfill"); ok && v.Bool() {
						d.backfilled[trigger.Str()]++
					}
					// A stack trace arrives as one record; count its lines.
					for _, line := range strings.Split(r.Body().Str(), "\n") {
						d.lines[line]++
					}
				}
			}
		}
	}
	return d, nil
}

// arrived tells whether every line written arrived as often as it was written: counting
// the lines that arrived is not enough, as DEBUG lines at a window's edge may arrive or not.
func arrived(written, got map[string]int) bool {
	for l, n := range written {
		if got[l] < n {
			return false
		}
	}
	return true
}

func count(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// The flight recorder's window before a crash in demo/config.yaml (recorder.before), and how
// far from its edge a DEBUG line may arrive or not: the kubelet's timestamps (MODE=stdout)
// are a little later than the app's own.
const (
	recorderBefore = 200 * time.Millisecond
	recorderEdge   = 50 * time.Millisecond
)

// crashTime is when a run of the app crashed: the time of the last line it stamped before
// its panic.
func crashTime(lines []string) time.Time {
	var at time.Time
	for _, l := range lines {
		if strings.HasPrefix(l, "panic: ") {
			break
		}
		if t, ok := stamped(l); ok {
			at = t
		}
	}
	return at
}

// stamped is the time a line of the demo app begins with.
func stamped(l string) (time.Time, bool) {
	ts, _, ok := strings.Cut(l, " ")
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, ts)
	return t, err == nil
}

// Where a line falls against the recorder's window before a crash.
const (
	inside  = iota // it ships: not DEBUG, or DEBUG within the window
	outside        // a DEBUG line held back in the file
	edge           // a DEBUG line at the window's edge
)

func window(l string, crashedAt time.Time) int {
	t, ok := stamped(l)
	if !ok || !strings.Contains(l, "level=DEBUG") {
		return inside
	}
	switch from := crashedAt.Add(-recorderBefore); {
	case t.Before(from.Add(-recorderEdge)):
		return outside
	case t.Before(from.Add(recorderEdge)):
		return edge
	}
	return inside
}
