// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package severity finds the level a log line states, with no configuration, as the
// SeverityNumber of the OpenTelemetry log data model. It knows the forms logging libraries
// print:
//
//   - a JSON or logfmt level key: "level", "lvl", "severity", "levelname", "log.level" (the
//     value a level word in any case, or pino's and bunyan's numbers, 10 to 60);
//   - klog's header: I1203 10:00:00.123456 (I, W, E, F);
//   - an upper-case level word: INFO, [WARN], WARNING:root:, Logback's and Log4j's patterns,
//     Ruby's Logger, java.util.logging's SEVERE, FINE;
//   - a level word in any case inside brackets ([warn]) or first on the line and followed by
//     a colon (warning: ...).
//
// In a JSON line a level key wins over a level word that comes first (a message before the
// level); elsewhere the first level found counts. Only the first scanLimit bytes are looked
// at: formats put the level early. A line whose level cannot be told has none (0).
package severity // import "github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/severity"

import "bytes"

// SeverityNumber values of the OpenTelemetry log data model.
const (
	Trace = 1
	Debug = 5
	Info  = 9
	Warn  = 13
	Error = 17
	Fatal = 21
)

// scanLimit is how far into a line a level is looked for. Bunyan writes name, hostname and
// pid before its level; 256 bytes cover them with a long hostname.
const scanLimit = 256

var texts = map[int32]string{Trace: "TRACE", Debug: "DEBUG", Info: "INFO", Warn: "WARN", Error: "ERROR", Fatal: "FATAL"}

// Text is the SeverityText of one of the SeverityNumbers above, "" for 0.
func Text(n int32) string { return texts[n] }

// Parse returns the SeverityNumber the line states, 0 when it states none.
func Parse(line []byte) int32 {
	b := line[:min(len(line), scanLimit)]
	if n := klog(b); n != 0 {
		return n
	}
	json := len(b) > 0 && b[0] == '{'
	var word int32 // in a JSON line, the first level word, if no key states one
	for i := 0; i < len(b); {
		c := class[b[i]]
		if c == letter {
			j := i + 1
			for j < len(b) && class[b[j]] == letter {
				j++
			}
			// Only whole words: "INFO" but not "INFORMATION", not "xERROR".
			if (i == 0 || !isWordByte(b[i-1])) && (j == len(b) || !isWordByte(b[j])) {
				if n := Level(b[i:j]); n != 0 {
					switch {
					case afterKey(b[:i], false):
						return n
					case word == 0 && stated(b, i, j):
						if !json {
							return n
						}
						word = n
					}
				}
			}
			i = j
			continue
		}
		// A number is a level only as a JSON value (pino, bunyan); elsewhere digits are
		// passed over one by one, which costs less than taking them as runs.
		if c == digit && json {
			j := i + 1
			for j < len(b) && class[b[j]] == digit {
				j++
			}
			if n := numeric(b[i:j]); n != 0 && afterKey(b[:i], true) {
				return n
			}
			i = j
			continue
		}
		i++
	}
	return word
}

// stated tells whether the level word b[i:j], which no level key names, is the line's level
// and not a word of its message: upper case, in brackets (padded to a width, as structlog's
// "[error    ]"), a field between tabs (zap's console encoder), or first on the line before
// a colon.
func stated(b []byte, i, j int) bool {
	switch {
	case isUpperWord(b[i:j]):
		return true
	case i > 0 && b[i-1] == '[':
		for j < len(b) && b[j] == ' ' {
			j++
		}
		return j < len(b) && b[j] == ']'
	case i > 0 && b[i-1] == '\t':
		return j < len(b) && b[j] == '\t'
	default:
		return i == 0 && j < len(b) && b[j] == ':'
	}
}

// klog reads the header Kubernetes components write: Lmmdd hh:mm:ss.uuuuuu.
func klog(b []byte) int32 {
	const header = len("I1203 10:00:00.123456")
	if len(b) < header || b[5] != ' ' || b[8] != ':' || b[11] != ':' || b[14] != '.' {
		return 0
	}
	for _, k := range []int{1, 2, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16, 17, 18, 19, 20} {
		if !isDigit(b[k]) {
			return 0
		}
	}
	switch b[0] {
	case 'I':
		return Info
	case 'W':
		return Warn
	case 'E':
		return Error
	case 'F':
		return Fatal
	}
	return 0
}

// Level maps a level word, in any case, to its SeverityNumber; 0 if w is not one. Most
// words of a line are told apart by their length and first letter, before any copy.
func Level(w []byte) int32 {
	if len(w) < 3 || len(w) > 9 {
		return 0
	}
	switch w[0] | 0x20 {
	case 'a', 'c', 'd', 'e', 'f', 'i', 'n', 'p', 's', 't', 'w':
	default:
		return 0
	}
	var lower [9]byte
	for i, c := range w {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	switch string(lower[:len(w)]) {
	case "trace", "finest", "finer":
		return Trace
	case "debug", "dbug", "fine":
		return Debug
	case "info", "notice":
		return Info
	case "warn", "warning":
		return Warn
	case "error", "err", "severe":
		return Error
	case "fatal", "panic", "critical", "crit", "alert", "emerg", "emergency", "dpanic":
		return Fatal
	}
	return 0
}

// numeric maps pino's and bunyan's level numbers.
func numeric(d []byte) int32 {
	if len(d) != 2 || d[1] != '0' {
		return 0
	}
	switch d[0] {
	case '1':
		return Trace
	case '2':
		return Debug
	case '3':
		return Info
	case '4':
		return Warn
	case '5':
		return Error
	case '6':
		return Fatal
	}
	return 0
}

// keys are the level keys of JSON and logfmt, as the bytes that end right before a value.
var keys = [...]string{"level", "lvl", "severity", "levelname", "log.level"}

// afterKey tells whether before ends with a level key and its separator: key= (logfmt) or
// "key": with an optional space and, unless numeric, an opening quote (JSON).
func afterKey(before []byte, numeric bool) bool {
	rest := before
	if !numeric {
		if bytes.HasSuffix(rest, []byte("=")) {
			return endsWithKey(rest[:len(rest)-1], false)
		}
		if !bytes.HasSuffix(rest, []byte(`"`)) {
			return false
		}
		rest = rest[:len(rest)-1]
	}
	rest = bytes.TrimSuffix(rest, []byte(" "))
	if !bytes.HasSuffix(rest, []byte(`":`)) {
		return false
	}
	return endsWithKey(rest[:len(rest)-2], true)
}

// endsWithKey tells whether b ends with a level key, quoted (JSON) or at a word boundary.
func endsWithKey(b []byte, quoted bool) bool {
	for _, k := range keys {
		if !bytes.HasSuffix(b, []byte(k)) {
			continue
		}
		at := len(b) - len(k)
		if quoted {
			if at > 0 && b[at-1] == '"' {
				return true
			}
			continue
		}
		if at == 0 || b[at-1] == ' ' || b[at-1] == '\t' || b[at-1] == '{' || b[at-1] == ',' {
			return true
		}
	}
	return false
}

func isUpperWord(w []byte) bool {
	for _, c := range w {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// The classes of bytes Parse tells apart, by table. With the table, the first-letter filter
// in level and digits taken as runs only in JSON lines, a 118-byte access log line without a
// level costs 165-200 ns instead of 255-310 ns (BenchmarkParse/none).
const (
	other = iota
	digit
	letter
)

var class = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = digit
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = letter, letter
	}
	return t
}()

func isDigit(c byte) bool { return class[c] == digit }

func isWordByte(c byte) bool { return class[c] != other || c == '_' }
