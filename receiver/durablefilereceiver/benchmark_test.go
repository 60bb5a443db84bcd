// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
)

// BenchmarkReadFile reads a file of ordinary log lines through the whole receiver (split,
// grouping, record building, checkpoints) into a consumer that only counts, with crash
// detection on and off. go test -bench ReadFile -benchmem ./receiver/durablefilereceiver/
func BenchmarkReadFile(b *testing.B) {
	const lines = 200_000
	dir := b.TempDir()
	var sb strings.Builder
	for i := range lines {
		fmt.Fprintf(&sb, "2026-11-25T10:00:00.%06dZ level=info msg=\"processed order\" order_id=%d duration_ms=12 user=alice path=/api/v1/orders/%d\n", i%1_000_000, i, i)
	}
	logFile := filepath.Join(dir, "app.log")
	if err := os.WriteFile(logFile, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, detection := range []bool{false, true} {
		b.Run(fmt.Sprint("crash_detection=", detection), func(b *testing.B) {
			b.SetBytes(int64(sb.Len()))
			for i := range b.N {
				cfg := createDefaultConfig().(*Config)
				cfg.Include = []string{logFile}
				cfg.Checkpoint = filepath.Join(dir, fmt.Sprint("ckpt-", detection, i))
				cfg.CrashDetection.Enabled = detection
				var n atomic.Int64
				done := make(chan struct{})
				next, _ := consumer.NewLogs(func(_ context.Context, ld plog.Logs) error {
					if n.Add(int64(ld.LogRecordCount())) == lines {
						close(done)
					}
					return nil
				})
				r, err := newReceiver(receivertest.NewNopSettings(metadata.Type), cfg, next)
				if err != nil {
					b.Fatal(err)
				}
				if err := r.Start(context.Background(), componenttest.NewNopHost()); err != nil {
					b.Fatal(err)
				}
				select {
				case <-done:
				case <-time.After(time.Minute):
					b.Fatal("not all lines arrived")
				}
				b.StopTimer()
				_ = r.Shutdown(context.Background())
				b.StartTimer()
			}
			b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}
