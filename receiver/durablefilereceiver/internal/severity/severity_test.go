// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package severity

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The forms the package comment names, and words of a message that are not its level.
func TestTheLevelALineStates(t *testing.T) {
	for line, want := range map[string]int32{
		`{"level":"warn","msg":"disk usage at 91%"}`:                    Warn,
		`{"ts":1,"severity": "ERROR","message":"x"}`:                    Error,
		`{"log.level":"debug","message":"x"}`:                           Debug,
		`{"levelname": "CRITICAL", "message": "x"}`:                     Fatal,
		`{"level":30,"time":1764756000000,"msg":"GET /api/orders"}`:     Info,
		`{"name":"orders","hostname":"h","pid":7,"level":50,"msg":"x"}`: Error,
		`{"msg":"ERROR budget: 0 of 5 used","level":"info"}`:            Info,
		`{"msg":"ERROR budget: 0 of 5 used"}`:                           Error,
		`time=2026-12-03T10:00:00Z level=warn msg="disk usage at 91%"`:  Warn,
		`ts=1 lvl=dbug msg=x`:                                           Debug,
		`E1203 10:00:00.123456       1 main.go:42] payment failed`:      Error,
		`I1203 10:00:00.123456       1 main.go:42] ERROR budget`:        Info,
		`2026-12-03 10:00:00.123 [main] WARN  c.e.Orders - disk at 91%`: Warn,
		`WARNING:orders:disk usage at 91%`:                              Warn,
		`2026/12/03 10:00:00 [warn] 7#7: upstream is slow`:              Warn,
		`warning: disk usage at 91%`:                                    Warn,
		`E, [2026-12-03T10:00:00.123456 #7] ERROR -- : payment failed`:  Error,
		`SEVERE: payment failed`:                                        Error,
		`2026-12-03T10:00:00.1Z [error    ] charge failed  order=42`:    Error,
		"1.7963207502760932e+09\terror\tzap/main.go:12\tcharge failed":  Error,
		"1.7963207502760932e+09\tinfo\tcalled with\terror\tset":         Info,
		`retry [error was transient ] after 3 s`:                        0,
		`INFO retrying after error: connection reset by peer`:           Info,
		`retrying after error: connection reset by peer`:                0,
		`GET /api/orders 200 in 3 ms`:                                   0,
		`an informational INFORMATION line`:                             0,
		`{"level":300,"msg":"not a pino level"}`:                        0,
		`{"retries":30,"msg":"x"}`:                                      0,
		`I1203 is not a header`:                                         0,
		`relevel=error is no level key`:                                 0,
	} {
		assert.Equal(t, want, Parse([]byte(line)), line)
	}
}

func TestTextNamesEachNumber(t *testing.T) {
	assert.Equal(t, "WARN", Text(Warn))
	assert.Empty(t, Text(0))
}
