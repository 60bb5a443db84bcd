// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
)

// Platform teams alert on crash loops and error rates. The receiver already knows each crash
// record's exception.type and each record's severity, so it counts them on the collector's
// own metrics endpoint: app_crashes by exception.type and app_records by severity, counted
// when a batch is handed to the pipeline (once per batch: a retry does not count again).

// maxExceptionTypes bounds the exception.type values app_crashes has a series for; the rest
// count as "other". A sidecar sees one app, which crashes in a handful of ways; more than
// 20 kinds in one Pod's life mean names that carry data (a generated class, a message in the
// type). 21 series per Pod keep a fleet of 1,000 Pods at 21,000 series.
const maxExceptionTypes = 20

// otherLabel stands for every value beyond the bound.
const otherLabel = "other"

// appMetrics counts crash records and records by severity, with a bounded set of labels.
type appMetrics struct {
	telemetry  *metadata.TelemetryBuilder
	severities [len(reader.SeverityClasses)]metric.AddOption // built once: no allocation per batch

	mu    sync.Mutex
	types map[string]metric.AddOption
	other metric.AddOption
}

func newAppMetrics(telemetry *metadata.TelemetryBuilder) *appMetrics {
	m := &appMetrics{telemetry: telemetry, types: map[string]metric.AddOption{},
		other: metric.WithAttributeSet(attribute.NewSet(attribute.String(attrExceptionType, otherLabel)))}
	for i, s := range reader.SeverityClasses {
		m.severities[i] = metric.WithAttributeSet(attribute.NewSet(attribute.String("severity", s)))
	}
	return m
}

// count adds a batch's records by severity and its crash records by exception.type.
func (m *appMetrics) count(b *reader.Batch) {
	ctx := context.Background()
	for class, n := range b.BySeverity {
		if n > 0 {
			m.telemetry.ReceiverDurableFileAppRecords.Add(ctx, int64(n), m.severities[class])
		}
	}
	if b.Crashes == 0 {
		return
	}
	for _, t := range b.Tokens {
		if t.Exception != nil {
			m.telemetry.ReceiverDurableFileAppCrashes.Add(ctx, 1, m.exceptionType(t.Exception.Type))
		}
	}
}

// exceptionType is the label set of an exception type: its own among the first
// maxExceptionTypes seen, "other" after.
func (m *appMetrics) exceptionType(typ string) metric.AddOption {
	m.mu.Lock()
	defer m.mu.Unlock()
	if opt, ok := m.types[typ]; ok {
		return opt
	}
	if len(m.types) >= maxExceptionTypes {
		return m.other
	}
	opt := metric.WithAttributeSet(attribute.NewSet(attribute.String(attrExceptionType, typ)))
	m.types[typ] = opt
	return opt
}
