// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package linetime reads when a log line says it was written, for the flight recorder's
// windows: a line read late (the collector was down, or catching up) still falls in the
// window of the crash it preceded.
package linetime // import "github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/linetime"

import (
	"bytes"
	"time"
)

// scanLimit is how far into a line a time field is looked for.
const scanLimit = 256

// keys name a line's time in JSON (zap, pino, logrus, slog, Logstash) and logfmt.
var keys = [][]byte{
	[]byte(`"time"`), []byte(`"ts"`), []byte(`"timestamp"`), []byte(`"@timestamp"`), []byte(`"t"`),
	[]byte("time="), []byte("ts="), []byte("timestamp="),
}

// Parse returns the time a line states, in Unix nanoseconds: a timestamp it begins with
// (after spaces or a '['), or a JSON or logfmt field time, ts, timestamp or @timestamp.
// Timestamps are RFC 3339 or ISO 8601 (a space for the T, a comma for the dot, a zone of Z,
// ±hh:mm or ±hhmm; UTC without one); a field may also hold Unix seconds, milliseconds or
// nanoseconds.
func Parse(line []byte) (int64, bool) {
	b := line[:min(len(line), scanLimit)]
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '[') {
		i++
	}
	if t, ok := iso(b[i:]); ok {
		return t, true
	}
	best := -1
	for _, k := range keys {
		j := bytes.Index(b, k)
		if j < 0 || best >= 0 && j >= best {
			continue
		}
		if k[len(k)-1] == '=' && j > 0 && b[j-1] != ' ' {
			continue // mytime=, not time=
		}
		best = j + len(k)
	}
	if best < 0 {
		return 0, false
	}
	v := b[best:]
	for len(v) > 0 && (v[0] == ':' || v[0] == ' ' || v[0] == '"') {
		v = v[1:]
	}
	if t, ok := iso(v); ok {
		return t, true
	}
	return epoch(v)
}

// DateTime reads "YYYY-MM-DDThh:mm:ss" (or with a space for the T) at the start of b, a UTC
// time, in Unix seconds. Fields out of range are refused, not rolled over as time.Date
// would: month 13 is no January.
func DateTime(b []byte) (int64, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || b[10] != 'T' && b[10] != ' ' || b[13] != ':' || b[16] != ':' {
		return 0, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return 0, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if day > 28 && t.Day() != day { // a day of the date, 15 ns, only where it may be wrong
		return 0, false // February 30th
	}
	return t.Unix(), true
}

// Fraction reads a fraction of a second, ".123" or ",123", at the start of b: its
// nanoseconds and its length; 0, 0 when b starts with none.
func Fraction(b []byte) (nsec, n int) {
	if len(b) < 2 || b[0] != '.' && b[0] != ',' || !isDigit(b[1]) {
		return 0, 0
	}
	n, scale := 1, 100_000_000
	for ; n < len(b) && isDigit(b[n]); n++ {
		nsec += int(b[n]-'0') * scale
		scale /= 10
	}
	return nsec, n
}

// iso reads an ISO 8601 date and time at the start of b.
func iso(b []byte) (int64, bool) {
	sec, ok := DateTime(b)
	if !ok {
		return 0, false
	}
	nsec, n := Fraction(b[19:])
	rest := b[19+n:]
	offset := 0
	if len(rest) >= 5 && (rest[0] == '+' || rest[0] == '-') {
		zh, okh := digits(rest[1:3])
		m := rest[3:5]
		if rest[3] == ':' && len(rest) >= 6 {
			m = rest[4:6]
		}
		zm, okm := digits(m)
		if okh && okm {
			offset = zh*3600 + zm*60
			if rest[0] == '-' {
				offset = -offset
			}
		}
	}
	return (sec-int64(offset))*int64(time.Second) + int64(nsec), true
}

// epoch reads Unix time as a number: seconds with an optional fraction, or milliseconds or
// nanoseconds, told apart by their magnitude.
func epoch(b []byte) (int64, bool) {
	k, n := 0, int64(0)
	for ; k < len(b) && isDigit(b[k]) && k < 19; k++ {
		n = n*10 + int64(b[k]-'0')
	}
	switch k {
	case 10: // seconds, 2001-2286
		frac, scale := int64(0), int64(100_000_000)
		if k+1 < len(b) && b[k] == '.' {
			for j := k + 1; j < len(b) && isDigit(b[j]) && scale > 0; j++ {
				frac += int64(b[j]-'0') * scale
				scale /= 10
			}
		}
		return n*int64(time.Second) + frac, true
	case 13:
		return n * int64(time.Millisecond), true
	case 19:
		return n, true
	}
	return 0, false
}

func digits(b []byte) (int, bool) {
	v := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
