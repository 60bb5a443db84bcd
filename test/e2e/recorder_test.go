// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/flightlog/flightlog/internal/otlpsink"
)

// The recorder's settings in this test: a window of 3 s before a crash and 1 s after it.
const (
	recorderBefore = 3 * time.Second
	recorderAfter  = time.Second
)

// recordedApp is an app that logs 90 % DEBUG and 10 % INFO, each line stamped with when it
// was written, and crashes with a Python traceback now and then. It remembers what it wrote.
type recordedApp struct {
	f     *os.File
	mu    sync.Mutex
	next  int
	lines []appLine // by seq
}

type appLine struct {
	at    time.Time
	level string
	crash bool
}

func (a *recordedApp) body(seq int) string {
	l := a.lines[seq]
	return fmt.Sprintf("%s %s seq=%09d cache refresh for tenant %d", l.at.Format(time.RFC3339Nano), l.level, seq, seq%97)
}

// write appends n lines, every tenth at INFO.
func (a *recordedApp) write(n int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	var b strings.Builder
	now := time.Now().UTC()
	for range n {
		level := "DEBUG"
		if a.next%10 == 0 {
			level = "INFO"
		}
		a.lines = append(a.lines, appLine{at: now, level: level})
		b.WriteString(a.body(a.next) + "\n")
		a.next++
	}
	_, err := a.f.WriteString(b.String())
	return err
}

// crash appends an uncaught exception logged at ERROR; it returns its seq.
func (a *recordedApp) crash() (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	seq := a.next
	a.lines = append(a.lines, appLine{at: time.Now().UTC(), level: "ERROR", crash: true})
	a.next++
	_, err := a.f.WriteString(a.body(seq) + " failed\nTraceback (most recent call last):\n" +
		"  File \"/app/worker.py\", line 42, in refresh\n    ratio = hits / misses\nZeroDivisionError: division by zero\n")
	return seq, err
}

// run writes rate lines per second until ctx ends.
func (a *recordedApp) run(ctx context.Context, rate int) error {
	ticker := time.NewTicker(10 * time.Millisecond)
	defer ticker.Stop()
	start, written := time.Now(), 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
		if n := int(time.Since(start).Seconds()*float64(rate)) - written; n > 0 {
			if err := a.write(n); err != nil {
				return err
			}
			written += n
		}
	}
}

// holdsBackfill tells whether a request holds a record the recorder backfilled.
func holdsBackfill(logs plog.Logs) bool {
	for i := 0; i < logs.ResourceLogs().Len(); i++ {
		sls := logs.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			recs := sls.At(j).LogRecords()
			for k := 0; k < recs.Len(); k++ {
				if _, ok := recs.At(k).Attributes().Get("flightlog.recorder.backfill"); ok {
					return true
				}
			}
		}
	}
	return false
}

// arrival is what the backend got of one line.
type arrival struct {
	count    int
	backfill bool
	trigger  string
}

// arrivals reads what the sink recorded, by seq.
func arrivals(t *testing.T, path string) map[int]*arrival {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	out := map[int]*arrival{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<20), 64<<20)
	for sc.Scan() {
		logs, err := (&plog.JSONUnmarshaler{}).UnmarshalLogs(sc.Bytes())
		require.NoError(t, err)
		for i := 0; i < logs.ResourceLogs().Len(); i++ {
			sls := logs.ResourceLogs().At(i).ScopeLogs()
			for j := 0; j < sls.Len(); j++ {
				recs := sls.At(j).LogRecords()
				for k := 0; k < recs.Len(); k++ {
					r := recs.At(k)
					body := r.Body().Str()
					at := strings.Index(body, "seq=")
					if at < 0 {
						continue // a restart event
					}
					seq, err := strconv.Atoi(body[at+4 : at+13])
					require.NoError(t, err)
					a := out[seq]
					if a == nil {
						a = &arrival{}
						out[seq] = a
					}
					a.count++
					if v, ok := r.Attributes().Get("flightlog.recorder.backfill"); ok && v.Bool() {
						a.backfill = true
					}
					if v, ok := r.Attributes().Get("flightlog.recorder.trigger"); ok {
						a.trigger = v.Str()
					}
				}
			}
		}
	}
	require.NoError(t, sc.Err())
	return out
}

// TestFlightRecorderShipsEveryWindowThroughSIGKILLs is #28's acceptance run: an app logs
// 5,000 lines/s, 90 % DEBUG, and crashes three times while the collector is SIGKILLed at
// random moments, once between the second crash and its backfill (the backend refuses
// then, so the backfill cannot have arrived). Every INFO line and crash arrives; every DEBUG
// line within recorder.before of a crash or recorder.after it arrives, marked as backfill
// when it came before; no other DEBUG line arrives; nothing is lost, and duplicates stay
// within max_in_flight batches per kill.
func TestFlightRecorderShipsEveryWindowThroughSIGKILLs(t *testing.T) {
	const rate = 5000
	recorded := filepath.Join(t.TempDir(), "received.jsonl")
	out, err := os.Create(recorded)
	require.NoError(t, err)
	t.Cleanup(func() { _ = out.Close() })
	e := newEnvReceiver(t, "app.log", func() (*otlpsink.Sink, error) { return otlpsink.StartRecording(out) }, fmt.Sprintf(`
    recorder:
      enabled: true
      ship_level: info
      triggers: [crash]
      before: %s
      before_bytes: 16MiB
      after: %s`, recorderBefore, recorderAfter))
	f, err := os.OpenFile(filepath.Join(e.dir, "app.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	app := &recordedApp{f: f}
	rng, _ := seeded(t, 28)

	ctx, cancel := context.WithCancel(context.Background())
	writing := make(chan error, 1)
	begin := time.Now()
	go func() { writing <- app.run(ctx, rate) }()
	c := e.start()
	kills := 0
	killAndRestart := func() {
		c.kill()
		kills++
		time.Sleep(time.Duration(100+rng.IntN(400)) * time.Millisecond)
		c = e.start()
	}
	var crashes []int
	for round := range 3 {
		// A kill at a random moment before the crash...
		time.Sleep(time.Duration(1500+rng.IntN(1500)) * time.Millisecond)
		killAndRestart()
		time.Sleep(time.Duration(1000+rng.IntN(1000)) * time.Millisecond)
		if round == 1 {
			// ...and, for the second crash, between the trigger and its backfill: the
			// backend refuses the backfill until the collector was killed.
			e.sink.SetRefusingWhen(holdsBackfill)
		}
		refused := e.sink.Refused()
		seq, err := app.crash()
		require.NoError(t, err)
		crashes = append(crashes, seq)
		if round == 1 {
			require.True(t, waitUntil(10*time.Second, 10*time.Millisecond, func() bool { return e.sink.Refused() > refused }),
				"the crash's backfill was never offered")
			c.kill()
			kills++
			require.Nil(t, arrivals(t, recorded)[seq], "the crash arrived before its backfill")
			e.sink.SetRefusingWhen(nil)
			c = e.start()
		}
		time.Sleep(recorderAfter + 500*time.Millisecond)
	}
	time.Sleep(time.Second)
	cancel()
	require.NoError(t, <-writing)
	achieved := float64(app.next) / time.Since(begin).Seconds()

	// What must arrive: INFO lines, crashes, and the DEBUG lines within a crash's window.
	inWindow := func(at time.Time) (crash int, ok bool) {
		for _, s := range crashes {
			ct := app.lines[s].at
			if !at.Before(ct.Add(-recorderBefore)) && !at.After(ct.Add(recorderAfter)) {
				return s, true
			}
		}
		return 0, false
	}
	want := map[int]bool{}
	for seq, l := range app.lines {
		if _, ok := inWindow(l.at); ok || l.level != "DEBUG" {
			want[seq] = true
		}
	}
	var got map[int]*arrival
	arrived := func() bool {
		got = arrivals(t, recorded)
		for seq := range want {
			if got[seq] == nil {
				return false
			}
		}
		return true
	}
	waitUntil(time.Minute, 200*time.Millisecond, arrived)
	c.terminate(t)
	got = arrivals(t, recorded)

	var missing, outside []int
	duplicates, backfilled, unmarked := 0, 0, 0
	triggerOf := map[int]string{}
	for _, s := range crashes {
		if a := got[s]; a != nil {
			triggerOf[s] = a.trigger
		}
	}
	for seq := range app.lines {
		a := got[seq]
		switch {
		case want[seq] && a == nil:
			missing = append(missing, seq)
		case !want[seq] && a != nil:
			outside = append(outside, seq)
		}
		if a == nil {
			continue
		}
		duplicates += a.count - 1
		if crash, ok := inWindow(app.lines[seq].at); ok && app.lines[seq].level == "DEBUG" {
			if app.lines[seq].at.Before(app.lines[crash].at) && a.backfill {
				backfilled++
			}
			if a.trigger != triggerOf[crash] {
				unmarked++
			}
		}
	}
	shipped := 0
	for range got {
		shipped++
	}
	bound := kills * maxInFlight * maxLines
	t.Logf("%d lines at %.0f lines/s, %d crashes, %d SIGKILLs: %d lines shipped (%.1f %%), %d DEBUG lines backfilled, missing %d, DEBUG outside a window %d, duplicates %d (bound %d), unlinked %d",
		app.next, achieved, len(crashes), kills, shipped, 100*float64(shipped)/float64(app.next), backfilled, len(missing), len(outside), duplicates, bound, unmarked)
	require.GreaterOrEqual(t, achieved, 4500.0, "the app must write about 5,000 lines/s for this test to mean something")
	require.Len(t, triggerOf, len(crashes), "every crash arrives")
	require.Zero(t, len(missing), "lost: lines at or above ship_level, or DEBUG lines in a window (first %s)", firstFew(missing))
	require.Zero(t, len(outside), "DEBUG lines outside every window arrived (first %s)", firstFew(outside))
	require.LessOrEqual(t, duplicates, bound)
	require.Zero(t, unmarked, "a line of a crash's window does not name its trigger")
	require.Positive(t, backfilled)
}
