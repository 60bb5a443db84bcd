// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/severity"
)

// shipped is what a collector saw of one record.
type shipped struct {
	text           string
	held, backfill bool
	trigger        int64
	batch          int
}

// collector is a sink that keeps what the recorder shipped and acknowledges at once.
type collector struct {
	records []shipped
	windows []Window // of each batch, in order
	ends    []int64
	expired int32
}

func (c *collector) Send(b *Batch) bool {
	for _, t := range b.Tokens {
		c.records = append(c.records, shipped{text: string(b.Raw[t.Start:t.End]), held: t.Held, backfill: t.Backfill,
			trigger: t.Trigger, batch: len(c.windows)})
	}
	c.windows, c.ends = append(c.windows, b.Window), append(c.ends, b.End)
	c.expired += b.Expired
	rd := b.Owner()
	Recycle(b)
	rd.Released()
	return true
}

// exported is the text of the records a backend gets, in order.
func (c *collector) exported() []string {
	var out []string
	for _, r := range c.records {
		if !r.held {
			out = append(out, r.text)
		}
	}
	return out
}

var recT0 = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

// recLine is a line logged sec seconds after recT0.
func recLine(sec int, level, msg string) string {
	return fmt.Sprintf("%s %s %s\n", recT0.Add(time.Duration(sec)*time.Second).Format(time.RFC3339Nano), level, msg)
}

func recorderSettings(t *testing.T) Settings {
	set := testSettings(t, true)
	set.Recorder = RecorderSettings{Enabled: true, ShipLevel: severity.Info, OnCrash: true, OnError: true,
		Before: 10 * time.Second, BeforeBytes: 1 << 20, After: 5 * time.Second}
	return set
}

func openRecorded(t *testing.T, set Settings, path string, sink Sink, st Start) *Reader {
	f, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	return New(set, nopTable{}, sink, f, FileID{}, path, fingerprint.Fingerprint{}, st)
}

// Held records ship only in the window of a trigger: before it, ahead of it, marked as
// backfill and linked to it; and after it, linked to it.
func TestTheRecorderShipsDebugOnlyAroundATrigger(t *testing.T) {
	var log strings.Builder
	for s := range 30 {
		log.WriteString(recLine(s, "DEBUG", fmt.Sprint("debug ", s)))
		if s%10 == 0 {
			log.WriteString(recLine(s, "INFO", fmt.Sprint("info ", s)))
		}
	}
	log.WriteString(recLine(30, "ERROR", "payment failed"))
	crashAt := int64(len(log.String()) - len(recLine(30, "ERROR", "payment failed")))
	for s := 31; s < 40; s++ {
		log.WriteString(recLine(s, "DEBUG", fmt.Sprint("debug ", s)))
	}
	path := filepath.Join(t.TempDir(), "app.log")
	require.NoError(t, os.WriteFile(path, []byte(log.String()), 0o644))
	c := &collector{}
	rd := openRecorded(t, recorderSettings(t), path, c, Start{Key: "k"})
	rd.Drain(time.Now())

	// The INFO lines ship as they come; the trigger then ships the DEBUG lines of the 10 s
	// before it ahead of itself, and those of the 5 s after it as they come.
	want := []string{recLine(0, "INFO", "info 0"), recLine(10, "INFO", "info 10"), recLine(20, "INFO", "info 20")}
	for s := 20; s < 30; s++ {
		want = append(want, recLine(s, "DEBUG", fmt.Sprint("debug ", s)))
	}
	want = append(want, recLine(30, "ERROR", "payment failed"))
	for s := 31; s <= 35; s++ {
		want = append(want, recLine(s, "DEBUG", fmt.Sprint("debug ", s)))
	}
	got := c.exported()
	for i := range got {
		got[i] += "\n"
	}
	assert.Equal(t, want, got)
	for _, r := range c.records {
		switch {
		case strings.Contains(r.text, "ERROR"):
			assert.Equal(t, crashAt+1, r.trigger, "the trigger links to itself")
		case r.backfill:
			assert.Equal(t, crashAt+1, r.trigger, r.text)
		case strings.Contains(r.text, "DEBUG") && !r.held:
			assert.Equal(t, crashAt+1, r.trigger, "shipped after the trigger: %s", r.text)
		}
	}
	assert.Equal(t, int32(20), c.expired, "debug 0-19 left the window unshipped")
}

// A reader started from a checkpoint reads the window again: a trigger after a restart
// ships what was held before it, and what a backfill already shipped is not held again.
func TestTheWindowIsRebuiltFromTheFileAfterARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	var log strings.Builder
	for s := range 8 {
		log.WriteString(recLine(s, "DEBUG", fmt.Sprint("debug ", s)))
	}
	require.NoError(t, os.WriteFile(path, []byte(log.String()), 0o644))
	first := &collector{}
	openRecorded(t, recorderSettings(t), path, first, Start{Key: "k"}).Drain(time.Now())
	require.Empty(t, first.exported())
	last := len(first.windows) - 1
	w, end := first.windows[last], first.ends[last]
	assert.Equal(t, int64(0), w.Start, "the checkpoint keeps every held record")

	// The collector restarts from the checkpoint; the app crashes.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(recLine(9, "ERROR", "boom") + recLine(20, "DEBUG", "debug 20"))
	require.NoError(t, err)
	require.NoError(t, f.Close())
	second := &collector{}
	openRecorded(t, recorderSettings(t), path, second, Start{Key: "k", Offset: end, Window: w}).Drain(time.Now())
	var want []string
	for s := range 8 {
		want = append(want, strings.TrimSuffix(recLine(s, "DEBUG", fmt.Sprint("debug ", s)), "\n"))
	}
	want = append(want, strings.TrimSuffix(recLine(9, "ERROR", "boom"), "\n"))
	assert.Equal(t, want, second.exported())

	// Restarted again from the backfill's own checkpoint: nothing is shipped twice.
	for i, r := range second.records {
		if r.backfill {
			third := &collector{}
			b := second.records[i].batch
			openRecorded(t, recorderSettings(t), path, third, Start{Key: "k", Offset: second.ends[b], Window: second.windows[b]}).Drain(time.Now())
			assert.Equal(t, []string{strings.TrimSuffix(recLine(9, "ERROR", "boom"), "\n")}, third.exported())
			break
		}
	}
}

// before_bytes bounds what a file holds: the oldest held records go first.
func TestTheRecorderHoldsAtMostBeforeBytes(t *testing.T) {
	set := recorderSettings(t)
	set.Recorder.BeforeBytes = 3 * len(recLine(0, "DEBUG", "debug 0"))
	var log strings.Builder
	for s := range 6 {
		log.WriteString(recLine(s, "DEBUG", fmt.Sprint("debug ", s)))
	}
	log.WriteString(recLine(6, "ERROR", "boom"))
	path := filepath.Join(t.TempDir(), "app.log")
	require.NoError(t, os.WriteFile(path, []byte(log.String()), 0o644))
	c := &collector{}
	openRecorded(t, set, path, c, Start{Key: "k"}).Drain(time.Now())
	var want []string
	for _, l := range []string{recLine(3, "DEBUG", "debug 3"), recLine(4, "DEBUG", "debug 4"), recLine(5, "DEBUG", "debug 5"), recLine(6, "ERROR", "boom")} {
		want = append(want, strings.TrimSuffix(l, "\n"))
	}
	assert.Equal(t, want, c.exported())
	assert.Equal(t, int32(3), c.expired)
}

// Lines that state no time are measured by when they are read, and a line without one in a
// file whose lines state theirs (a trace's) takes the last one stated.
func TestLinesWithoutATimeAreMeasuredWhenRead(t *testing.T) {
	rc := newRecorder(RecorderSettings{Enabled: true, ShipLevel: severity.Info, OnError: true, Before: time.Hour, BeforeBytes: 1 << 20},
		func([]byte, int64, int64, Token) {}, func() {}, func(*heldRing, int64) {})
	before := time.Now().UnixNano()
	rc.record([]byte("DEBUG no time here"), 0, 19, Token{Severity: severity.Debug})
	require.Equal(t, 1, rc.held.len())
	assert.GreaterOrEqual(t, rc.held.at(0).at, before)
	rc.record([]byte(recLine(5, "DEBUG", "stamped")), 19, 60, Token{Severity: severity.Debug})
	rc.record([]byte("\tat com.example.Main.run(Main.java:12)"), 60, 99, Token{Severity: severity.Debug})
	assert.Equal(t, recT0.Add(5*time.Second).UnixNano(), rc.held.at(2).at)
}

// The held texts share one ring, which wraps as the oldest go: what a trigger ships after
// thousands were dropped is still each record's own text.
func TestHeldTextsSurviveTheirRingWrapping(t *testing.T) {
	var shipped []string
	rc := newRecorder(RecorderSettings{Enabled: true, ShipLevel: severity.Info, OnError: true, Before: time.Hour, BeforeBytes: 100 * 36},
		func([]byte, int64, int64, Token) {}, func() {}, func(held *heldRing, _ int64) {
			for i := range held.len() {
				shipped = append(shipped, string(held.appendText(nil, held.at(i))))
			}
		})
	var want []string
	for i := range 5000 {
		line := fmt.Sprintf("%s DEBUG %09d", recT0.Format(time.RFC3339), i) // 36 bytes
		rc.record([]byte(line), int64(i*37), int64(i*37+37), Token{Severity: severity.Debug})
		if i >= 4900 {
			want = append(want, line)
		}
	}
	rc.record([]byte(recLine(1, "ERROR", "boom")), 5000*37, 5000*37+40, Token{Severity: severity.Error})
	assert.Equal(t, want, shipped)
}

// A record that states no level is never held back: the recorder cannot tell it is below
// ship_level (README, "A record with no level ships").
func TestRecordsWithNoLevelShip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	log := recLine(0, "DEBUG", "held") + "2026-12-03T10:00:01Z cache refreshed\nno time, no level\n"
	require.NoError(t, os.WriteFile(path, []byte(log), 0o644))
	c := &collector{}
	openRecorded(t, recorderSettings(t), path, c, Start{Key: "k"}).Drain(time.Now())
	assert.Equal(t, []string{"2026-12-03T10:00:01Z cache refreshed", "no time, no level"}, c.exported())
}
