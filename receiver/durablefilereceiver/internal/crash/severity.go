// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package crash // import "github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/crash"

import "bytes"

// SeverityNumber values of the OpenTelemetry log data model.
const (
	SeverityTrace = 1
	SeverityDebug = 5
	SeverityInfo  = 9
	SeverityWarn  = 13
	SeverityError = 17
	SeverityFatal = 21
)

// severityScan is how far into a line a level token is looked for: formats put it early.
const severityScan = 160

// Severity finds a level in a log line: an upper-case token (INFO, WARN, ERROR, ...) or a
// value of a level key (level=error, "level":"warn"). It returns 0 and "" when there is none.
func Severity(line []byte) (int32, string) {
	b := line[:min(len(line), severityScan)]
	for i := 0; i < len(b); {
		if !isLetter(b[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(b) && isLetter(b[j]) {
			j++
		}
		// Only whole words: "INFO" but not "INFORMATION", not "xERROR". A bare word
		// counts in upper case only; after a level key any case does.
		if (i == 0 || !isWordByte(b[i-1])) && (j == len(b) || !isWordByte(b[j])) {
			if n := level(b[i:j]); n != 0 && (isUpperWord(b[i:j]) || afterLevelKey(b[:i])) {
				return n, SeverityText(n)
			}
		}
		i = j
	}
	return 0, ""
}

var severityText = map[int32]string{
	SeverityTrace: "TRACE", SeverityDebug: "DEBUG", SeverityInfo: "INFO",
	SeverityWarn: "WARN", SeverityError: "ERROR", SeverityFatal: "FATAL",
}

// SeverityText is the SeverityText for one of the SeverityNumbers above.
func SeverityText(n int32) string { return severityText[n] }

// level maps a level word, in any case, to its SeverityNumber.
func level(w []byte) int32 {
	if len(w) > 8 {
		return 0
	}
	var lower [8]byte
	for i, c := range w {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	switch string(lower[:len(w)]) {
	case "trace":
		return SeverityTrace
	case "debug", "dbug":
		return SeverityDebug
	case "info":
		return SeverityInfo
	case "warn", "warning":
		return SeverityWarn
	case "error", "err", "severe", "critical":
		return SeverityError
	case "fatal", "panic":
		return SeverityFatal
	}
	return 0
}

func isUpperWord(w []byte) bool {
	for _, c := range w {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

var levelKeys = [][]byte{
	[]byte("level="), []byte("lvl="), []byte("severity="),
	[]byte(`"level":"`), []byte(`"level": "`), []byte(`"lvl":"`), []byte(`"severity":"`), []byte(`"severity": "`),
}

func afterLevelKey(before []byte) bool {
	for _, k := range levelKeys {
		if bytes.HasSuffix(before, k) {
			return true
		}
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isWordByte(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' || c == '_' }
