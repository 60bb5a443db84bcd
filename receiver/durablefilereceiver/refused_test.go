// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/deadletter"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadatatest"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
)

// poisoned refuses for good, as an OTLP backend answering 400 does through the exporter, any
// request that holds a record with POISON in it.
func poisoned(ld plog.Logs) error {
	for _, r := range records(ld) {
		if strings.Contains(r.Body().Str(), "POISON") {
			return consumererror.NewPermanent(status.Error(codes.InvalidArgument, "record 3 is invalid: field too large"))
		}
	}
	return nil
}

// poisonSink is a recorder that refuses what poisoned refuses, and counts requests.
type poisonSink struct {
	recorder
	requests atomic.Int64
}

func (s *poisonSink) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	s.requests.Add(1)
	if err := poisoned(ld); err != nil {
		return err
	}
	return s.recorder.ConsumeLogs(ctx, ld)
}

func withPoison(n, at int) (string, string) {
	var b strings.Builder
	poison := ""
	for i := range n {
		if i == at {
			poison = fmt.Sprintf("line %d POISON", i)
			b.WriteString(poison + "\n")
			continue
		}
		fmt.Fprintf(&b, "line %d\n", i)
	}
	return b.String(), poison
}

// One record the backend refuses for good among 1,000 costs that record: the other 999 are
// delivered once, the refused one is in the dead-letter file with its file, byte range and
// the backend's answer, and the file's checkpoint passes it.
func TestARecordRefusedForGoodIsDeadLetteredAndTheFileGoesOn(t *testing.T) {
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	f := newFixture(t, nil)
	data, poison := withPoison(1000, 617)
	f.appendTo("a.log", data)
	sink := &poisonSink{}
	stop := f.startWith(metadatatest.NewSettings(tt), sink)
	want := slicesWithout(lines(data), poison)
	require.Eventually(t, func() bool { return len(sink.bodies()) == len(want) }, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, want, sink.bodies(), "each other line once, in order")

	dead := componentFile(f.cfg.Checkpoint, component.NewID(metadata.Type), deadletter.Suffix)
	require.Eventually(t, func() bool { _, err := os.Stat(dead); return err == nil }, 5*time.Second, 10*time.Millisecond)
	letters, err := deadletter.Read(dead)
	require.NoError(t, err)
	require.Len(t, letters, 1)
	from := int64(strings.Index(data, poison))
	assert.Equal(t, f.path("a.log"), letters[0].Path)
	assert.Equal(t, from, letters[0].From)
	assert.Equal(t, from+int64(len(poison))+1, letters[0].To, "the record's range, newline included")
	assert.Contains(t, letters[0].Answer, "field too large", "the backend's answer")
	back, err := (&plog.JSONUnmarshaler{}).UnmarshalLogs(letters[0].Logs)
	require.NoError(t, err, "the record reads back as OTLP/JSON")
	require.Equal(t, 1, back.LogRecordCount())
	assert.Equal(t, poison, records(back)[0].Body().Str())
	assert.Less(t, sink.requests.Load(), int64(40), "found by halving: about 2 × log2(n) requests")
	warned := f.logs.FilterMessageSnippet("written to the dead-letter file").All()
	require.Len(t, warned, 1)
	assert.Equal(t, from, warned[0].ContextMap()["from"])
	metadatatest.AssertEqualReceiverDurableFileDeadLetters(t, tt, []metricdata.DataPoint[int64]{{Value: 1}}, metricdatatest.IgnoreTimestamp())
	stop()

	again := &poisonSink{}
	f.start(again)
	time.Sleep(10 * f.cfg.PollInterval)
	assert.Empty(t, again.bodies(), "the checkpoint passed the dead-lettered record")
}

// Under on_permanent_error: retry the refused record is offered again until it is
// accepted, and its file waits behind it; another file whose batches rode in the same
// request goes on.
func TestARecordRefusedForGoodUnderRetryBlocksOnlyItsFile(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.OnPermanentError = onPermanentErrorRetry })
	var healed atomic.Bool
	sink := &recorder{}
	refusing, err := consumer.NewLogs(func(ctx context.Context, ld plog.Logs) error {
		if err := poisoned(ld); err != nil && !healed.Load() {
			return err
		}
		return sink.ConsumeLogs(ctx, ld)
	})
	require.NoError(t, err)
	a, poison := withPoison(100, 50)
	f.appendTo("a.log", a)
	f.appendTo("b.log", numbered(1000, 1100))
	f.start(refusing)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 199 }, 5*time.Second, 10*time.Millisecond)
	f.appendTo("b.log", numbered(1100, 1200))
	require.Eventually(t, func() bool { return len(sink.bodies()) == 299 }, 5*time.Second, 10*time.Millisecond, "b.log goes on")
	assert.NotContains(t, sink.bodies(), poison)
	_, err = os.Stat(componentFile(f.cfg.Checkpoint, component.NewID(metadata.Type), deadletter.Suffix))
	assert.True(t, errors.Is(err, os.ErrNotExist), "nothing is dead-lettered under retry")

	healed.Store(true) // the backend takes it after all (a limit was raised)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 300 }, 5*time.Second, 10*time.Millisecond)
	assert.Contains(t, sink.bodies(), poison)
}

// A permanent error that is not about the records (a bad token) is retried, never
// dead-lettered: every record would be refused alike.
func TestAPermanentErrorAboutTheRequestIsRetriedNotDeadLettered(t *testing.T) {
	f := newFixture(t, nil)
	var calls atomic.Int64
	sink := &recorder{refuse: func() error {
		if calls.Add(1) <= 3 {
			return consumererror.NewPermanent(status.Error(codes.Unauthenticated, "invalid token"))
		}
		return nil
	}}
	f.appendTo("a.log", numbered(0, 100))
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 100 }, 5*time.Second, 10*time.Millisecond)
	_, err := os.Stat(componentFile(f.cfg.Checkpoint, component.NewID(metadata.Type), deadletter.Suffix))
	assert.True(t, errors.Is(err, os.ErrNotExist))
}

// While a delivery is refused, it is reported as a warning at once and as an ERROR every
// stuckReport after, naming the byte ranges, how long, and the backend's answer, with no
// stack trace.
func TestAStuckDeliveryIsReportedEveryMinuteWithoutAStackTrace(t *testing.T) {
	core, logs := observer.New(zap.InfoLevel)
	d := &delivery{logger: zap.New(core, zap.AddStacktrace(zap.ErrorLevel)).WithOptions(zap.AddStacktrace(zap.FatalLevel)),
		retry: RetryConfig{InitialInterval: time.Millisecond, MaxInterval: time.Millisecond}, stuck: stuckSet{all: map[*failing]struct{}{}}}
	telemetry, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
	require.NoError(t, err)
	d.telemetry = telemetry
	batches := []*reader.Batch{{Path: "/var/log/app.log", Start: 100, End: 900}, {Path: "/var/log/app.log", Start: 900, End: 1500}}
	f := d.failing()
	answer := errors.New("rpc error: code = Unavailable desc = backend down")
	require.True(t, f.wait(context.Background(), batches, answer))
	require.True(t, f.wait(context.Background(), batches, answer))
	f.reported = f.reported.Add(-stuckReport)
	f.since = f.since.Add(-3 * time.Minute)
	require.True(t, f.wait(context.Background(), batches, answer))

	require.Equal(t, 1, logs.FilterLevelExact(zap.WarnLevel).Len(), "a warning at once, then nothing until a minute passed")
	stuck := logs.FilterLevelExact(zap.ErrorLevel).All()
	require.Len(t, stuck, 1)
	fields := stuck[0].ContextMap()
	assert.Equal(t, []any{"/var/log/app.log [100, 1500)"}, fields["ranges"])
	assert.Equal(t, "3m0s", fmt.Sprint(fields["stuck_for"]))
	assert.Equal(t, answer.Error(), fields["answer"])
	assert.Empty(t, stuck[0].Stack, "no stack trace")
	f.over()
}

func slicesWithout(s []string, x string) []string {
	out := make([]string, 0, len(s))
	for _, v := range s {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}
