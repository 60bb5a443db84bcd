// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadatatest"
)

func TestTelemetryCountsReadsRetriesCheckpointsAndLag(t *testing.T) {
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	f := newFixture(t, nil)
	data := numbered(0, 100)
	f.appendTo("a.log", data)
	var calls atomic.Int64
	sink := &recorder{refuse: func() error {
		if calls.Add(1) <= 2 {
			return errors.New("down")
		}
		return nil
	}}
	f.startWith(metadatatest.NewSettings(tt), sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 100 }, 5*time.Second, 5*time.Millisecond)
	require.Eventually(t, func() bool {
		m, err := tt.GetMetric("otelcol_receiver_durable_file_lag")
		return err == nil && m.Data.(metricdata.Gauge[int64]).DataPoints[0].Value == 0
	}, 5*time.Second, 5*time.Millisecond, "lag returns to 0 once everything is acknowledged")

	opts := []metricdatatest.Option{metricdatatest.IgnoreTimestamp()}
	metadatatest.AssertEqualReceiverDurableFileRecordsRead(t, tt, []metricdata.DataPoint[int64]{{Value: 100}}, opts...)
	metadatatest.AssertEqualReceiverDurableFileBytesRead(t, tt, []metricdata.DataPoint[int64]{{Value: int64(len(data))}}, opts...)
	metadatatest.AssertEqualReceiverDurableFileDeliveryRetries(t, tt, []metricdata.DataPoint[int64]{{Value: 2}}, opts...)
	metadatatest.AssertEqualReceiverDurableFileOpenFiles(t, tt, []metricdata.DataPoint[int64]{{Value: 1}}, opts...)
	assert.Eventually(t, func() bool {
		writes, err := tt.GetMetric("otelcol_receiver_durable_file_checkpoint_writes")
		return err == nil && writes.Data.(metricdata.Sum[int64]).DataPoints[0].Value > 0
	}, 5*time.Second, 5*time.Millisecond, "checkpoint writes are counted")
}

// The flight recorder's counters: held back, shipped as backfill, and expired unshipped.
func TestTelemetryCountsTheRecordersRecords(t *testing.T) {
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	f := newFixture(t, func(c *Config) {
		c.Recorder.Enabled = true
		c.Recorder.Before = 5 * time.Second
	})
	var log strings.Builder
	for s := range 10 { // 0-4 leave the window of the ERROR at 10 s, 5-9 ship with it
		log.WriteString(debugAt(s))
	}
	log.WriteString("2026-12-03T10:00:10Z ERROR payment failed\n")
	f.appendTo("a.log", log.String())
	sink := &recorder{}
	f.startWith(metadatatest.NewSettings(tt), sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 6 }, 5*time.Second, 5*time.Millisecond)
	opts := []metricdatatest.Option{metricdatatest.IgnoreTimestamp()}
	metadatatest.AssertEqualReceiverDurableFileRecorderHeld(t, tt, []metricdata.DataPoint[int64]{{Value: 10}}, opts...)
	metadatatest.AssertEqualReceiverDurableFileRecorderBackfilled(t, tt, []metricdata.DataPoint[int64]{{Value: 5}}, opts...)
	metadatatest.AssertEqualReceiverDurableFileRecorderExpired(t, tt, []metricdata.DataPoint[int64]{{Value: 5}}, opts...)
}

// A rotated file that ends while its recorder holds records, with no batch after them to
// carry the count, still counts them as expired.
func TestTelemetryCountsWhatARotatedFileHeldWhenItEnds(t *testing.T) {
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	f := newFixture(t, func(c *Config) { c.Recorder.Enabled = true })
	var log strings.Builder
	log.WriteString("2026-12-03T10:00:00Z INFO started\n")
	for s := 1; s <= 4; s++ {
		log.WriteString(debugAt(s))
	}
	f.appendTo("a.log", log.String())
	sink := &recorder{}
	f.startWith(metadatatest.NewSettings(tt), sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 1 }, 5*time.Second, 5*time.Millisecond)
	require.NoError(t, os.Rename(f.path("a.log"), f.path("a.log.1"))) // out of include: it ends
	opts := []metricdatatest.Option{metricdatatest.IgnoreTimestamp()}
	require.Eventually(t, func() bool {
		m, err := tt.GetMetric("otelcol_receiver_durable_file_open_files")
		return err == nil && m.Data.(metricdata.Gauge[int64]).DataPoints[0].Value == 0
	}, 5*time.Second, 5*time.Millisecond, "the rotated file is finished and closed")
	metadatatest.AssertEqualReceiverDurableFileRecorderHeld(t, tt, []metricdata.DataPoint[int64]{{Value: 4}}, opts...)
	metadatatest.AssertEqualReceiverDurableFileRecorderExpired(t, tt, []metricdata.DataPoint[int64]{{Value: 4}}, opts...)
}
