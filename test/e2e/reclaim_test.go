// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/flightlog/flightlog/internal/otlpsink"
)

// The receiver's reclaim defaults: the last keep bytes of a file stay, holes are punched in
// chunks, and the first chunk (the fingerprint) stays too.
const (
	reclaimKeep  = 16 << 20
	reclaimChunk = 1 << 20
	// inFlightSlack is what may be delivered but not yet durably checkpointed and punched:
	// batch.max_in_flight_bytes.
	inFlightSlack = 8 << 20
	reclaimConfig = `    reclaim:
      enabled: true
      remove_rotated: true`
)

// du is what the file holds on disk, as du counts it.
func du(t testing.TB, path string) int64 {
	info, err := os.Stat(path)
	require.NoError(t, err)
	return info.Sys().(*syscall.Stat_t).Blocks * 512
}

// reclaimBytes is how much the app writes: 2 GiB (about 105 s), or FLIGHTLOG_RECLAIM_BYTES.
func reclaimBytes(t testing.TB) int64 {
	if v := os.Getenv("FLIGHTLOG_RECLAIM_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		require.NoError(t, err)
		return n
	}
	return 2 << 30
}

// sampler follows du of the log against what is not yet delivered.
type sampler struct {
	t        testing.TB
	e        *env
	w        *writer
	lineLen  int64
	maxDu    int64
	maxExtra int64 // du beyond the bytes written and not yet delivered
}

func (s *sampler) sample() {
	written := s.w.written() * s.lineLen
	delivered := int64(s.e.sink.Records()) * s.lineLen
	d := du(s.t, s.w.path)
	s.maxDu = max(s.maxDu, d)
	s.maxExtra = max(s.maxExtra, d-max(0, written-delivered))
}

// waitDelivered waits up to two minutes for lines 0..n-1, calling each while it waits, and
// then up to 10 s for du of the log to come down to keep and a few chunks: holes are
// punched a moment after delivery. The callers assert what arrived.
func waitDelivered(e *env, n int64, each func()) {
	awaitSequences(e.sink, int(n), each)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if du(e.t, filepath.Join(e.dir, "app.log")) <= reclaimKeep+3*reclaimChunk {
			return
		}
	}
}

func newReclaimRun(t *testing.T) (*env, *writer, *sampler) {
	e := newEnvReceiver(t, "*.log", otlpsink.StartSequenced, reclaimConfig)
	w := newWriter(t, filepath.Join(e.dir, "app.log"))
	w.pad = strings.Repeat("x", 1000)
	return e, w, &sampler{t: t, e: e, w: w, lineLen: int64(len(line(0, w.pad)) + 1)}
}

// An app appends at 20k lines/s to a file that is never rotated, and the collector is
// SIGKILLed now and then: du of the file stays within keep, a few chunks and what is not
// yet delivered, and every line arrives.
func TestReclaimKeepsTheLogSmallAndLosesNothing(t *testing.T) {
	const (
		rate  = 20_000
		kills = 3
	)
	e, w, s := newReclaimRun(t)
	total := reclaimBytes(t)
	c := e.start()
	begin := time.Now()
	stop := startWriting(w, rate)
	rng, _ := seeded(t, 15)
	killAt := map[int]bool{}
	for len(killAt) < kills {
		killAt[1+rng.IntN(9)] = true // tenths of the run
	}
	for tenth := 1; w.written()*s.lineLen < total; {
		time.Sleep(100 * time.Millisecond)
		s.sample()
		if w.written()*s.lineLen >= int64(tenth)*total/10 {
			if killAt[tenth] {
				c.kill() // during reclaim: holes are punched all the time at this rate
				c = e.start()
			}
			tenth++
		}
	}
	require.NoError(t, stop())
	n := w.written()
	achieved := float64(n) / time.Since(begin).Seconds()
	waitDelivered(e, n, s.sample)
	final := du(t, w.path)
	missing, dups, other := e.sink.Sequences(int(n))
	c.terminate(t)

	info, err := os.Stat(w.path)
	require.NoError(t, err)
	t.Logf("reclaim: %d MiB written at %.0f lines/s (%d lines), %d SIGKILLs: du peak %d MiB, at most %d MiB beyond the undelivered bytes, %d MiB at the end (file size %d MiB); missing %d, duplicates %d",
		n*s.lineLen>>20, achieved, n, kills, s.maxDu>>20, s.maxExtra>>20, final>>20, info.Size()>>20, len(missing), dups)
	require.GreaterOrEqual(t, achieved, 15_000.0, "the writer must come close to 20k lines/s")
	require.Empty(t, missing, "lines lost")
	require.Zero(t, other, "records that are not numbered lines (NULs from a hole?)")
	require.LessOrEqual(t, final, int64(reclaimKeep+3*reclaimChunk), "du once everything was delivered")
	require.LessOrEqual(t, s.maxExtra, int64(reclaimKeep+3*reclaimChunk+inFlightSlack),
		"du beyond the undelivered bytes: keep + the first chunk + 2 chunks of alignment + what is in flight")
}

// A backend outage makes the file grow, since nothing can be given back; once the backend
// is back, du shrinks again. A restart with the checkpoint directory lost ships no NULs.
func TestReclaimAfterAnOutageAndWithALostCheckpoint(t *testing.T) {
	const (
		rate   = 5_000
		outage = 60 * time.Second
	)
	e, w, s := newReclaimRun(t)
	c := e.start()
	stop := startWriting(w, rate)
	time.Sleep(10 * time.Second)
	before := du(t, w.path)
	e.sink.SetRefusing(true)
	time.Sleep(outage)
	during := du(t, w.path)
	e.sink.SetRefusing(false)
	time.Sleep(5 * time.Second)
	require.NoError(t, stop())
	n := w.written()
	waitDelivered(e, n, func() {})
	after := du(t, w.path)
	missing, _, other := e.sink.Sequences(int(n))
	require.Empty(t, missing, "lines lost")
	require.Zero(t, other)
	t.Logf("reclaim around a %s outage at %d lines/s: du %d MiB before, %d MiB at its end (%d MiB written meanwhile), %d MiB after delivery",
		outage, rate, before>>20, during>>20, int64(outage.Seconds())*rate*s.lineLen>>20, after>>20)
	require.Greater(t, during, before+int64(outage.Seconds()/2*rate)*s.lineLen, "du did not grow during the outage")
	require.LessOrEqual(t, after, int64(reclaimKeep+3*reclaimChunk), "du did not shrink again after the outage")

	// The Pod's checkpoint emptyDir is lost, the log stays: the file is read from the first
	// line after its hole, and no NULs are shipped.
	c.terminate(t)
	require.NoError(t, os.RemoveAll(filepath.Join(filepath.Dir(e.dir), "checkpoint")))
	recordsBefore := e.sink.Records()
	c = e.start()
	require.Eventually(t, func() bool { return e.sink.Records() > recordsBefore }, 20*time.Second, 100*time.Millisecond)
	time.Sleep(2 * time.Second)
	_, _, other = e.sink.Sequences(int(n))
	resent := e.sink.Records() - recordsBefore
	c.terminate(t)
	t.Logf("restart without checkpoints: %d records sent again (the last keep bytes and the first chunk are %d lines)",
		resent, (reclaimKeep+2*reclaimChunk)/s.lineLen)
	require.Zero(t, other, "NULs or pieces of lines were shipped")
	require.LessOrEqual(t, int64(resent), (reclaimKeep+3*reclaimChunk)/s.lineLen+1, "more than the bytes after the hole was sent again")
}

// Rename rotation with remove_rotated: every rotated file goes once it is delivered and the
// newer files hold keep bytes, and every line arrives.
func TestReclaimRemovesDeliveredRotatedFiles(t *testing.T) {
	const (
		rate      = 5_000
		rotations = 4
	)
	e := newEnvReceiver(t, "app.log*", otlpsink.StartSequenced, `    reclaim:
      enabled: true
      keep: 1MiB
      min_chunk: 64KiB
      remove_rotated: true`)
	w := newWriter(t, filepath.Join(e.dir, "app.log"))
	w.pad = strings.Repeat("x", 1000)
	c := e.start()
	stop := startWriting(w, rate)
	for i := 1; i <= rotations; i++ {
		time.Sleep(2 * time.Second)
		w.mu.Lock()
		require.NoError(t, os.Rename(w.path, w.path+"."+strconv.Itoa(i)))
		w.mu.Unlock()
		require.NoError(t, w.reopen(0))
	}
	time.Sleep(2 * time.Second)
	require.NoError(t, stop())
	n := w.written()
	waitDelivered(e, n, func() {})
	require.Eventually(t, func() bool {
		rotated, _ := filepath.Glob(w.path + ".*")
		return len(rotated) == 0
	}, 10*time.Second, 100*time.Millisecond, "rotated files left after delivery")
	_, dups, other := e.sink.Sequences(int(n))
	c.terminate(t)
	t.Logf("remove_rotated: %d lines over %d rename rotations, all delivered (%d duplicates), every rotated file removed", n, rotations, dups)
	require.Zero(t, other)
}
