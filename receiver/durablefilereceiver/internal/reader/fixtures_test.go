// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/split"
	"go.uber.org/zap"
	"golang.org/x/text/encoding/unicode"
)

// testSettings are the receiver's defaults, with crash detection on or off.
func testSettings(tb testing.TB, crashes bool) Settings {
	tb.Helper()
	splitFunc, err := split.NewlineSplitFunc(unicode.UTF8, false)
	if err != nil {
		tb.Fatal(err)
	}
	const flushTimeout = 200 * time.Millisecond
	return Settings{
		Split:        splitFunc,
		FlushPeriod:  500 * time.Millisecond,
		MaxLogSize:   1 << 20,
		Format:       FormatPlain,
		PollInterval: 200 * time.Millisecond,
		Grouping:     GroupSettings{Enabled: crashes, MaxLines: 1000, MaxBytes: 1 << 20},
		Batching: BatchSettings{MaxLines: 8192, MaxBytes: 2 << 20, MaxInFlight: 2, FlushTimeout: flushTimeout,
			QuietReads: QuietReadsFor(flushTimeout)},
		Logger: zap.NewNop(),
	}
}

// nopTable is a table of files that keeps checkpoint keys and says nothing.
type nopTable struct{}

func (nopTable) Rekey(old string, _ FileID) string    { return old }
func (nopTable) Warn(string, string, error)           {}
func (nopTable) Skipped(string, int64, int64, string) {}

// recycler is a sink whose deliveries are acknowledged at once.
type recycler struct{}

func (recycler) Send(b *Batch) bool {
	rd := b.Owner()
	Recycle(b)
	rd.Released()
	return true
}

// orderLines returns n ordinary 130-byte log lines.
func orderLines(n int) []byte {
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, "2026-11-25T10:00:00.%06dZ level=info msg=\"processed order\" order_id=%d duration_ms=12 user=alice path=/api/v1/orders/%d\n", i%1_000_000, i, i)
	}
	return []byte(sb.String())
}

const criTime = "2026-11-26T10:00:00.123456789Z"

// criStdout is msg as the kubelet writes a short stdout line.
func criStdout(msg string) string { return criTime + " stdout F " + msg + "\n" }
