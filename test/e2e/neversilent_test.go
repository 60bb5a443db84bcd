// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/flightlog/flightlog/internal/otlpsink"
)

// TestWhatASkepticalUserTriedIsNeverSilent has one row for each thing a skeptical user tried
// on the built binary that left them guessing, or exposed: each row says it aloud now, with
// the exit code or the warning naming the exact key, and for the data cases where every line
// went.
func TestWhatASkepticalUserTriedIsNeverSilent(t *testing.T) {
	rows := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"the backend refuses a record for good", refusedRecordIsDeadLettered},
		{"the backend accepts TCP and never answers", hangingBackendIsRetriedAloud},
		{"an include glob that matches nothing", func(t *testing.T) {
			dir := t.TempDir()
			cfg := configFile(t, fmt.Sprintf(minimalConfig, filepath.Join(dir, "*.log"), filepath.Join(dir, "checkpoints"), "otlp_grpc", "endpoint: 127.0.0.1:4317"))
			out, err := validate(t, cfg)
			require.NoError(t, err, "a warning: the app may not have written yet: %s", out)
			assert.Contains(t, out, fmt.Sprintf("receivers::durable_file::include: %q matches no file", filepath.Join(dir, "*.log")))
			logs := runFor(t, cfg, 2*time.Second)
			assert.Contains(t, logs, "No file matches the include patterns; nothing is shipped until one does")
		}},
		{"an include that is a directory", func(t *testing.T) {
			dir := t.TempDir()
			cfg := configFile(t, fmt.Sprintf(minimalConfig, dir, filepath.Join(dir, "checkpoints"), "otlp_grpc", "endpoint: 127.0.0.1:4317"))
			out, err := validate(t, cfg)
			require.Error(t, err)
			assert.Contains(t, out, fmt.Sprintf("include: %q is a directory", dir))
		}},
		{"an otlp_http endpoint without a scheme", func(t *testing.T) {
			dir := t.TempDir()
			cfg := configFile(t, fmt.Sprintf(minimalConfig, filepath.Join(dir, "*.log"), filepath.Join(dir, "checkpoints"), "otlp_http", "endpoint: collector.observability:4318"))
			out, err := validate(t, cfg)
			require.Error(t, err)
			assert.Contains(t, out, `exporters::otlp_http::endpoint: "collector.observability:4318" is not an http:// or https:// URL`)
		}},
		{"a checkpoint path that is a file", func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "checkpoints")
			require.NoError(t, os.WriteFile(file, nil, 0o644))
			cfg := configFile(t, fmt.Sprintf(minimalConfig, filepath.Join(dir, "*.log"), file, "otlp_grpc", "endpoint: 127.0.0.1:4317"))
			out, err := validate(t, cfg)
			require.Error(t, err)
			assert.Contains(t, out, fmt.Sprintf("checkpoint: %q is not a directory", file))
		}},
		{"a CA file that is missing, or garbage", func(t *testing.T) {
			dir := t.TempDir()
			garbage := filepath.Join(dir, "ca.pem")
			require.NoError(t, os.WriteFile(garbage, []byte("-----BEGIN NOTHING-----"), 0o644))
			for file, want := range map[string]string{filepath.Join(dir, "missing.pem"): "cannot read", garbage: "holds no PEM certificate"} {
				cfg := configFile(t, fmt.Sprintf(minimalConfig, filepath.Join(dir, "*.log"), filepath.Join(dir, "checkpoints"), "otlp_grpc",
					"endpoint: backend.example.com:4317\n    tls: {ca_file: "+file+"}"))
				out, err := validate(t, cfg)
				require.Error(t, err)
				assert.Contains(t, out, "exporters::otlp_grpc::tls::ca_file: ")
				assert.Contains(t, out, want)
			}
		}},
		{"a checkpoint directory that is not writable", func(t *testing.T) {
			if os.Geteuid() != 0 {
				t.Skip("needs root to run the collector as the image's user, for whom permissions apply")
			}
			dir := sharedTempDir(t)
			checkpoints := filepath.Join(dir, "checkpoints")
			require.NoError(t, os.Mkdir(checkpoints, 0o755)) // root's
			cfg := configFileIn(t, dir, fmt.Sprintf(minimalConfig, filepath.Join(dir, "*.log"), checkpoints, "otlp_grpc", "endpoint: 127.0.0.1:4317"))
			cmd := exec.Command(binaryCopy(t, dir), "validate", "--config", cfg)
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: imageUser, Gid: imageUser}}
			out, err := cmd.CombinedOutput()
			require.Error(t, err)
			assert.Contains(t, string(out), fmt.Sprintf("checkpoint: %q is not writable by this process (uid %d)", checkpoints, imageUser))
		}},
		{"the shipped Secret, with only the endpoint and token set", func(t *testing.T) {
			data, err := os.ReadFile("../../deploy/rbac/rbac.yaml")
			require.NoError(t, err)
			var secret struct {
				StringData map[string]string `json:"stringData"`
			}
			for _, doc := range strings.Split(string(data), "\n---\n") {
				if strings.Contains(doc, "kind: Secret") {
					require.NoError(t, yaml.Unmarshal([]byte(doc), &secret))
				}
			}
			assert.Equal(t, "false", secret.StringData["OTLP_INSECURE"], "TLS stays on")
			env := map[string]string{"OTLP_ENDPOINT": "backend.example.com:4317", "OTLP_AUTHORIZATION": "Bearer t0ken",
				"OTLP_INSECURE": secret.StringData["OTLP_INSECURE"], "APP_CONTAINER_NAME": "app"}
			printed := printConfig(t, binary(t), "../../deploy/config/flightlog.yaml", env)
			assert.False(t, printed.Exporters["otlp_grpc"].TLS.Insecure)
		}},
		{"a password in an otlp_http endpoint URL", passwordInAnEndpointIsShownNowhere},
		{"a symlink in the log directory that leads out of it", symlinkOutIsNotRead},
		{"flightlog --help", func(t *testing.T) {
			out, err := exec.Command(binary(t), "--help").CombinedOutput()
			require.NoError(t, err, "%s", out)
			for _, sub := range []string{"checkpoints", "validate", "print-config", "components", "featuregate"} {
				assert.Regexp(t, `(?m)^  `+sub+`\s`, string(out), "--help lists %s", sub)
			}
		}},
	}
	for _, row := range rows {
		t.Run(row.name, row.run)
	}
}

// imageUser is the uid the image runs as.
const imageUser = 65532

// minimalConfig is a durable_file pipeline: include, checkpoint, exporter type, and the
// exporter's settings (YAML at 4 spaces).
const minimalConfig = `
receivers:
  durable_file:
    include: [%s]
    checkpoint: %s
    poll_interval: 100ms
exporters:
  %s:
    %s
    sending_queue: {enabled: false}
    retry_on_failure: {enabled: false}
service:
  telemetry:
    logs: {disable_stacktrace: true}
    metrics: {level: none}
  pipelines:
    logs: {receivers: [durable_file], exporters: [%[3]s]}
`

func configFile(t *testing.T, content string) string {
	return configFileIn(t, t.TempDir(), content)
}

func configFileIn(t *testing.T, dir, content string) string {
	path := filepath.Join(dir, "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

// sharedTempDir is a temporary directory that another user may enter (t.TempDir's parent
// is the test's own, 0700).
func sharedTempDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "flightlog-shared-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o755))
	return dir
}

// binaryCopy copies the built binary into dir, which the image's user may enter: the
// clone's own bin/ may lie under a directory it cannot (a mktemp -d folder, /root).
func binaryCopy(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile(binary(t))
	require.NoError(t, err)
	path := filepath.Join(dir, "flightlog")
	require.NoError(t, os.WriteFile(path, data, 0o755))
	return path
}

// runFor runs the collector on config for d, then SIGTERM, and returns its output.
func runFor(t *testing.T, config string, d time.Duration, env ...string) string {
	t.Helper()
	out := outputFile(t, filepath.Join(t.TempDir(), "collector.log"))
	cmd := exec.Command(binary(t), "--config", config)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = out, out
	c := run(t, cmd)
	time.Sleep(d)
	c.terminate(t)
	data, err := os.ReadFile(out.Name())
	require.NoError(t, err)
	return string(data)
}

// refusedRecordIsDeadLettered: 1,000 lines, one the backend refuses for good. 999 arrive
// once, one is dead-lettered, the file goes on.
func refusedRecordIsDeadLettered(t *testing.T) {
	e := newEnvWith(t, "*.log", otlpsink.StartSequenced)
	e.sink.SetPoison("POISON")
	w := newWriter(t, filepath.Join(e.dir, "app.log"))
	c := e.start()
	require.NoError(t, w.write(500))
	w.pad += " POISON"
	require.NoError(t, w.write(1))
	w.pad = strings.TrimSuffix(w.pad, " POISON")
	require.NoError(t, w.write(499))
	require.Eventually(t, func() bool { missing, _, _ := e.sink.Sequences(1000); return len(missing) == 1 }, 20*time.Second, 50*time.Millisecond)
	missing, duplicates, _ := e.sink.Sequences(1000)
	assert.Equal(t, []int{500}, missing, "delivered: all but the refused one")
	assert.Zero(t, duplicates)
	c.terminate(t)
	logs, err := os.ReadFile(e.logs.Name())
	require.NoError(t, err)
	assert.Contains(t, string(logs), "written to the dead-letter file", "dead-lettered: the refused one, named with its file and range")
}

// hangingBackendIsRetriedAloud: a backend that accepts the connection and never answers. The
// exporter gives up on each attempt after its timeout, durable_file says so at once with the
// file, range and answer, and retries within retry.max_interval; once the backend answers,
// every line arrives.
func hangingBackendIsRetriedAloud(t *testing.T) {
	sink, err := otlpsink.Start()
	require.NoError(t, err)
	t.Cleanup(sink.Stop)
	front := startHangingProxy(t, sink.Addr())
	dir := t.TempDir()
	logs := filepath.Join(dir, "logs")
	require.NoError(t, os.Mkdir(logs, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(logs, "app.log"), []byte("line 1\nline 2\n"), 0o644))
	cfg := configFile(t, fmt.Sprintf(minimalConfig, filepath.Join(logs, "*.log"), filepath.Join(dir, "checkpoints"), "otlp_grpc",
		"endpoint: "+front.addr+"\n    tls: {insecure: true}\n    timeout: 2s"))
	out := outputFile(t, filepath.Join(dir, "collector.log"))
	cmd := exec.Command(binary(t), "--config", cfg)
	cmd.Stdout, cmd.Stderr = out, out
	c := run(t, cmd)
	began := time.Now()
	require.Eventually(t, func() bool {
		data, _ := os.ReadFile(out.Name())
		return strings.Contains(string(data), "The pipeline refused a delivery") && strings.Contains(string(data), "app.log [0, 14)")
	}, 15*time.Second, 100*time.Millisecond, "durable_file says at once which file and range wait, and why")
	t.Logf("refusal reported %s after start", time.Since(began).Round(time.Millisecond))
	front.answer()
	require.Eventually(t, func() bool { return sink.Count("line 1") == 1 && sink.Count("line 2") == 1 }, 60*time.Second, 100*time.Millisecond,
		"every line arrives once the backend answers")
	c.terminate(t)
}

// hangingProxy accepts connections and holds them without a word until answer is called;
// from then on it joins new connections to the backend.
type hangingProxy struct {
	addr     string
	answered atomic.Bool
	mu       sync.Mutex
	held     []net.Conn
}

func startHangingProxy(t *testing.T, backend string) *hangingProxy {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &hangingProxy{addr: lis.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		_ = lis.Close()
		p.mu.Lock()
		for _, c := range p.held {
			_ = c.Close()
		}
		p.mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := lis.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.held = append(p.held, conn)
			p.mu.Unlock()
			if !p.answered.Load() {
				continue // accepted, never answered
			}
			up, err := net.Dial("tcp", backend)
			if err != nil {
				_ = conn.Close()
				continue
			}
			p.mu.Lock()
			p.held = append(p.held, up)
			p.mu.Unlock()
			wg.Add(2)
			go func() { defer wg.Done(); _, _ = io.Copy(up, conn); _ = up.Close() }()
			go func() { defer wg.Done(); _, _ = io.Copy(conn, up); _ = conn.Close() }()
		}
	}()
	return p
}

// answer lets new connections through, and drops the ones held, so that the client dials again.
func (p *hangingProxy) answer() {
	p.answered.Store(true)
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.held {
		_ = c.Close()
	}
	p.held = nil
}

// passwordInAnEndpointIsShownNowhere: an otlp_http endpoint with user:password, the
// collector's log at debug level. The password is in no log line and not in print-config;
// the backend gets it as an authorization header.
func passwordInAnEndpointIsShownNowhere(t *testing.T) {
	const password = "Pa55-w0rd-in-url"
	var auth atomic.Value
	var requests atomic.Int64
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		auth.Store(r.Header.Get("Authorization"))
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(backend.Close)
	dir := t.TempDir()
	logs := filepath.Join(dir, "logs")
	require.NoError(t, os.Mkdir(logs, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(logs, "app.log"), []byte("a line\n"), 0o644))
	endpoint := strings.Replace(backend.URL, "http://", "http://ingest:"+password+"@", 1)
	cfg := configFile(t, strings.Replace(fmt.Sprintf(minimalConfig, filepath.Join(logs, "*.log"), filepath.Join(dir, "checkpoints"), "otlp_http", "endpoint: "+endpoint),
		"logs: {disable_stacktrace: true}", "logs: {disable_stacktrace: true, level: debug}", 1))

	printed, err := exec.Command(binary(t), "print-config", "--config", cfg).CombinedOutput()
	require.NoError(t, err, "%s", printed)
	assert.NotContains(t, string(printed), password, "print-config")
	assert.Contains(t, string(printed), "[REDACTED]", "the password is in a header, whose value is redacted")
	out, err := validate(t, cfg)
	require.NoError(t, err, out)
	assert.NotContains(t, out, password, "validate")

	logged := runFor(t, cfg, 3*time.Second)
	require.Positive(t, requests.Load(), "the exporter sent something, and could have logged its URL")
	assert.NotContains(t, logged, password, "the collector's log at debug level")
	assert.Equal(t, "Basic aW5nZXN0OlBhNTUtdzByZC1pbi11cmw=", auth.Load(), "the backend gets ingest:password as an authorization header")
}

// symlinkOutIsNotRead: a link in the log directory to a root-only file elsewhere is not
// shipped; the collector says which link and where it leads.
func symlinkOutIsNotRead(t *testing.T) {
	e := newEnv(t, "*.log")
	elsewhere := filepath.Join(t.TempDir(), "shadow")
	require.NoError(t, os.WriteFile(elsewhere, []byte("root:$6$secret-hash:19000:0:99999:7:::\n"), 0o600))
	require.NoError(t, os.Symlink(elsewhere, filepath.Join(e.dir, "innocent.log")))
	require.NoError(t, os.WriteFile(filepath.Join(e.dir, "app.log"), []byte("an app line\n"), 0o644))
	c := e.start()
	require.Eventually(t, func() bool { return e.sink.Count("an app line") == 1 }, 10*time.Second, 50*time.Millisecond)
	time.Sleep(time.Second)
	c.terminate(t)
	assert.Equal(t, map[string]int{"an app line": 1}, e.sink.Bodies(), "the file the link leads to is not shipped")
	logs, err := os.ReadFile(e.logs.Name())
	require.NoError(t, err)
	assert.Contains(t, string(logs), "Not reading a symlink that leads out of the include patterns' directories")
	assert.Contains(t, string(logs), "it leads to "+elsewhere)
}
