// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap"

	"github.com/flightlog/flightlog/internal/restartevent"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
)

// TestModelRandomOperationsLoseNothing runs random sequences of writes, rotations,
// truncations, deletions, files created again with the same first bytes, backend outages
// and crashes against the real receiver, and checks them against the simplest model of the
// guarantee: every line written is delivered, and a crash sends again at most max_in_flight
// batches of each file open at the time. A crash is a SIGKILL of the process the receiver
// runs in (this test binary, run again as modelChild): nothing is closed or flushed.
func TestModelRandomOperationsLoseNothing(t *testing.T) {
	// MODEL_SEED replays one sequence; MODEL_RUNS explores more of them.
	runs := 8
	if s := os.Getenv("MODEL_RUNS"); s != "" {
		_, err := fmt.Sscan(s, &runs)
		require.NoError(t, err)
	}
	seeds := make([]uint64, runs)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	if s := os.Getenv("MODEL_SEED"); s != "" {
		var seed uint64
		_, err := fmt.Sscan(s, &seed)
		require.NoError(t, err)
		seeds = []uint64{seed}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			t.Logf("seed %d (MODEL_SEED=%d replays it)", seed, seed)
			runModel(t, seed)
		})
	}
}

// modelSettings is what the child process is told through its environment.
type modelSettings struct {
	Dir         string `json:"dir"`
	MaxLines    int    `json:"max_lines"`
	MaxInFlight int    `json:"max_in_flight"`
}

const modelChildEnv = "FLIGHTLOG_MODEL_CHILD"

// TestModelChild is the process TestModelRandomOperationsLoseNothing starts and kills: it
// runs the receiver on the model's directory and appends every record it accepts to the
// file "delivered", one write per ConsumeLogs call, before it returns.
func TestModelChild(t *testing.T) {
	raw := os.Getenv(modelChildEnv)
	if raw == "" {
		t.Skip("the process TestModelRandomOperationsLoseNothing starts and SIGKILLs; it runs there")
	}
	var set modelSettings
	require.NoError(t, json.Unmarshal([]byte(raw), &set))
	cfg := modelConfig(set)
	out, err := os.OpenFile(filepath.Join(set.Dir, "delivered"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	require.NoError(t, err)
	next, err := consumer.NewLogs(func(_ context.Context, ld plog.Logs) error {
		if _, err := os.Stat(filepath.Join(set.Dir, "refuse")); err == nil {
			return fmt.Errorf("backend down")
		}
		var b bytes.Buffer
		for _, lr := range records(ld) {
			if _, event := lr.Attributes().Get(restartevent.AttrEventName); !event {
				b.WriteString(lr.Body().Str() + "\n")
			}
		}
		_, err := out.Write(b.Bytes())
		return err
	})
	require.NoError(t, err)
	settings := receivertest.NewNopSettings(metadata.Type)
	settings.ID = component.NewID(metadata.Type)
	settings.Logger = zap.NewNop()
	r, err := newReceiver(settings, cfg, next)
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
	select {} // until SIGKILL
}

func modelConfig(set modelSettings) *Config {
	cfg := createDefaultConfig().(*Config)
	// Rotated files stay included: a file renamed out of the include set while the
	// receiver is down cannot be finished by anyone.
	cfg.Include = []string{filepath.Join(set.Dir, "logs", "app.log*")}
	cfg.Checkpoint = filepath.Join(set.Dir, "checkpoint")
	cfg.PollInterval = 20 * time.Millisecond
	cfg.FlushPeriod = 100 * time.Millisecond
	cfg.Batch.FlushTimeout = 20 * time.Millisecond
	cfg.Batch.MaxLines = set.MaxLines
	cfg.Batch.MaxInFlight = set.MaxInFlight
	cfg.Retry = RetryConfig{InitialInterval: 5 * time.Millisecond, MaxInterval: 20 * time.Millisecond}
	return cfg
}

func records(ld plog.Logs) []plog.LogRecord {
	var out []plog.LogRecord
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		sls := ld.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			for k := 0; k < sls.At(j).LogRecords().Len(); k++ {
				out = append(out, sls.At(j).LogRecords().At(k))
			}
		}
	}
	return out
}

// modelBanner is what the app writes first in the n-th file it creates: the same first
// 1,056 bytes every time, longer than a fingerprint, then the file's number.
func modelBanner(n int) string {
	var b strings.Builder
	for i := range 20 {
		if i < 16 {
			b.WriteString("=== the app starts: the same banner in every file it creates ===\n")
		} else {
			fmt.Fprintf(&b, "=== banner line %d of file %d ===\n", i, n)
		}
	}
	return b.String()
}

func runModel(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 42))
	set := modelSettings{Dir: t.TempDir(), MaxLines: 1 + rng.IntN(64), MaxInFlight: 1 + rng.IntN(3)}
	logs := filepath.Join(set.Dir, "logs")
	require.NoError(t, os.MkdirAll(logs, 0o755))
	app := filepath.Join(logs, "app.log")
	env, err := json.Marshal(set)
	require.NoError(t, err)

	var child *exec.Cmd
	var waited sync.WaitGroup
	alive := false
	start := func() {
		alive = true
		child = exec.Command(os.Args[0], "-test.run=^TestModelChild$", "-test.count=1")
		child.Env = append(os.Environ(), modelChildEnv+"="+string(env))
		var stderr bytes.Buffer
		child.Stderr = &stderr
		require.NoError(t, child.Start())
		waited.Add(1)
		go func(c *exec.Cmd) {
			defer waited.Done()
			_ = c.Wait()
			if c.ProcessState.ExitCode() != -1 { // it ends only by SIGKILL
				t.Errorf("the receiver's process exited on its own: %s", stderr.String())
			}
		}(child)
	}
	crash := func() {
		alive = false
		_ = child.Process.Signal(syscall.SIGKILL)
		waited.Wait()
	}
	t.Cleanup(func() {
		if alive {
			crash()
		}
	})

	written := map[string]int{}
	next, rotations, files, crashes, truncations := 0, 0, 1, 0, 0
	var trace []string
	write := func(n int) {
		var b strings.Builder
		for range n {
			l := fmt.Sprintf("line %d", next)
			written[l]++
			next++
			b.WriteString(l + "\n")
		}
		appendFile(t, app, b.String())
	}
	created := 0
	create := func() { // the app starts a new file: the banner first, then its own lines
		created++
		banner := modelBanner(created)
		for _, l := range strings.Split(strings.TrimSuffix(banner, "\n"), "\n") {
			written[l]++
		}
		appendFile(t, app, banner)
		write(1)
	}
	delivered := func() map[string]int {
		data, err := os.ReadFile(filepath.Join(set.Dir, "delivered"))
		if err != nil {
			return nil
		}
		got := map[string]int{}
		// A line cut by the SIGKILL in the middle of its write was not acknowledged.
		for _, l := range strings.SplitAfter(string(data), "\n") {
			if strings.HasSuffix(l, "\n") {
				got[strings.TrimSuffix(l, "\n")]++
			}
		}
		return got
	}
	missing := func() []string {
		got := delivered()
		var out []string
		for l, c := range written {
			if got[l] < c {
				out = append(out, l)
			}
		}
		slices.Sort(out)
		return out
	}
	caughtUp := func() bool { return len(missing()) == 0 }
	refusing := func() bool { _, err := os.Stat(filepath.Join(set.Dir, "refuse")); return err == nil }

	create()
	start()
	running := true
	for range 30 {
		switch op := rng.IntN(8); op {
		case 0, 1:
			n := 1 + rng.IntN(300)
			trace = append(trace, fmt.Sprint("write ", n))
			write(n)
		case 2:
			trace = append(trace, "rotate by rename")
			rotations++
			require.NoError(t, os.Rename(app, fmt.Sprintf("%s.%d", app, rotations)))
			files++
			create()
		case 3, 4:
			// Truncating or deleting destroys what was not read yet, so the app in the
			// model starts over only after everything was delivered, as an app that
			// restarts after a crash does in the e2e tests.
			if refusing() || !caughtUp() && (!running || !waitFor(caughtUp, 10*time.Second)) {
				continue
			}
			if op == 3 {
				trace = append(trace, "truncate and write the banner again")
				truncations++
				require.NoError(t, os.Truncate(app, 0))
			} else {
				trace = append(trace, "delete and create again")
				require.NoError(t, os.Remove(app))
				files++
			}
			create()
		case 5:
			if refusing() {
				require.NoError(t, os.Remove(filepath.Join(set.Dir, "refuse")))
			} else {
				require.NoError(t, os.WriteFile(filepath.Join(set.Dir, "refuse"), nil, 0o644))
			}
			trace = append(trace, fmt.Sprint("backend refusing=", refusing()))
		case 6, 7:
			if running {
				trace = append(trace, "crash")
				crashes++
				crash()
			} else {
				trace = append(trace, "restart")
				start()
			}
			running = !running
		}
		time.Sleep(time.Duration(rng.IntN(30)) * time.Millisecond)
	}
	_ = os.Remove(filepath.Join(set.Dir, "refuse"))
	if !running {
		start()
	}
	if !waitFor(caughtUp, 20*time.Second) {
		lost := missing()
		t.Fatalf("seed %d: %d of %d lines never delivered (%q ... %q); trace: %v", seed, len(lost), len(written), lost[0], lost[len(lost)-1], trace)
	}
	crash()

	// The duplicate bound of the README: a crash sends again at most max_in_flight batches
	// of each file open then, and no more files are open than the app created. A file
	// rewritten in place is read again from its start once, at most what was read before
	// the rewrite was seen.
	duplicates := 0
	for l, c := range delivered() {
		duplicates += c - written[l]
	}
	bound := (crashes*files + truncations) * set.MaxInFlight * set.MaxLines
	t.Logf("seed %d: %d lines, %d crashes, %d files, %d duplicates (bound %d)", seed, len(written), crashes, files, duplicates, bound)
	require.LessOrEqual(t, duplicates, bound, "seed %d: %d duplicates after %d crashes; trace: %v", seed, duplicates, crashes, trace)
}

func appendFile(t *testing.T, path, data string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	require.NoError(t, err)
	_, err = f.WriteString(data)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(cond func() bool, timeout time.Duration) bool {
	for deadline := time.Now().Add(timeout); ; time.Sleep(5 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}
