// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/flightlog/flightlog/internal/restartevent"
)

func runtimeOutput(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("internal", "crash", "testdata", "fixtures", name+".log"))
	require.NoError(t, err)
	return string(data)
}

func attr(r plog.LogRecord, key string) string {
	v, ok := r.Attributes().Get(key)
	if !ok {
		return ""
	}
	return v.AsString()
}

func TestCrashArrivesAsOneLabelledRecord(t *testing.T) {
	f := newFixture(t, nil)
	goPanic, javaLogged := runtimeOutput(t, "go_panic"), runtimeOutput(t, "java_logged")
	f.appendTo("go.log", goPanic)
	f.appendTo("java.log", javaLogged)
	sink := &recorder{}
	f.start(sink)
	// go: 3 lines + the panic; java: INFO, ERROR line with its trace, INFO.
	require.Eventually(t, func() bool { return len(sink.bodies()) == 4+3 }, 5*time.Second, 5*time.Millisecond)

	byType := map[string]plog.LogRecord{}
	for _, r := range sink.all() {
		if typ := attr(r, attrExceptionType); typ != "" {
			byType[typ] = r
			continue
		}
		assert.NotContains(t, r.Body().Str(), "\n", "an ordinary line was grouped")
		assert.Equal(t, "INFO", r.SeverityText(), r.Body().Str())
	}
	require.Len(t, byType, 2)

	p := byType["panic"]
	assert.Equal(t, strings.TrimSpace(goPanic[strings.Index(goPanic, "panic:"):]), p.Body().Str(), "the whole trace, nothing else")
	assert.Equal(t, "assignment to entry in nil map", attr(p, attrExceptionMessage))
	assert.Equal(t, p.Body().Str(), attr(p, attrExceptionStacktrace))
	assert.Equal(t, plog.SeverityNumberFatal, p.SeverityNumber())
	assert.Equal(t, "FATAL", p.SeverityText())

	j := byType["java.lang.NumberFormatException"]
	assert.True(t, strings.HasPrefix(j.Body().Str(), "2026-11-25 10:00:00.010 ERROR"), "the log line leads its trace")
	assert.Equal(t, 7, strings.Count(j.Body().Str(), "\n")+1)
	assert.Equal(t, plog.SeverityNumberError, j.SeverityNumber())
}

func TestTraceStillBeingWrittenIsSentAfterFlushPeriod(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.FlushPeriod = time.Second })
	sink := &recorder{}
	f.start(sink)
	began := time.Now()
	f.appendTo("a.log", "panic: boom\n\ngoroutine 1 [running]:\n")
	require.Eventually(t, func() bool { return len(sink.bodies()) == 1 }, 5*time.Second, 5*time.Millisecond)
	assert.GreaterOrEqual(t, time.Since(began), time.Second, "held for flush_period in case more lines come")
	assert.Equal(t, "panic: boom\n\ngoroutine 1 [running]:", sink.bodies()[0])

	began = time.Now()
	f.appendTo("a.log", "2026-11-25T10:00:00Z INFO back to normal\n")
	require.Eventually(t, func() bool { return len(sink.bodies()) == 2 }, 5*time.Second, time.Millisecond)
	assert.Less(t, time.Since(began), 500*time.Millisecond, "an ordinary line is not held for flush_period")
}

func TestCheckpointStaysBeforeAHeldTrace(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.FlushPeriod = time.Minute })
	ordinary := "2026-11-25T10:00:00Z INFO one\n2026-11-25T10:00:01Z INFO two\n"
	f.appendTo("a.log", ordinary+"panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n")
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 2 }, 5*time.Second, 5*time.Millisecond)
	require.Eventually(t, func() bool {
		offsets := f.checkpointOffsets()
		return len(offsets) == 1 && offsets[0] == int64(len(ordinary))
	}, 5*time.Second, 5*time.Millisecond, "the trace is checkpointed whole or not at all")
}

func TestRestartAfterCrashIsAnEvent(t *testing.T) {
	f := newFixture(t, nil)
	before := "2026-11-25T10:00:00Z INFO serving\npanic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x1d\n"
	f.appendTo("a.log", before)
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 2 }, 5*time.Second, 5*time.Millisecond)
	// The app restarts and truncates its log.
	require.NoError(t, os.WriteFile(f.path("a.log"), []byte("2026-11-25T10:00:05Z INFO starting\n"), 0o644))
	require.Eventually(t, func() bool { return len(sink.all()) == 4 }, 5*time.Second, 5*time.Millisecond)

	records := sink.all()
	ev := records[2]
	assert.Equal(t, restartevent.Name, attr(ev, restartevent.AttrEventName))
	assert.Equal(t, "true", attr(ev, attrRestartEndedInCrash))
	assert.Equal(t, "false", attr(ev, attrRestartEndedPartial))
	assert.Equal(t, "panic", attr(ev, attrExceptionType))
	assert.Equal(t, strconv.Itoa(len(before)), attr(ev, attrRestartPrevious), "bytes of the previous run")
	assert.Equal(t, "2026-11-25T10:00:05Z INFO starting", records[3].Body().Str())
}

func TestFinalPartialLineIsMarked(t *testing.T) {
	f := newFixture(t, nil)
	f.appendTo("a.log", "whole\nthe app died while writ")
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 2 }, 5*time.Second, 5*time.Millisecond)
	records := sink.all()
	assert.Equal(t, "", attr(records[0], attrPartial))
	assert.Equal(t, "true", attr(records[1], attrPartial))
}

func TestCrashDetectionCanBeTurnedOff(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.CrashDetection.Enabled = false })
	f.appendTo("a.log", runtimeOutput(t, "go_panic"))
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 12 }, 5*time.Second, 5*time.Millisecond)
	for _, r := range sink.all() {
		assert.Equal(t, "", attr(r, attrExceptionType))
	}
}
