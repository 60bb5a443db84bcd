// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flightlog/flightlog/internal/otlpsink"
)

// startWriting runs w at rate until the returned stop is called; stop returns the
// writer's error.
func startWriting(w *writer, rate int) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- w.run(ctx, rate) }()
	return func() error {
		cancel()
		return <-errc
	}
}

// formats runs a test on plain files and on the kubelet's CRI format (format: cri, with
// lines in P/F chunks and stderr between them).
func formats(t *testing.T, test func(t *testing.T, e *env, w *writer)) {
	for _, cri := range []bool{false, true} {
		name, extra := "plain", ""
		if cri {
			name, extra = "cri", "    format: cri"
		}
		t.Run(name, func(t *testing.T) {
			e := newEnvReceiver(t, "*.log", otlpsink.Start, extra)
			w := newWriter(t, filepath.Join(e.dir, "app.log"))
			w.cri = cri
			test(t, e, w)
		})
	}
}

func TestSIGKILLRestartsLoseNothing(t *testing.T) { formats(t, sigkillRestartsLoseNothing) }

func sigkillRestartsLoseNothing(t *testing.T, e *env, w *writer) {
	const (
		kills = 10
		rate  = 6000
	)
	// A backend 30 ms away keeps batches in flight, so kills land between read and
	// acknowledgement: a receiver that checkpoints on read loses lines here.
	e.sink.SetDelay(30 * time.Millisecond)
	begin := time.Now()
	stop := startWriting(w, rate)
	rng, _ := seeded(t, 7)
	for range kills {
		c := e.start()
		// Kill at a random point: during start-up, mid-batch, mid-checkpoint write.
		time.Sleep(time.Duration(300+rng.IntN(900)) * time.Millisecond)
		c.kill()
	}
	c := e.start()
	time.Sleep(500 * time.Millisecond)
	require.NoError(t, stop())
	n := w.written()
	achieved := float64(n) / time.Since(begin).Seconds()
	d := e.waitAll(n, w.pad, time.Minute)
	c.terminate(t)

	bound := kills * maxInFlight * maxLines
	t.Logf("SIGKILL x%d while writing %.0f lines/s: %d lines written, %d records received, %d duplicates (%.3f%%), bound %d",
		kills, achieved, n, e.sink.Records(), d.duplicates, 100*float64(d.duplicates)/float64(n), bound)
	require.GreaterOrEqual(t, achieved, 5000.0, "the writer must reach 5,000 lines/s for this test to mean something")
	require.Empty(t, d.missing, "lines lost: %s", d)
	require.Zero(t, d.unexpected, "%s", d)
	require.LessOrEqual(t, d.duplicates, bound, "more duplicates than max_in_flight batches per kill: %s", d)
}

// TestSIGKILLEverySecondLosesNothing kills the collector about every second while an app
// writes 20,000 lines/s: nothing is lost, and a kill sends again at most the batches that
// were sent and not yet in a written checkpoint. The share of duplicates it logs is the
// figure in the receiver's README ("Duplicates after a SIGKILL").
func TestSIGKILLEverySecondLosesNothing(t *testing.T) {
	const (
		kills = 30
		rate  = 20_000
	)
	e := newEnvWith(t, "*.log", otlpsink.StartSequenced)
	w := newWriter(t, filepath.Join(e.dir, "app.log"))
	begin := time.Now()
	stop := startWriting(w, rate)
	rng, _ := seeded(t, 7)
	for range kills {
		c := e.start()
		// A second on average, at any point of the collector's life: during its start,
		// its catch-up of what was written while it was down, or a batch in flight.
		time.Sleep(time.Duration(500+rng.IntN(1000)) * time.Millisecond)
		c.kill()
	}
	c := e.start()
	time.Sleep(500 * time.Millisecond)
	require.NoError(t, stop())
	n := w.written()
	achieved := float64(n) / time.Since(begin).Seconds()
	missing, duplicates, other := awaitSequences(e.sink, int(n), func() {})
	c.terminate(t)
	bound := kills * maxInFlight * maxLines
	t.Logf("SIGKILL every second x%d while writing %.0f lines/s: %d lines written, %d missing, %d duplicates (%.3f%%), bound %d",
		kills, achieved, n, len(missing), duplicates, 100*float64(duplicates)/float64(n), bound)
	require.GreaterOrEqual(t, achieved, 15_000.0, "the writer must reach 15,000 lines/s for this test to mean something")
	require.Empty(t, missing, "lines lost, the first: %s", firstFew(missing))
	require.Zero(t, other)
	require.LessOrEqual(t, duplicates, bound, "more duplicates than max_in_flight batches per kill")
}

func TestBackendOutageLosesNothingAndMemoryStaysBounded(t *testing.T) {
	formats(t, backendOutageLosesNothingAndMemoryStaysBounded)
}

// backendOutageLosesNothingAndMemoryStaysBounded runs a 60 s outage at 10,000 lines/s;
// FLIGHTLOG_OUTAGE and FLIGHTLOG_OUTAGE_RATE run a longer one (10m at 5000: issue #16).
func backendOutageLosesNothingAndMemoryStaysBounded(t *testing.T, e *env, w *writer) {
	// The backlog written during the outage (~110 MB by default) stays in the file: the
	// collector must not hold it, however long the outage.
	const maxRSS = 144 << 20
	rate, outage := 10_000, 60*time.Second
	if v := os.Getenv("FLIGHTLOG_OUTAGE"); v != "" {
		var err error
		outage, err = time.ParseDuration(v)
		require.NoError(t, err)
	}
	if v := os.Getenv("FLIGHTLOG_OUTAGE_RATE"); v != "" {
		var err error
		rate, err = strconv.Atoi(v)
		require.NoError(t, err)
	}
	c := e.start()
	stop := startWriting(w, rate)
	require.Eventually(t, func() bool { return e.sink.Records() > 1000 }, 20*time.Second, 50*time.Millisecond)

	e.sink.SetRefusing(true)
	time.Sleep(outage / 2)
	// Killed in the middle of the outage, with refused batches in flight.
	c.kill()
	c = e.start()
	time.Sleep(outage / 2)
	e.sink.SetRefusing(false)
	time.Sleep(time.Second)
	require.NoError(t, stop())
	n := w.written()
	info, err := os.Stat(w.path)
	require.NoError(t, err)
	d := e.waitAll(n, w.pad, 2*time.Minute)
	peak := c.peakRSS()
	c.terminate(t)

	t.Logf("outage of %s at %d lines/s: %d lines (%d MiB on disk), %d export requests refused, peak RSS %d MiB, %s",
		outage, rate, n, info.Size()>>20, e.sink.Refused(), peak>>20, d)
	require.Positive(t, e.sink.Refused(), "the sink never refused anything; the test did not test an outage")
	require.Empty(t, d.missing, "lines lost: %s", d)
	require.Zero(t, d.unexpected, "%s", d)
	require.Less(t, peak, int64(maxRSS), "peak RSS %d MiB: the collector buffered the backlog instead of leaving it in the file", peak>>20)
}

func TestRotationAndTruncationLoseNothing(t *testing.T) {
	const rate = 3000

	t.Run("rename and create", func(t *testing.T) {
		// The rotated file leaves the include set, as kubelet's 0.log.<time> does.
		e := newEnv(t, "*.log")
		w := newWriter(t, filepath.Join(e.dir, "app.log"))
		c := e.start()
		stop := startWriting(w, rate)
		for i := 1; i <= 3; i++ {
			time.Sleep(time.Second)
			w.mu.Lock()
			require.NoError(t, os.Rename(w.path, w.path+"."+strconv.Itoa(i)))
			w.mu.Unlock()
			// The app keeps writing to the renamed file for a moment before it reopens.
			time.Sleep(50 * time.Millisecond)
			require.NoError(t, w.reopen(0))
		}
		time.Sleep(time.Second)
		require.NoError(t, stop())
		d := e.waitAll(w.written(), w.pad, 30*time.Second)
		c.terminate(t)
		t.Logf("rename rotation x3: %d lines, %s", w.written(), d)
		require.Empty(t, d.missing, "lines lost: %s", d)
	})

	t.Run("copytruncate", func(t *testing.T) {
		// logrotate's copytruncate: the copy is included, so what the receiver had not
		// read before the truncation is read from the copy.
		e := newEnv(t, "app.log*")
		w := newWriter(t, filepath.Join(e.dir, "app.log"))
		c := e.start()
		stop := startWriting(w, rate)
		for i := 1; i <= 3; i++ {
			time.Sleep(time.Second)
			require.NoError(t, copyFile(w.path, w.path+"."+strconv.Itoa(i)))
			// The writer does not pause: lines written between the copy and the
			// truncation are in neither file. That window is inherent to copytruncate.
			require.NoError(t, os.Truncate(w.path, 0))
		}
		time.Sleep(time.Second)
		require.NoError(t, stop())
		n := w.written()
		onDisk := map[string]bool{}
		files, err := filepath.Glob(w.path + "*")
		require.NoError(t, err)
		for _, f := range files {
			for _, l := range linesIn(t, f) {
				onDisk[l] = true
			}
		}
		deadline := time.Now().Add(30 * time.Second)
		var notDelivered int
		for {
			bodies := e.sink.Bodies()
			notDelivered = 0
			for l := range onDisk {
				if bodies[l] == 0 {
					notDelivered++
				}
			}
			if notDelivered == 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		d := e.check(n, w.pad)
		c.terminate(t)
		t.Logf("copytruncate x3: %d lines written, %d on disk, %d lost on disk between copy and truncate (inherent), %d duplicates",
			n, len(onDisk), int(n)-len(onDisk), d.duplicates)
		require.Zero(t, notDelivered, "lines that are on disk were not delivered")
	})

	// appRestarts runs an app that writes for a second, stops, and after 300 ms (the
	// restart) starts over with restart(w), three times; every line must arrive.
	appRestarts := func(t *testing.T, restart func(w *writer) error) {
		e := newEnv(t, "*.log")
		w := newWriter(t, filepath.Join(e.dir, "app.log"))
		c := e.start()
		for run := 0; run < 4; run++ {
			if run > 0 {
				time.Sleep(300 * time.Millisecond)
				require.NoError(t, restart(w))
			}
			stop := startWriting(w, rate)
			time.Sleep(time.Second)
			require.NoError(t, stop())
		}
		d := e.waitAll(w.written(), w.pad, 30*time.Second)
		c.terminate(t)
		t.Logf("%s x3: %d lines, %s", t.Name(), w.written(), d)
		require.Empty(t, d.missing, "lines lost: %s", d)
	}

	t.Run("truncate on restart", func(t *testing.T) {
		// An app that crashes and opens its log with O_TRUNC when it comes back.
		appRestarts(t, func(w *writer) error { return w.reopen(os.O_TRUNC) })
	})

	t.Run("delete and recreate on restart", func(t *testing.T) {
		// An app that removes its old log when it starts.
		appRestarts(t, func(w *writer) error {
			if err := os.Remove(w.path); err != nil {
				return err
			}
			return w.reopen(0)
		})
	})

	t.Run("final partial line", func(t *testing.T) {
		// The app died in the middle of a write: the last line has no newline.
		e := newEnv(t, "*.log")
		w := newWriter(t, filepath.Join(e.dir, "app.log"))
		c := e.start()
		require.NoError(t, w.write(100))
		partial := "seq=PARTIAL the app died while writing th"
		_, err := w.f.WriteString(partial)
		require.NoError(t, err)
		d := e.waitAll(w.written(), w.pad, 30*time.Second)
		require.Eventually(t, func() bool { return e.sink.Count(partial) == 1 }, 10*time.Second, 50*time.Millisecond,
			"the final line without newline was not delivered after flush_period")
		c.terminate(t)
		require.Empty(t, d.missing, "lines lost: %s", d)
	})
}

func TestSIGTERMDeliversWhatWasWrittenBeforeShutdown(t *testing.T) {
	e := newEnv(t, "*.log")
	w := newWriter(t, filepath.Join(e.dir, "app.log"))
	c := e.start()
	require.NoError(t, w.write(1))
	require.Eventually(t, func() bool { return e.sink.Records() == 1 }, 20*time.Second, 20*time.Millisecond)
	for range 100 {
		require.NoError(t, w.write(1000))
	}
	c.terminate(t)
	// No waiting: by the time the process has exited, everything must be there.
	d := e.check(w.written(), w.pad)
	t.Logf("SIGTERM right after writing %d lines: %s", w.written(), d)
	require.Empty(t, d.missing, "lines written before SIGTERM were not delivered before exit: %s", d)
}

// copyFile copies from to to, as logrotate's copytruncate does before it truncates.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

func TestSIGKILLInTheMiddleOfATraceDeliversItWhole(t *testing.T) {
	data, err := os.ReadFile("../../receiver/durablefilereceiver/internal/crash/testdata/fixtures/go_fatal_all.log")
	require.NoError(t, err)
	lines := strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
	header, trace := lines[0], lines[1:]
	wantTrace := strings.TrimSpace(strings.Join(trace, ""))

	e := newEnv(t, "*.log")
	w := newWriter(t, filepath.Join(e.dir, "app.log"))
	c := e.start()
	write := func(s string) {
		_, err := w.f.WriteString(s)
		require.NoError(t, err)
	}
	write(header)
	require.Eventually(t, func() bool { return e.sink.Records() == 1 }, 20*time.Second, 10*time.Millisecond)
	// Half the trace, then the collector dies before flush_period (300 ms) passes.
	write(strings.Join(trace[:len(trace)/2], ""))
	time.Sleep(100 * time.Millisecond)
	c.kill()
	write(strings.Join(trace[len(trace)/2:], ""))
	c = e.start()
	require.Eventually(t, func() bool { return e.sink.Count(wantTrace) >= 1 }, 20*time.Second, 10*time.Millisecond,
		"the trace never arrived whole")
	time.Sleep(500 * time.Millisecond) // anything else that would arrive
	c.terminate(t)

	for body, n := range e.sink.Bodies() {
		if body == wantTrace {
			assert.LessOrEqual(t, n, 2, "the trace arrives once, or twice after a kill")
			continue
		}
		assert.NotContains(t, body, "goroutine", "a piece of the trace arrived on its own: %q", body)
	}
}
