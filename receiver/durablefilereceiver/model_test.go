// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestModelRandomOperationsLoseNothing runs random sequences of writes, rotations,
// truncations, backend outages and crashes against the real receiver and checks them
// against the simplest model of the guarantee: every line written is delivered.
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
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) { runModel(t, seed) })
	}
}

func runModel(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 42))
	f := newFixture(t, func(c *Config) {
		// Rotated files stay included: a file renamed out of the include set while the
		// receiver is down cannot be finished by anyone.
		c.Include = []string{c.Include[0] + "*"}
		c.Batch.MaxLines = 1 + rng.IntN(64)
		c.Batch.MaxInFlight = 1 + rng.IntN(3)
		c.DrainTimeout = 0 // every stop is a crash: nothing in flight gets to finish
	})
	var refusing atomic.Bool
	sink := &recorder{refuse: func() error {
		if refusing.Load() {
			return errors.New("backend down")
		}
		return nil
	}}
	written := map[string]bool{}
	next, rotations, crashes := 0, 0, 0
	var trace []string
	write := func(n int) {
		var b strings.Builder
		for range n {
			l := fmt.Sprintf("line %d", next)
			written[l] = true
			next++
			b.WriteString(l + "\n")
		}
		f.appendTo("app.log", b.String())
	}
	delivered := func() map[string]bool {
		got := map[string]bool{}
		for _, b := range sink.bodies() {
			got[b] = true
		}
		return got
	}
	missing := func() int {
		got, n := delivered(), 0
		for l := range written {
			if !got[l] {
				n++
			}
		}
		return n
	}
	caughtUp := func() bool { return missing() == 0 }

	stop := f.start(sink)
	running := true
	for range 25 {
		switch op := rng.IntN(6); op {
		case 0, 1:
			n := 1 + rng.IntN(300)
			trace = append(trace, fmt.Sprint("write ", n))
			write(n)
		case 2:
			trace = append(trace, "rotate by rename")
			rotations++
			if _, err := os.Stat(f.path("app.log")); err == nil {
				require.NoError(t, os.Rename(f.path("app.log"), f.path(fmt.Sprintf("app.log.%d", rotations))))
			}
		case 3:
			// A truncation loses what was not read yet, so the app in the model restarts
			// only after the receiver caught up (as the e2e test's 300 ms restart does).
			if _, err := os.Stat(f.path("app.log")); err == nil && running && !refusing.Load() {
				trace = append(trace, "truncate after catching up")
				require.Eventually(t, caughtUp, 10*time.Second, 5*time.Millisecond, "trace: %v", trace)
				require.NoError(t, os.Truncate(f.path("app.log"), 0))
			}
		case 4:
			refusing.Store(!refusing.Load())
			trace = append(trace, fmt.Sprint("backend refusing=", refusing.Load()))
		case 5:
			if running {
				trace = append(trace, "crash")
				crashes++
				stop()
			} else {
				trace = append(trace, "restart")
				stop = f.start(sink)
			}
			running = !running
		}
		time.Sleep(time.Duration(rng.IntN(30)) * time.Millisecond)
	}
	refusing.Store(false)
	if !running {
		f.start(sink)
	}
	require.Eventually(t, caughtUp, 20*time.Second, 10*time.Millisecond,
		"seed %d: %d of %d lines never delivered; trace: %v", seed, missing(), len(written), trace)
	// The duplicate bound of the README: a crash re-sends at most max_in_flight batches of
	// each file open at the time, and no more than app.log and its rotated copies are open.
	duplicates := len(sink.bodies()) - len(delivered())
	bound := crashes * (1 + rotations) * f.cfg.Batch.MaxInFlight * f.cfg.Batch.MaxLines
	require.LessOrEqual(t, duplicates, bound, "seed %d: %d duplicates after %d crashes; trace: %v", seed, duplicates, crashes, trace)
}
