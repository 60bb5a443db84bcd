// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package redactprocessor

import (
	"context"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/processor/redactionprocessor"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/flightlog/flightlog/processor/redactprocessor/internal/corpus"
)

// upstreamPatterns are the 19 well-known regexes a careful user gives upstream's redaction
// processor to cover what redact's default detectors cover.
var upstreamPatterns = []string{
	`(?:AKIA|ASIA)[A-Z0-9]{16}`,
	`(?i)aws_secret_access_key\s*[=:]\s*[A-Za-z0-9/+]{40}`,
	`gh[pousr]_[A-Za-z0-9]{36}`,
	`glpat-[A-Za-z0-9_-]{20}`,
	`xox[baprs]-[A-Za-z0-9-]{10,}`,
	`(?:sk|rk)_live_[A-Za-z0-9]{16,}`,
	`AIza[0-9A-Za-z_-]{35}`,
	`sk-(?:proj-)?[A-Za-z0-9_-]{20,}`,
	`npm_[A-Za-z0-9]{36}`,
	`SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}`,
	`eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`,
	`-----BEGIN [A-Z ]*PRIVATE KEY-----`,
	`(?i)bearer\s+[A-Za-z0-9._~+/=-]+`,
	`(?i)basic\s+[A-Za-z0-9+/=]{8,}`,
	`(?i)(?:password|passwd|pwd)\s*[=:]\s*\S+`,
	`://[^:/\s]+:[^@/\s]+@`,
	`\b(?:\d[ -]?){13,19}\b`,
	`\b\d{3}-\d{2}-\d{4}\b`,
	`SK[0-9a-fA-F]{32}`,
}

const benchRecords = 1000

// benchLogs is realistic traffic: one record in ten carries a secret.
func benchLogs() (plog.Logs, int) {
	g := corpus.New(3)
	ld := plog.NewLogs()
	recs := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
	size := 0
	for i := range benchRecords {
		typ := ""
		if i%10 == 0 {
			typ = corpus.SecretTypes[(i/10)%len(corpus.SecretTypes)]
		}
		line := g.Next(typ).Line
		lr := recs.AppendEmpty()
		lr.Body().SetStr(line)
		lr.Attributes().PutStr("log.file.name", "app.log")
		size += len(line)
	}
	return ld, size
}

func benchmarkProcessor(b *testing.B, f processor.Factory, cfg component.Config) {
	p, err := f.CreateLogs(context.Background(), processortest.NewNopSettings(f.Type()), cfg, consumertest.NewNop())
	if err != nil {
		b.Fatal(err)
	}
	if err := p.Start(context.Background(), componenttest.NewNopHost()); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = p.Shutdown(context.Background()) }()
	src, size := benchLogs()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		ld := plog.NewLogs()
		src.CopyTo(ld)
		b.StartTimer()
		if err := p.ConsumeLogs(context.Background(), ld); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRedactVersusUpstream runs redact with its defaults and upstream's redaction
// processor (contrib v0.165.0) with the equivalent regexes on the same records.
// go test -run XXX -bench VersusUpstream -benchmem ./processor/redactprocessor/
// allocs/op is per 1000 records.
func BenchmarkRedactVersusUpstream(b *testing.B) {
	b.Run("redact", func(b *testing.B) {
		benchmarkProcessor(b, NewFactory(), createDefaultConfig())
	})
	b.Run("upstream_redaction", func(b *testing.B) {
		f := redactionprocessor.NewFactory()
		cfg := f.CreateDefaultConfig().(*redactionprocessor.Config)
		cfg.AllowAllKeys = true
		cfg.BlockedValues = upstreamPatterns
		cfg.Summary = "silent"
		benchmarkProcessor(b, f, cfg)
	})
}
