// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package crash // import "github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/crash"

import (
	"bytes"
	"strings"
)

// Exception is what a stack trace says about its exception.
type Exception struct {
	Type    string
	Message string
}

// Describe derives the exception type and message from a record that Grouper grouped.
// For chained exceptions it names the outermost one the runtime reports as the crash.
func Describe(record []byte) Exception {
	lines := bytes.Split(record, []byte("\n"))
	first := lines[0]
	switch {
	case hasPrefix(first, "panic: "):
		return Exception{Type: "panic", Message: strings.TrimSuffix(string(first[len("panic: "):]), " [recovered]")}
	case hasPrefix(first, "fatal error: "):
		return Exception{Type: "fatal error", Message: string(first[len("fatal error: "):])}
	case isJVMThreadHeader(first):
		// Exception in thread "main" java.lang.IllegalStateException: message
		rest := first[len("Exception in thread "):]
		if q := bytes.Index(rest, []byte(`" `)); q >= 0 {
			rest = rest[q+2:]
		}
		return splitTypeMessage(rest)
	case hasPrefix(first, "thread '") && bytes.Contains(first, []byte(" panicked at ")):
		msg := ""
		if len(lines) > 1 {
			msg = string(lines[1])
		}
		return Exception{Type: "panic", Message: msg}
	case isRubyHeader(first):
		return describeRuby(first)
	case isNodeSourceHeader(first):
		// The error follows the source line, its caret and a blank line.
		for i := 1; i+1 < len(lines); i++ {
			if len(lines[i]) == 0 && len(lines[i+1]) > 0 && !isIndented(lines[i+1]) {
				return splitTypeMessage(lines[i+1])
			}
		}
	}
	// Python: the last exception line at column 0 is the one that ended the program.
	if bytes.Contains(record, []byte("Traceback (most recent call last):")) {
		for i := len(lines) - 1; i > 0; i-- {
			l := lines[i]
			if len(l) == 0 || isIndented(l) || hasPrefix(l, "Traceback ") || hasPrefix(l, "The above ") || hasPrefix(l, "During handling ") {
				continue
			}
			return splitTypeMessage(l)
		}
	}
	for _, l := range lines {
		if isJVMExceptionHeader(l) || isJSErrorHeader(l) {
			return splitTypeMessage(l)
		}
	}
	return Exception{Message: string(first)}
}

func splitTypeMessage(b []byte) Exception {
	typ, msg, _ := bytes.Cut(b, []byte(": "))
	return Exception{Type: string(bytes.TrimSpace(typ)), Message: string(msg)}
}

// describeRuby reads "app.rb:11:in `process': message (ArgumentError)".
func describeRuby(b []byte) Exception {
	open := bytes.LastIndexByte(b, '(')
	if open < 0 {
		return Exception{Message: string(b)}
	}
	typ := string(b[open+1 : len(b)-1])
	msg := b[:open]
	if i := bytes.Index(msg, []byte("': ")); i >= 0 {
		msg = msg[i+3:]
	}
	return Exception{Type: typ, Message: string(bytes.TrimSpace(msg))}
}
