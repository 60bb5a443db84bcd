// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package crash // import "github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/crash"

import (
	"bytes"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/severity"
)

// The generic layer, for traces no rule knows (as Datadog's auto multi-line does): each file
// learns the shape its ordinary records start with, and a record that does not start like
// them, or that starts like them at WARN or above or mentioning an error, goes on until a
// line starts like them again. A file whose records mostly start with no shape (plain
// lines) learns none and is not grouped this way; JSON lines and logfmt files stay one record
// per line, since every line has their shape.

// shape is how a line begins.
type shape uint8

const (
	noShape          shape = iota
	shapeTime              // 2026-12-03 10:00:00, 2026/12/03, 10:00:00, Dec 03 ...
	shapeBracketTime       // [2026-12-03 10:00:00]
	shapeLevel             // INFO ..., [WARN] ...
	shapeJSON              // {
	shapeKV                // time=... or level=...
	shapeKlog              // I1203 10:00:00.123456
	shapeRuby              // I, [2026-12-03T10:00:00.123456 #1]
	shapes
)

// shapeOf tells how a line begins, by its first bytes.
func shapeOf(b []byte) shape {
	if len(b) == 0 {
		return noShape
	}
	switch c := b[0]; {
	case c == '{':
		return shapeJSON
	case c >= '0' && c <= '9':
		if startsWithTime(b) || startsWithEpoch(b) {
			return shapeTime
		}
	case c == '[':
		if startsWithTime(b[1:]) {
			return shapeBracketTime
		}
		if end := indexByte(b, ']', 12); end > 1 && isLevelWord(b[1:end]) {
			return shapeLevel
		}
	case c >= 'A' && c <= 'Z':
		switch {
		case len(b) > 4 && b[1] == ',' && b[2] == ' ' && b[3] == '[':
			return shapeRuby
		case len(b) > 13 && isDigits(b[1:5]) && b[5] == ' ' && isDigits(b[6:8]) && b[8] == ':':
			return shapeKlog
		case isMonth(b) && len(b) > 4 && b[3] == ' ':
			return shapeTime
		case isWeekday(b) && len(b) > 8 && b[3] == ' ' && isMonth(b[4:]):
			return shapeTime // ctime's Thu Dec  3 10:00:00 2026 (Perl's localtime, C's ctime)
		}
		if end := wordEnd(b); isLevelWord(b[:end]) && (end == len(b) || b[end] == ' ' || b[end] == ':' || b[end] == ']') {
			return shapeLevel
		}
	}
	if end := wordEnd(b); end > 0 && end < len(b) && b[end] == '=' {
		return shapeKV
	}
	return noShape
}

// onlyTime tells whether a line is a timestamp and nothing else, as the JVM prints one
// before a thread dump: it heads what follows.
func onlyTime(b []byte) bool {
	return len(b) >= 8 && len(b) <= 32 && startsWithTime(b) && bytes.IndexByte(b, ' ') == bytes.LastIndexByte(b, ' ') &&
		!bytes.ContainsAny(b, "=[]")
}

// isCaretLine tells whether a line is spaces and carets: Ruby's and Python's marks under an
// expression.
func isCaretLine(b []byte) bool {
	t := bytes.TrimLeft(b, " ")
	return len(t) > 0 && len(bytes.Trim(t, "^~")) == 0
}

// startsWithTime matches 2026-12-03, 2026/12/03, 03/12/2026 or 10:00:00 at b's start.
func startsWithTime(b []byte) bool {
	switch {
	case len(b) >= 10 && isDigits(b[:4]) && (b[4] == '-' || b[4] == '/' || b[4] == '.') && isDigits(b[5:7]) && b[7] == b[4] && isDigits(b[8:10]):
		return true
	case len(b) >= 10 && isDigits(b[:2]) && (b[2] == '-' || b[2] == '/' || b[2] == '.') && isDigits(b[3:5]) && b[5] == b[2] && isDigits(b[6:10]):
		return true
	default:
		return len(b) >= 8 && isDigits(b[:2]) && b[2] == ':' && isDigits(b[3:5]) && b[5] == ':' && isDigits(b[6:8])
	}
}

// startsWithEpoch matches Unix seconds with a fraction, then a space or a tab, at b's start:
// 1764756000.123456 or, as zap's production encoder writes them, 1.7647560001234e+09.
func startsWithEpoch(b []byte) bool {
	i := 0
	for i < len(b) && i < 10 && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i != 1 && i != 10 || i == len(b) || b[i] != '.' {
		return false
	}
	j := i + 1
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	if i == 1 { // the float form: its digits, then the exponent
		if j-i <= 9 || !hasPrefix(b[j:], "e+09") {
			return false
		}
		j += len("e+09")
	}
	return j > i+3 && j < len(b) && (b[j] == ' ' || b[j] == '\t')
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isWeekday(b []byte) bool {
	if len(b) < 3 {
		return false
	}
	switch string(b[:3]) {
	case "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun":
		return true
	}
	return false
}

func isMonth(b []byte) bool {
	if len(b) < 3 {
		return false
	}
	switch string(b[:3]) {
	case "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec":
		return true
	}
	return false
}

// isLevelWord tells whether w is a level word written in one case: INFO, warn, but not
// Info, which begins sentences ("Error: ..." of a JavaScript trace) as often as records.
func isLevelWord(w []byte) bool {
	var upper, lower bool
	for _, c := range w {
		upper = upper || c >= 'A' && c <= 'Z'
		lower = lower || c >= 'a' && c <= 'z'
	}
	return upper != lower && severity.Level(w) != 0
}

// wordEnd is where the run of letters, digits, '_', '.' and '-' that b starts with ends.
func wordEnd(b []byte) int {
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '.', c == '-':
		default:
			return i
		}
	}
	return len(b)
}

// indexByte finds c in the first n bytes of b, -1 if it is not there.
func indexByte(b []byte, c byte, n int) int {
	for i := 0; i < len(b) && i < n; i++ {
		if b[i] == c {
			return i
		}
	}
	return -1
}

// learned holds how often each shape began a record in this file.
type learned struct {
	seen [shapes]uint32
	best shape
}

// note counts a line that begins a record; its shape becomes the file's when it is the most
// frequent. Counts halve past a bound, so a file that changes its format is followed.
func (l *learned) note(s shape) {
	if l.seen[s]++; l.seen[s] > 1<<16 {
		for i := range l.seen {
			l.seen[i] /= 2
		}
	}
	if l.seen[s] > l.seen[l.best] {
		l.best = s
	}
}

// mentionsError tells whether a line says error, exception, panic, fatal, fail or
// traceback, in any case, as part of a word: "http: panic serving", "IOException", "upload
// failed", "_RemoteTraceback".
func mentionsError(b []byte) bool {
	for i := 0; i+4 <= len(b); i++ {
		switch b[i] | 0x20 {
		case 't':
			if hasPrefixFold(b[i:], "traceback") {
				return true
			}
		case 'e':
			if hasPrefixFold(b[i:], "error") {
				return true
			}
		case 'x':
			if hasPrefixFold(b[i:], "xception") {
				return true
			}
		case 'p':
			if hasPrefixFold(b[i:], "panic") {
				return true
			}
		case 'f':
			if hasPrefixFold(b[i:], "fatal") || hasPrefixFold(b[i:], "fail") {
				return true
			}
		}
	}
	return false
}

func hasPrefixFold(b []byte, lower string) bool {
	if len(b) < len(lower) {
		return false
	}
	for i := range len(lower) {
		if b[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}
