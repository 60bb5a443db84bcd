// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor

import (
	"context"
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"
)

// BenchmarkProcessLogs processes 1,000-record batches of one resource with the attributes of
// a Pod known from the Downward API and the API server. Attributes are set once per
// resource: the cost per batch does not grow with its records.
// go test -bench ProcessLogs -benchmem ./processor/k8smetaprocessor/
func BenchmarkProcessLogs(b *testing.B) {
	cfg := createDefaultConfig().(*Config)
	cfg.ContainerName = "app"
	info := podInfo{
		namespace: "shop", name: "checkout-7d4b9c8f6-x2k9p", uid: "3f1c2a1e", node: "node-1", ip: "10.1.2.3",
		labels:  map[string]string{"pod-template-hash": "7d4b9c8f6", "app.kubernetes.io/name": "checkout"},
		fromAPI: true, image: "registry.example.com/shop/checkout:1.4.2",
		imageID: "registry.example.com/shop/checkout@sha256:" + sha,
	}
	s := &source{cfg: cfg}
	attrs := resourceAttributes(cfg, &info)
	s.attrs.Store(&attrs)
	p := &logsProcessor{source: s}

	batch := plog.NewLogs()
	recs := batch.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
	for range 1000 {
		lr := recs.AppendEmpty()
		lr.Body().SetStr("2026-11-25T10:00:00Z level=info msg=\"processed order\"")
		lr.Attributes().PutStr("log.file.name", "app.log")
	}
	for _, tc := range []struct {
		name     string
		prepared bool // the resource already has the attributes, e.g. from an SDK
	}{{"fresh resource", false}, {"attributes present", true}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				ld := plog.NewLogs()
				batch.CopyTo(ld)
				if tc.prepared {
					attrs.CopyTo(ld.ResourceLogs().At(0).Resource().Attributes())
				}
				b.StartTimer()
				if _, err := p.process(context.Background(), ld); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(attrs.Len()), "attributes")
		})
	}
}
