// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/flightlog/flightlog/internal/otlpsink"
)

// BenchmarkCatchUp reads a file of 1,000,000 lines of ~200 bytes that is already on disk
// into a real OTLP/gRPC endpoint, with the same config as the tests (checkpoints after
// every acknowledged batch). It reports lines/s and the collector's CPU-seconds per
// million lines. Run: make build && go test -run XXX -bench CatchUp -benchtime 1x ./test/e2e/
func BenchmarkCatchUp(b *testing.B) {
	const lines = 1_000_000
	for range b.N {
		b.StopTimer()
		e := newEnvWith(b, "*.log", otlpsink.StartCounting)
		w := newWriter(b, filepath.Join(e.dir, "app.log"))
		w.pad = strings.Repeat("x", 185) // "seq=000000001 " + 185 = 199 bytes + newline
		for range lines / 10_000 {
			require.NoError(b, w.write(10_000))
		}
		b.StartTimer()
		begin := time.Now()
		c := e.start()
		require.True(b, waitUntil(5*time.Minute, 5*time.Millisecond, func() bool { return e.sink.Records() >= lines }),
			"%d of %d lines arrived in 5 minutes", e.sink.Records(), lines)
		elapsed := time.Since(begin)
		b.StopTimer()
		c.terminate(b)
		cpu := c.cmd.ProcessState.UserTime() + c.cmd.ProcessState.SystemTime()
		b.ReportMetric(lines/elapsed.Seconds(), "lines/s")
		b.ReportMetric(cpu.Seconds()*1e6/lines, "cpu-s/Mlines")
		b.ReportMetric(float64(e.sink.Records()-lines), "duplicates")
	}
}

// BenchmarkSteady writes at a fixed rate for 10 s into a backend 30 ms away and reports
// how long after the writer stopped the last line arrived (how far reading fell behind)
// and the collector's CPU-seconds per million lines.
// Run: make build && go test -run XXX -bench Steady -benchtime 1x ./test/e2e/
func BenchmarkSteady(b *testing.B) {
	for _, rate := range []int{10_000, 50_000} {
		b.Run(fmt.Sprint(rate, "lines/s"), func(b *testing.B) {
			for range b.N {
				e := newEnvWith(b, "*.log", otlpsink.StartCounting)
				e.sink.SetDelay(30 * time.Millisecond)
				w := newWriter(b, filepath.Join(e.dir, "app.log"))
				c := e.start()
				stop := startWriting(w, rate)
				time.Sleep(10 * time.Second)
				require.NoError(b, stop())
				stopped := time.Now()
				n := int(w.written())
				require.True(b, waitUntil(time.Minute, time.Millisecond, func() bool { return e.sink.Records() >= n }),
					"%d of %d lines arrived a minute after the writer stopped", e.sink.Records(), n)
				behind := time.Since(stopped)
				c.terminate(b)
				cpu := c.cmd.ProcessState.UserTime() + c.cmd.ProcessState.SystemTime()
				b.ReportMetric(float64(n)/10, "written-lines/s")
				b.ReportMetric(float64(behind.Milliseconds()), "ms-behind-at-end")
				b.ReportMetric(cpu.Seconds()*1e6/float64(n), "cpu-s/Mlines")
				b.ReportMetric(float64(e.sink.Records()-n), "duplicates")
			}
		})
	}
}
