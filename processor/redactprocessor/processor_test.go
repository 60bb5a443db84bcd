// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package redactprocessor

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"

	"github.com/flightlog/flightlog/processor/redactprocessor/internal/metadatatest"
)

func run(t *testing.T, cfg *Config, fill func(plog.LogRecord, plog.ResourceLogs)) plog.LogRecord {
	t.Helper()
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	return runWith(t, cfg, metadatatest.NewSettings(tt), fill)
}

func runWith(t *testing.T, cfg *Config, set processor.Settings, fill func(plog.LogRecord, plog.ResourceLogs)) plog.LogRecord {
	t.Helper()
	require.NoError(t, cfg.Validate())
	sink := &consumertest.LogsSink{}
	p, err := NewFactory().CreateLogs(context.Background(), set, cfg, sink)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))
	defer func() { require.NoError(t, p.Shutdown(context.Background())) }()
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	lr := rl.ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	fill(lr, rl)
	require.NoError(t, p.ConsumeLogs(context.Background(), ld))
	require.Len(t, sink.AllLogs(), 1)
	return sink.AllLogs()[0].ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0)
}

func TestRedactsBodyAndAttributes(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.Summary = true
	lr := run(t, cfg, func(lr plog.LogRecord, _ plog.ResourceLogs) {
		lr.Body().SetStr("login ok card 4111 1111 1111 1111 password=hunter22")
		lr.Attributes().PutStr("http.request.header.authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")
		lr.Attributes().PutStr("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")
	})
	assert.Equal(t, "login ok card [REDACTED:credit_card] password=[REDACTED:password]", lr.Body().Str())
	auth, _ := lr.Attributes().Get("http.request.header.authorization")
	assert.Equal(t, "Bearer [REDACTED:authorization]", auth.Str())
	trace, _ := lr.Attributes().Get("trace_id")
	assert.Equal(t, "4bf92f3577b34da6a3ce929d0e0e4736", trace.Str())
	count, _ := lr.Attributes().Get(attrCount)
	types, _ := lr.Attributes().Get(attrTypes)
	assert.Equal(t, int64(3), count.Int())
	assert.Equal(t, "authorization,credit_card,password", types.Str())
}

func TestMapBodiesBlockedAllowedAndRemovedKeys(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.BlockedKeys = []string{"ssn_hash", "X-Internal"}
	cfg.AllowedKeys = []string{"debug_dump"}
	cfg.BlockedKeyAction = actionRemove
	cfg.Scan.ResourceAttributes = true
	lr := run(t, cfg, func(lr plog.LogRecord, rl plog.ResourceLogs) {
		m := lr.Body().SetEmptyMap()
		m.PutStr("msg", "charged 5500 0000 0000 0004")
		m.PutEmptyMap("user").PutStr("ssn", "078-05-1120")
		lr.Attributes().PutStr("x-internal", "anything")
		lr.Attributes().PutStr("debug_dump", "password=shown-on-purpose")
		rl.Resource().Attributes().PutStr("k8s.pod.annotation.db", "postgres://app:Sup3rS3cret@db/x")
	})
	msg, _ := lr.Body().Map().Get("msg")
	assert.Equal(t, "charged [REDACTED:credit_card]", msg.Str())
	user, _ := lr.Body().Map().Get("user")
	ssn, _ := user.Map().Get("ssn")
	assert.Equal(t, "[REDACTED:us_ssn]", ssn.Str())
	_, present := lr.Attributes().Get("x-internal")
	assert.False(t, present, "blocked_key_action remove drops the attribute")
	dump, _ := lr.Attributes().Get("debug_dump")
	assert.Equal(t, "password=shown-on-purpose", dump.Str(), "allowed keys are not scanned")
}

func TestHashKeepsEqualValuesCorrelatable(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.Action = actionHash
	cfg.HashKey = "a-key-of-sixteen-bytes"
	body := func(s string) string {
		return run(t, cfg, func(lr plog.LogRecord, _ plog.ResourceLogs) { lr.Body().SetStr(s) }).Body().Str()
	}
	a, b, c := body("token ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5"), body("again ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5"), body("other ghp_zZ3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5")
	assert.Regexp(t, `^token \[REDACTED:github_token:[0-9a-f]{16}\]$`, a)
	assert.Equal(t, a[len("token "):], b[len("again "):], "the same secret hashes the same")
	assert.NotEqual(t, a[len("token "):], c[len("other "):])
	assert.NotContains(t, a, "ghp_")
}

func TestCustomDetectorWithKeywordAndValidator(t *testing.T) {
	pad := strings.Repeat(".", 70)
	cfg := createDefaultConfig().(*Config)
	cfg.Custom = []CustomDetector{
		{Name: "employee_id", Regex: `EMP-(\d{6})`, Keywords: []string{"employee"}},
		{Name: "loyalty_card", Regex: `\b\d{12}\b`, Validator: "luhn"},
	}
	lr := run(t, cfg, func(lr plog.LogRecord, _ plog.ResourceLogs) {
		lr.Body().SetStr("employee EMP-123456 badge; " + pad + " ticket EMP-654321; loyalty 123456789015 and 123456789016")
	})
	// The second EMP- match has no keyword within 64 bytes before it; 123456789016 fails Luhn.
	assert.Equal(t, "employee EMP-[REDACTED:employee_id] badge; "+pad+" ticket EMP-654321; loyalty [REDACTED:loyalty_card] and 123456789016", lr.Body().Str())
}

func TestTelemetryCountsRedactionsPerDetector(t *testing.T) {
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	runWith(t, createDefaultConfig().(*Config), metadatatest.NewSettings(tt), func(lr plog.LogRecord, _ plog.ResourceLogs) {
		lr.Body().SetStr("AKIAIOSFODNN7EXAMPLE password=abc12345 password=def67890")
	})
	metadatatest.AssertEqualProcessorRedactRedactions(t, tt, []metricdata.DataPoint[int64]{
		{Value: 1, Attributes: attribute.NewSet(attribute.String("detector", "aws_access_key_id"))},
		{Value: 2, Attributes: attribute.NewSet(attribute.String("detector", "password"))},
	}, metricdatatest.IgnoreTimestamp())
}

func TestBlockedKeysInsideText(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.BlockedKeys = []string{"customer_note"}
	lr := run(t, cfg, func(lr plog.LogRecord, _ plog.ResourceLogs) {
		lr.Body().SetStr(`{"order":"A-17","customer_note":"call me at home"} customer_note=ring twice`)
	})
	assert.Equal(t, `{"order":"A-17","customer_note":"[REDACTED:blocked_key]"} customer_note=[REDACTED:blocked_key] twice`, lr.Body().Str())
}
