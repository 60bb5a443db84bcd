// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/flightlog/flightlog/internal/otlpsink"
	"github.com/flightlog/flightlog/internal/restartevent"
)

type backendConfig struct {
	name   string
	vlBin  string
	vlAddr string
	hold   bool
}

// backend is where the demo's logs go and where the runner reads them back.
type backend interface {
	env() []string // what the collector config needs to reach it
	where() string
	read() (delivered, error)
	done() // the demo succeeded: show the user where to look
	stop()
}

// startBackend starts the backend and returns the collector config that sends to it.
func startBackend(bc backendConfig, dir string) (backend, string, error) {
	switch bc.name {
	case "file":
		fb, err := startFileBackend(filepath.Join(dir, "out", "logs.jsonl"))
		return fb, "demo/config.yaml", err
	case "victorialogs":
		vl, err := startVictoriaLogs(bc, dir)
		return vl, "demo/config-victorialogs.yaml", err
	default:
		return nil, "", fmt.Errorf("unknown backend %q: file or victorialogs", bc.name)
	}
}

// fileBackend is an OTLP/gRPC endpoint on loopback that writes what it accepts to a file,
// one OTLP/JSON request a line: the sidecar's binary carries no file exporter.
type fileBackend struct {
	path string
	out  *os.File
	sink *otlpsink.Sink
}

func startFileBackend(path string) (*fileBackend, error) {
	out, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	sink, err := otlpsink.StartRecording(out)
	if err != nil {
		_ = out.Close()
		return nil, err
	}
	return &fileBackend{path: path, out: out, sink: sink}, nil
}

func (f *fileBackend) env() []string            { return []string{"DEMO_OTLP_ENDPOINT=" + f.sink.Addr()} }
func (f *fileBackend) where() string            { return f.path }
func (f *fileBackend) read() (delivered, error) { return readDelivered(f.path) }
func (*fileBackend) done()                      {}
func (f *fileBackend) stop() {
	f.sink.Stop()
	_ = f.out.Close()
}

// victoriaLogs is a VictoriaLogs server on loopback that receives OTLP/HTTP logs.
type victoriaLogs struct {
	cmd  *exec.Cmd
	base string
	hold bool
}

func startVictoriaLogs(bc backendConfig, dir string) (*victoriaLogs, error) {
	if _, err := os.Stat(bc.vlBin); err != nil {
		return nil, fmt.Errorf("victoria-logs not found at %s (make victorialogs builds it): %w", bc.vlBin, err)
	}
	logFile, err := os.Create(filepath.Join(dir, "victorialogs.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bc.vlBin, "-storageDataPath="+filepath.Join(dir, "victorialogs"), "-httpListenAddr="+bc.vlAddr, "-loggerLevel=WARN")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start victoria-logs: %w", err)
	}
	vl := &victoriaLogs{cmd: cmd, base: "http://" + bc.vlAddr, hold: bc.hold}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(vl.base + "/health")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				fmt.Printf("VictoriaLogs started on %s (pid %d), log in %s\n", bc.vlAddr, cmd.Process.Pid, logFile.Name())
				return vl, nil
			}
		}
		if time.Now().After(deadline) {
			vl.stop()
			return nil, fmt.Errorf("VictoriaLogs did not start on %s (is the port taken?); see %s", bc.vlAddr, logFile.Name())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (vl *victoriaLogs) env() []string { return []string{"VICTORIALOGS_URL=" + vl.base} }
func (vl *victoriaLogs) where() string { return "VictoriaLogs at " + vl.base }

// read queries every record back with LogsQL. The log body is _msg; resource and record
// attributes are fields of the same names.
func (vl *victoriaLogs) read() (delivered, error) {
	d := delivered{lines: map[string]int{}, backfilled: map[string]int{}}
	resp, err := http.PostForm(vl.base+"/select/logsql/query", url.Values{"query": {"*"}, "limit": {"1000000"}})
	if err != nil {
		return d, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return d, err
	}
	if resp.StatusCode != http.StatusOK {
		return d, fmt.Errorf("query: %s: %s", resp.Status, body)
	}
	d.leaked = bytes.Count(body, []byte(leakedKey)) + bytes.Count(body, []byte(leakedCard))
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var rec map[string]string
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return d, fmt.Errorf("query answer: %w", err)
		}
		if d.resource == "" {
			var kv []string
			for _, k := range []string{"service.name", "k8s.deployment.name", "k8s.pod.name", "k8s.container.name"} {
				if v, ok := rec[k]; ok {
					kv = append(kv, k+"="+v)
				}
			}
			d.resource = strings.Join(kv, " ")
		}
		if rec[restartevent.AttrEventName] != "" {
			d.restarts++
			continue
		}
		msg := rec["_msg"]
		if typ := rec["exception.type"]; typ != "" && rec["exception.stacktrace"] != "" {
			d.crashes = append(d.crashes, crash{fmt.Sprintf("%s: %s (%s, one record of %d lines)",
				typ, rec["exception.message"], rec["severity_text"], strings.Count(msg, "\n")+1), rec["flightlog.recorder.trigger"]})
		}
		if rec["flightlog.recorder.backfill"] == "true" {
			d.backfilled[rec["flightlog.recorder.trigger"]]++
		}
		for _, line := range strings.Split(msg, "\n") {
			d.lines[line]++
		}
	}
	return d, sc.Err()
}

func (vl *victoriaLogs) done() {
	q := "exception.type:*"
	fmt.Printf(`
  Your logs are in VictoriaLogs. Open its UI: %s/select/vmui/
  and query %q for the crashes, or from a shell:
    curl -s %s/select/logsql/query --data-urlencode 'query=%s'
`, vl.base, q, vl.base, q)
	if vl.hold {
		fmt.Print("  Press Enter to stop VictoriaLogs. ")
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	}
}

func (vl *victoriaLogs) stop() {
	if vl.cmd.Process != nil {
		_ = vl.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() {
			_ = vl.cmd.Wait()
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = vl.cmd.Process.Kill()
		}
	}
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
