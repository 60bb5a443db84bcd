// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
)

// debugAt is a DEBUG line the app logged sec seconds into its run.
func debugAt(sec int) string {
	return fmt.Sprintf("%s DEBUG cache refresh %d\n", time.Date(2026, 12, 3, 10, 0, sec, 0, time.UTC).Format(time.RFC3339), sec)
}

// The recorder holds DEBUG lines across a restart of the collector and ships those of the
// window before a crash with it, each marked as backfill and linked to the crash record.
func TestTheRecorderShipsAPythonCrashWithTheDebugLinesBeforeIt(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Recorder.Enabled = true
		c.Recorder.Triggers = []string{triggerCrash}
		c.Recorder.Before = 10 * time.Second
		c.Recorder.After = 2 * time.Second
	})
	var before strings.Builder
	for s := range 25 {
		before.WriteString(debugAt(s))
	}
	before.WriteString("2026-12-03T10:00:25Z INFO serving on :8080\n")
	f.appendTo("app.log", before.String())
	sink := &recorder{}
	stop := f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 1 }, 5*time.Second, 10*time.Millisecond)
	stop() // the DEBUG lines are held in the file, and the checkpoint keeps their window

	crash := "2026-12-03T10:00:30Z ERROR request failed\nTraceback (most recent call last):\n" +
		"  File \"/app/main.py\", line 12, in handle\n    total = price / qty\nZeroDivisionError: division by zero\n"
	f.appendTo("app.log", debugAt(29)+crash+debugAt(31)+debugAt(33))
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 1+6+1+1 }, 5*time.Second, 10*time.Millisecond)
	time.Sleep(100 * time.Millisecond) // nothing more comes

	recs := sink.all()
	require.Len(t, recs, 9)
	crashRec := recs[7]
	assert.Equal(t, "ZeroDivisionError", str(crashRec, "exception.type"))
	trigger := str(crashRec, attrRecorderTrigger)
	require.NotEmpty(t, trigger)
	var backfilled []string
	for _, r := range recs[1:7] {
		assert.True(t, r.Attributes().AsRaw()[attrRecorderBackfill] == true, r.Body().Str())
		assert.Equal(t, trigger, str(r, attrRecorderTrigger))
		backfilled = append(backfilled, r.Body().Str()+"\n")
	}
	var want []string
	for s := 20; s < 25; s++ { // within 10 s of the crash, in file order, across the restart
		want = append(want, debugAt(s))
	}
	want = append(want, debugAt(29))
	assert.Equal(t, want, backfilled, "the window's lines before the restart come first")
	assert.Equal(t, time.Date(2026, 12, 3, 10, 0, 20, 0, time.UTC), recs[1].Timestamp().AsTime(), "a backfilled record says when it was logged")
	assert.Zero(t, recs[0].Timestamp(), "a record shipped as it came keeps the receiver's usual timestamps")
	assert.Equal(t, strings.TrimSuffix(debugAt(31), "\n"), recs[8].Body().Str(), "within 2 s after the crash; 33 s is not")
	assert.Equal(t, trigger, str(recs[8], attrRecorderTrigger))
	_, backfill := recs[8].Attributes().Get(attrRecorderBackfill)
	assert.False(t, backfill)
}

func str(r plog.LogRecord, key string) string {
	v, _ := r.Attributes().Get(key)
	return v.Str()
}
