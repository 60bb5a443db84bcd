// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadatatest"
)

func pythonCrash(typ string) string {
	return "Traceback (most recent call last):\n  File \"/app/main.py\", line 7, in <module>\n    handle()\n" + typ + ": boom\n"
}

// Crash records count by exception.type and records by severity; the first 20 types have a
// series each, and 1,000 types more give one more series, "other".
func TestCrashesAndSeveritiesAreCountedWithBoundedLabels(t *testing.T) {
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	f := newFixture(t, nil)
	var b strings.Builder
	// First: after a crash, a line that does not start like the file's records is the
	// crash's (Python's notes, an atexit hook's words).
	b.WriteString("no level at all\n")
	for range 3 {
		b.WriteString("2026-12-03T10:00:00Z INFO handled order\n")
		b.WriteString(pythonCrash("ValueError"))
	}
	b.WriteString("2026-12-03T10:00:00Z WARN slow\n2026-12-03T10:00:00Z ERROR declined\n")
	b.WriteString(pythonCrash("KeyError"))
	f.appendTo("a.log", b.String())
	sink := &recorder{}
	f.startWith(metadatatest.NewSettings(tt), sink)
	// The ERROR line and the trace after it are one record: an exception the app logged.
	require.Eventually(t, func() bool { return len(sink.bodies()) == 9 }, 5*time.Second, 10*time.Millisecond)

	crashes := func() map[string]int64 {
		m, err := tt.GetMetric("otelcol_receiver_durable_file_app_crashes")
		require.NoError(t, err)
		out := map[string]int64{}
		for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
			v, _ := dp.Attributes.Value(attribute.Key(attrExceptionType))
			out[v.AsString()] = dp.Value
		}
		return out
	}
	assert.Equal(t, map[string]int64{"ValueError": 3, "KeyError": 1}, crashes())
	m, err := tt.GetMetric("otelcol_receiver_durable_file_app_records")
	require.NoError(t, err)
	bySeverity := map[string]int64{}
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		v, _ := dp.Attributes.Value("severity")
		bySeverity[v.AsString()] = dp.Value
	}
	assert.Equal(t, map[string]int64{"INFO": 3, "WARN": 1, "ERROR": 1, "FATAL": 3, "UNSET": 1}, bySeverity)

	var many strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&many, "2026-12-03T10:00:00Z INFO line %d\n", i)
		many.WriteString(pythonCrash(fmt.Sprintf("Generated%04dError", i)))
	}
	f.appendTo("a.log", many.String())
	require.Eventually(t, func() bool { return len(sink.bodies()) == 9+2000 }, 10*time.Second, 10*time.Millisecond)
	got := crashes()
	assert.Len(t, got, maxExceptionTypes+1, "20 types and other")
	assert.Equal(t, int64(1000-(maxExceptionTypes-2)), got[otherLabel], "all past the first 20 types")
}
