// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
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
		for e.sink.Records() < lines {
			time.Sleep(5 * time.Millisecond)
		}
		elapsed := time.Since(begin)
		b.StopTimer()
		c.terminate(b, 20*time.Second)
		cpu := c.cmd.ProcessState.UserTime() + c.cmd.ProcessState.SystemTime()
		b.ReportMetric(lines/elapsed.Seconds(), "lines/s")
		b.ReportMetric(cpu.Seconds()*1e6/lines, "cpu-s/Mlines")
		b.ReportMetric(float64(e.sink.Records()-lines), "duplicates")
	}
}
