// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every record gets the level its line states, with crash detection on or off, and a line
// that states none gets none. Each form is a file of its own, as an app writes one format.
func TestEveryRecordGetsTheLevelItsLineStates(t *testing.T) {
	lines := []struct{ line, want string }{
		{`{"level":40,"time":1764756000000,"msg":"disk usage at 91%"}`, "WARN"},
		{`time=2026-12-03T10:00:00Z level=error msg="payment failed"`, "ERROR"},
		{`E1203 10:00:00.123456       1 main.go:42] payment failed`, "ERROR"},
		{`2026-12-03 10:00:00.123 [main] DEBUG c.e.Orders - cache warmed`, "DEBUG"},
		{`GET /api/orders 200 in 3 ms`, ""},
	}
	for _, crashes := range []bool{true, false} {
		t.Run(fmt.Sprintf("crash_detection=%v", crashes), func(t *testing.T) {
			f := newFixture(t, func(c *Config) { c.CrashDetection.Enabled = crashes })
			for i, l := range lines {
				f.appendTo(fmt.Sprintf("app%d.log", i), l.line+"\n")
			}
			sink := &recorder{}
			f.start(sink)
			require.Eventually(t, func() bool { return len(sink.bodies()) == len(lines) }, 5*time.Second, 5*time.Millisecond)
			want := map[string]string{}
			for _, l := range lines {
				want[l.line] = l.want
			}
			for _, r := range sink.all() {
				assert.Equal(t, want[r.Body().Str()], r.SeverityText(), r.Body().Str())
			}
		})
	}
}
