// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"bytes"
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
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/crash"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
)

// orderLines returns n ordinary 130-byte log lines.
func orderLines(n int) []byte {
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, "2026-11-25T10:00:00.%06dZ level=info msg=\"processed order\" order_id=%d duration_ms=12 user=alice path=/api/v1/orders/%d\n", i%1_000_000, i, i)
	}
	return []byte(sb.String())
}

func benchReceiver(b *testing.B) *durableReceiver {
	cfg := createDefaultConfig().(*Config)
	cfg.Include = []string{"/nonexistent/*.log"}
	r, err := newReceiver(receivertest.NewNopSettings(metadata.Type), cfg, consumertest.NewNop())
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkSplit runs the receiver's split function over a buffer of lines, the way
// tokenize does. go test -bench Split -benchmem ./receiver/durablefilereceiver/
func BenchmarkSplit(b *testing.B) {
	data := orderLines(10_000)
	split := benchReceiver(b).readers.Split
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		lines := 0
		for rest := data; len(rest) > 0; lines++ {
			advance, _, err := split(rest, false)
			if err != nil || advance == 0 {
				b.Fatal("split stopped early")
			}
			rest = rest[advance:]
		}
		if lines != 10_000 {
			b.Fatalf("split %d lines", lines)
		}
	}
	b.ReportMetric(float64(10_000*b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkBuildRecords turns a full batch of 8192 lines into plog, as every delivery
// attempt does. go test -bench BuildRecords -benchmem ./receiver/durablefilereceiver/
func BenchmarkBuildRecords(b *testing.B) {
	const lines = 8192
	data := orderLines(lines)
	bt := &reader.Batch{Raw: data, Path: "/var/log/app/app.log", Observed: time.Now()}
	start := 0
	for range lines {
		end := start + bytes.IndexByte(data[start:], '\n') + 1
		bt.Tokens = append(bt.Tokens, reader.Token{Start: int32(start), End: int32(end - 1), Part: -1, Severity: int32(plog.SeverityNumberInfo), Kind: crash.Line})
		start = end
	}
	rb := benchReceiver(b).builder
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if rb.build(bt).LogRecordCount() != lines {
			b.Fatal("records missing")
		}
	}
	b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkReadFile reads a file of ordinary log lines through the whole receiver (split,
// grouping, record building, checkpoints) into a consumer that only counts, with crash
// detection on and off, the same lines as the kubelet writes them (format=cri), and with
// the flight recorder on: every line at INFO (what reading each line's time and level costs
// when everything ships), and 9 in 10 at DEBUG (held back, no trigger).
// go test -bench ReadFile -benchmem ./receiver/durablefilereceiver/
func BenchmarkReadFile(b *testing.B) {
	const lines = 200_000
	dir := b.TempDir()
	plain := orderLines(lines)
	var cri, debug bytes.Buffer
	for i, l := range bytes.SplitAfter(plain, []byte("\n")) {
		if len(l) > 0 {
			cri.WriteString("2026-11-26T10:00:00.123456789Z stdout F ")
			cri.Write(l)
			if i%10 != 0 {
				l = bytes.Replace(l, []byte("level=info"), []byte("level=debug"), 1)
			}
			debug.Write(l)
		}
	}
	cases := []struct {
		name      string
		data      []byte
		format    string
		detection bool
		recorder  bool
		shipped   int64
	}{
		{"crash_detection=false", plain, reader.FormatPlain, false, false, lines},
		{"crash_detection=true", plain, reader.FormatPlain, true, false, lines},
		{"format=cri", cri.Bytes(), reader.FormatCRI, true, false, lines},
		{"recorder=on", plain, reader.FormatPlain, true, true, lines},
		{"recorder=on,debug=90%", debug.Bytes(), reader.FormatPlain, true, true, lines / 10},
	}
	for _, c := range cases {
		logFile := filepath.Join(dir, c.name+".log")
		if err := os.WriteFile(logFile, c.data, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			for i := range b.N {
				cfg := createDefaultConfig().(*Config)
				cfg.Include = []string{logFile}
				cfg.Checkpoint = filepath.Join(dir, fmt.Sprint("ckpt-", c.name, i))
				cfg.CrashDetection.Enabled = c.detection
				cfg.Format = c.format
				cfg.Recorder.Enabled = c.recorder
				var n atomic.Int64
				done := make(chan struct{})
				next, _ := consumer.NewLogs(func(_ context.Context, ld plog.Logs) error {
					if n.Add(int64(ld.LogRecordCount())) == c.shipped {
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
