// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package severity

import "testing"

// BenchmarkParse is the cost per line of finding its level, for the forms that state it
// early, one that states it late (bunyan), and a line that states none (the whole scan).
// go test -run XXX -bench Parse -benchmem ./receiver/durablefilereceiver/internal/severity/
func BenchmarkParse(b *testing.B) {
	for _, tc := range []struct{ name, line string }{
		{"logfmt", `time=2026-12-03T10:00:00.123Z level=INFO msg="processed order" order_id=12345 duration_ms=12 user=alice`},
		{"text", `2026-12-03 10:00:00.123 [http-nio-8080-exec-1] WARN  c.e.orders.OrderService - slow order 12345`},
		{"klog", `I1203 10:00:00.123456       1 controller.go:42] "Reconciled" object="default/orders" duration="12ms"`},
		{"bunyan", `{"name":"orders","hostname":"orders-7d9f8c6b5-x2x4z","pid":1,"level":30,"msg":"processed order","time":"2026-12-03T10:00:00.123Z","v":0}`},
		{"none", `10.0.0.1 - - [03/Dec/2026:10:00:00 +0000] "GET /api/v1/orders/12345 HTTP/1.1" 200 512 "-" "curl/8.5.0" 0.012`},
	} {
		line := []byte(tc.line)
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(line)))
			b.ReportAllocs()
			for b.Loop() {
				Parse(line)
			}
		})
	}
}
