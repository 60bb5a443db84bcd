// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor/processortest"
	"go.opentelemetry.io/otel/metric"

	"github.com/flightlog/flightlog/processor/k8smetaprocessor/internal/metadata"
)

func testSource(t *testing.T, name, containerName string) *source {
	t.Helper()
	cfg := createDefaultConfig().(*Config)
	cfg.ContainerName = containerName
	set := processortest.NewNopSettings(metadata.Type)
	set.ID = component.NewIDWithName(metadata.Type, name)
	s, err := newSources().acquire(set, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.shutdown(context.Background()) })
	return s
}

func podWith(statuses ...containerStatus) *pod {
	p := &pod{}
	p.Status.ContainerStatuses = statuses
	return p
}

func status(name string, restarts int32) containerStatus {
	return containerStatus{Name: name, RestartCount: restarts}
}

func TestRestartsBeforeFirstSightAreNotReported(t *testing.T) {
	s := testSource(t, "history", "app")
	assert.Empty(t, s.update(podWith(status("app", 3))), "restarts already in the status when first seen")
	assert.Empty(t, s.update(podWith(status("app", 3))))
	evs := s.update(podWith(status("app", 5)))
	require.Len(t, evs, 1, "two restarts between two observations are one record: only the last termination is known")
	assert.Equal(t, int64(5), evs[0].restartCount)
}

func TestWithoutContainerNameEveryContainerIsWatched(t *testing.T) {
	s := testSource(t, "all", "")
	assert.Empty(t, s.update(podWith(status("app", 0), status("worker", 0))))
	evs := s.update(podWith(status("app", 1), status("worker", 1)))
	require.Len(t, evs, 2)
	assert.Equal(t, "app", evs[0].container)
	assert.Equal(t, "worker", evs[1].container)

	only := testSource(t, "one", "app")
	assert.Empty(t, only.update(podWith(status("app", 0), status("worker", 0))))
	assert.Len(t, only.update(podWith(status("app", 0), status("worker", 1))), 0, "another container's restart")
}

func TestRestartRecordIsRetriedUntilTaken(t *testing.T) {
	s := testSource(t, "retry", "app")
	var calls atomic.Int32
	var got plog.Logs
	next, err := consumer.NewLogs(func(_ context.Context, ld plog.Logs) error {
		if calls.Add(1) <= 2 {
			return errors.New("backend down")
		}
		got = ld
		return nil
	})
	require.NoError(t, err)
	p := &logsProcessor{source: s, next: next}
	p.emit(context.Background(), newRestartEvent(&containerStatus{Name: "app", RestartCount: 1}))
	assert.Equal(t, int32(3), calls.Load())
	require.Equal(t, 1, got.LogRecordCount())
	lr := got.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0)
	assert.Equal(t, "container app restarted (restart 1)", lr.Body().Str())
	assert.Equal(t, plog.SeverityNumberWarn, lr.SeverityNumber(), "no termination known: a warning")
}

// The restarts counter's labels stay bounded: past maxRestartLabels (reason, exit code)
// pairs, every new pair counts as "other".
func TestRestartLabelsAreBounded(t *testing.T) {
	var l restartLabels
	seen := map[metric.AddOption]bool{}
	for code := range 300 {
		seen[l.of(termination{known: true, reason: "Error", exitCode: int32(code)})] = true
	}
	assert.Len(t, seen, maxRestartLabels+1, "20 pairs and other")
	assert.Equal(t, l.of(termination{known: true, reason: "Error", exitCode: 3}), l.of(termination{known: true, reason: "Error", exitCode: 3}))
}
