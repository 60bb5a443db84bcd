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
		// Only whole words: "INFO" but not "INFORMATION", not "xERROR".
		if i == 0 || !isWordByte(b[i-1]) {
			if j == len(b) || !isWordByte(b[j]) {
				if n, text := upperLevel(b[i:j]); n != 0 {
					return n, text
				}
				if afterLevelKey(b[:i]) {
					if n, text := anyCaseLevel(b[i:j]); n != 0 {
						return n, text
					}
				}
			}
		}
		i = j
	}
	return 0, ""
}

func upperLevel(w []byte) (int32, string) {
	switch string(w) {
	case "TRACE":
		return SeverityTrace, "TRACE"
	case "DEBUG":
		return SeverityDebug, "DEBUG"
	case "INFO":
		return SeverityInfo, "INFO"
	case "WARN", "WARNING":
		return SeverityWarn, "WARN"
	case "ERROR", "SEVERE", "CRITICAL":
		return SeverityError, "ERROR"
	case "FATAL", "PANIC":
		return SeverityFatal, "FATAL"
	}
	return 0, ""
}

func anyCaseLevel(w []byte) (int32, string) {
	if len(w) > 8 {
		return 0, ""
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
		return SeverityTrace, "TRACE"
	case "debug", "dbug":
		return SeverityDebug, "DEBUG"
	case "info":
		return SeverityInfo, "INFO"
	case "warn", "warning":
		return SeverityWarn, "WARN"
	case "error", "err", "critical":
		return SeverityError, "ERROR"
	case "fatal", "panic":
		return SeverityFatal, "FATAL"
	}
	return 0, ""
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
