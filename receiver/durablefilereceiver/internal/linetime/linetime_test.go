// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package linetime

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestTheTimeALineStates(t *testing.T) {
	want := time.Date(2026, 12, 3, 10, 15, 30, 123_000_000, time.UTC).UnixNano()
	for _, line := range []string{
		"2026-12-03T10:15:30.123Z DEBUG cache warm",
		"2026-12-03 10:15:30,123 INFO  [main] o.a.Foo - started", // Logback, Python logging
		"2026-12-03T11:15:30.123+01:00 WARN slow",
		"2026-12-03T05:15:30.123-0500 ERROR down",
		"[2026-12-03 10:15:30.123] local.ERROR: boom",     // Laravel
		`{"level":"debug","ts":1796292930.123,"msg":"x"}`, // zap
		`{"level":30,"time":1796292930123,"msg":"x"}`,     // pino
		`{"@timestamp":"2026-12-03T10:15:30.123Z","log.level":"info"}`,
		`{"msg":"x","time":"2026-12-03T10:15:30.123000000Z"}`,
		"level=debug time=2026-12-03T10:15:30.123Z msg=x", // logrus, slog
		"ts=1796292930123000000 level=info",
	} {
		got, ok := Parse([]byte(line))
		assert.True(t, ok, line)
		assert.Equal(t, want, got, line)
	}
	for _, line := range []string{
		"\tat com.example.Main.main(Main.java:12)",
		"Traceback (most recent call last):",
		"build 2026-12-03 released",
		`{"runtime":"go1.26","mytime=3"}`,
		"uptime=1796292930",
		"2026-02-30T10:00:00Z February has no 30th",
		"2026-13-01T10:00:00Z no month 13",
		"2026-12-03T10:00:60Z",
		"",
	} {
		_, ok := Parse([]byte(line))
		assert.False(t, ok, line)
	}
}

func BenchmarkParse(b *testing.B) {
	for _, bc := range []struct{ name, line string }{
		{"leading", "2026-12-03T10:15:30.123Z DEBUG cache warm for tenant 42 in 3 ms"},
		{"json", `{"level":"debug","ts":1796292930.123,"caller":"cache/warm.go:42","msg":"cache warm"}`},
		{"none", "\tat com.example.service.OrderService.place(OrderService.java:118)"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			line := []byte(bc.line)
			for b.Loop() {
				Parse(line)
			}
		})
	}
}
