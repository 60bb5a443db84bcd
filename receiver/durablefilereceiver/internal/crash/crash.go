// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package crash recognises stack traces and crashes in log lines as real runtimes print
// them (Go, Java and other JVM languages, Python, Node.js, Rust, Ruby), so that a trace
// becomes one record, and derives its exception type, message and severity.
//
// Grouping is a small state machine over line prefixes: no regular expressions run on
// ordinary lines, which are recognised by their first bytes and passed through.
package crash // import "github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/crash"

import (
	"bytes"
	"regexp"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/severity"
)

// Kind says what a record is.
type Kind uint8

const (
	// Line is an ordinary log line.
	Line Kind = iota
	// Logged is an application log line followed by an exception's stack trace.
	Logged
	// Uncaught is a crash printed by the runtime (Go panic, uncaught exception, ...).
	Uncaught
)

type mode uint8

const (
	none mode = iota
	goTrace
	jvmTrace
	pythonHeader // a line Python prints before a traceback, waiting for it
	pythonTrace
	nodeTrace
	rustTrace
	rubyTrace
	userTrace
	genericTrace // lines that do not start like the file's records (shape.go)
	closed       // the runtime printed the trace's last line: nothing more joins
)

// Grouper decides line by line whether a line continues the current record. Its zero
// value is not usable; call NewGrouper.
type Grouper struct {
	starts []*regexp.Regexp

	mode mode
	kind Kind
	// alarmLine: the current record is a single log line at WARN or above, which a stack
	// trace may follow (Logback's ERROR line, Python's logging.exception, a warning logged
	// with exc_info).
	alarmLine bool
	lines     int
	severity  int32
	// prevIndented: the previous line was a frame or source line (Python expects the
	// exception line after it).
	prevIndented bool
	// announces: the record's first line, printed by a runtime, says an exception follows.
	announces bool
	// prevBlank, prevSource: the blank line and the source line of Ruby's error_highlight.
	prevBlank, prevSource bool
	// chained: Python said the next traceback belongs to this one ("During handling of the
	// above exception ..."); any other traceback header begins another crash.
	chained bool

	// file is the shape the file's records start with, learned line by line (shape.go).
	file learned
	// generic: lines that do not start like the file's records join this one. anomaly: its
	// first line did not start like them either (the runtime printed it, not the logger).
	generic, anomaly bool
	// plainError: in a file whose records start with no shape, this one's first line
	// mentions an error: what a trace prints under it joins it (plainContinues).
	plainError bool
	// head holds the first bytes of a first line at WARN or above or that mentions an error:
	// a logger that prefixes each line of a message repeats them (prefixedContinues).
	head    [maxHead]byte
	headLen int
}

// maxHead bounds the prefix kept of a record's first line.
const maxHead = 96

// NewGrouper returns a grouper; starts are user patterns of lines that begin a stack
// trace (their continuation lines are the indented ones).
func NewGrouper(starts []*regexp.Regexp) *Grouper {
	return &Grouper{starts: starts}
}

// Start begins a new record with line.
func (g *Grouper) Start(line []byte) {
	g.mode, g.kind, g.alarmLine, g.lines, g.prevIndented, g.chained, g.severity = none, Line, false, 1, false, false, 0
	g.prevBlank, g.prevSource, g.announces = false, false, false
	sh := shapeOf(line)
	known := g.file.best != noShape
	g.anomaly = known && sh != g.file.best
	if m, k, ok := g.traceStart(line); ok {
		// A rule knows where its trace ends: what follows is another record, whatever
		// its shape.
		g.mode, g.kind, g.generic = m, k, false
		if m == pythonHeader {
			g.severity = severity.Error // only the traceback that follows makes it a crash
		}
		return
	}
	if len(line) == 0 {
		// A blank line heads nothing, and says nothing of the file's records: what follows
		// it starts a record of its own (the blank line a sanitizer prints before its report).
		g.generic, g.plainError, g.anomaly = false, false, false
		return
	}
	g.file.note(sh) // only lines no rule knows say what the file's records look like
	// A line the runtime printed announces a trace when it says error, or when it ends
	// with a colon, as headers do ("Process Process-1:" of multiprocessing).
	g.announces = g.anomaly && (mentionsError(line) || line[len(line)-1] == ':')
	g.severity = severity.Parse(line)
	// A structured logger (JSON, logfmt) puts a trace inside its record: what follows one of
	// its lines at WARN is another record, unless it does not look like one.
	structured := g.file.best == shapeJSON || g.file.best == shapeKV
	g.alarmLine = g.severity >= severity.Error || !structured && g.severity >= severity.Warn
	g.generic = known && (g.anomaly || onlyTime(line) ||
		!structured && (g.severity >= severity.Warn || g.severity == 0 && mentionsError(line)))
	// Only a file with no record shape pays for this scan: BenchmarkGroupPlainLines 278 ->
	// 339 ns a line (n=8); a file of timestamped records does not.
	g.plainError = !known && (g.severity >= severity.Warn || mentionsError(line))
	g.headLen = 0
	if g.alarmLine || g.generic {
		g.headLen = copy(g.head[:], line) // error lines only: ordinary ones cost no copy
	}
}

// traceStart tells whether a rule knows line as the first line of a trace, and which.
func (g *Grouper) traceStart(line []byte) (mode, Kind, bool) {
	switch {
	case hasPrefix(line, "panic: "), hasPrefix(line, "fatal error: "), hasPrefix(line, "runtime: "):
		// The Go runtime says what went wrong on "runtime: " lines before some fatal errors
		// (a goroutine's stack over its limit, out of memory).
		return goTrace, Uncaught, true
	case isJVMThreadHeader(line):
		return jvmTrace, Uncaught, true
	case isPythonTraceHeader(line):
		return pythonHeader, Line, true
	case hasPrefix(line, "Traceback (most recent call last):"):
		return pythonTrace, Uncaught, true
	case hasPrefix(line, "thread '") && bytes.Contains(line, []byte(" panicked at ")):
		return rustTrace, Uncaught, true
	case isNodeSourceHeader(line):
		return nodeTrace, Uncaught, true
	case isRubyHeader(line):
		return rubyTrace, Uncaught, true
	case g.matchesUser(line):
		return userTrace, Uncaught, true
	case hasPrefix(line, `  File "`):
		// A SyntaxError or IndentationError, which Python prints without a Traceback header.
		return pythonTrace, Uncaught, true
	}
	return none, Line, false
}

// Severity is the level found in the record's first line by Start, 0 if none.
func (g *Grouper) Severity() int32 { return g.severity }

// Continues tells whether line belongs to the current record, and takes it if so.
func (g *Grouper) Continues(line []byte) bool {
	ok := false
	switch g.mode {
	case none:
		if g.alarmLine && g.lines == 1 {
			// A log line at error level followed by a stack trace.
			switch {
			case hasPrefix(line, "Traceback (most recent call last):"):
				g.mode, g.kind, ok = pythonTrace, Logged, true
			case isJVMExceptionHeader(line):
				g.mode, g.kind, ok = jvmTrace, Logged, true
			case isJSErrorHeader(line):
				g.mode, g.kind, ok = nodeTrace, Logged, true
			case isGoroutineHeader(line):
				// debug.PrintStack or runtime.Stack after a logged error.
				g.mode, g.kind, ok = goTrace, Logged, true
			}
		}
		if !ok && hasPrefix(line, "Caused by: ") {
			// A JVM exception's cause continues whatever line it follows: the launcher's
			// "Error: Could not find or load main class X" has no exception header.
			g.mode, ok = jvmTrace, true
			if g.kind = Uncaught; g.alarmLine {
				g.kind = Logged
			}
		}
		if !ok && g.announces && !isIndented(line) {
			// A line that announces an exception, then a trace a rule knows: Ruby's
			// "#<Thread:...> terminated with exception", then the error and its frames. Not
			// the frames of a stack alone (print_stack's "  File ..." after "called from:"),
			// which end with no exception line.
			if m, k, start := g.traceStart(line); start && m != pythonHeader {
				g.mode, g.kind, ok = m, k, true
			}
		}
	case genericTrace:
		if g.announces && !isIndented(line) {
			// The same after the announcing line's own lines: Python's _RemoteTraceback,
			// its opening quotes, then the worker's traceback.
			if m, k, start := g.traceStart(line); start && m != pythonHeader {
				g.mode, g.kind, ok = m, k, true
			}
		}
	case goTrace:
		ok = len(line) == 0 || line[0] == '\t' || line[0] == ' ' ||
			hasPrefix(line, "goroutine ") || hasPrefix(line, "created by ") ||
			hasPrefix(line, "panic: ") || hasPrefix(line, "fatal error: ") ||
			hasPrefix(line, "runtime: ") || hasPrefix(line, "runtime stack:") ||
			hasPrefix(line, "[signal ") || hasPrefix(line, "exit status ") ||
			hasPrefix(line, "...") || isGoFrame(line)
	case jvmTrace:
		ok = isIndented(line) || hasPrefix(line, "Caused by: ") || hasPrefix(line, "Suppressed: ") ||
			(g.lines == 1 && g.kind == Logged && isJVMExceptionHeader(line))
		if !ok && g.kind == Logged && len(line) == 0 {
			// A logged exception ends with the formatter's blank line (java.util.logging's %6$s%n).
			g.mode, ok = closed, true
		}
	case pythonHeader:
		switch {
		case hasPrefix(line, "Traceback (most recent call last):"):
			g.mode, g.kind, ok = pythonTrace, Uncaught, true
		case isAsyncioContext(line):
			ok = true
		}
	case pythonTrace:
		indented := isIndented(line)
		header := hasPrefix(line, "Traceback (most recent call last):")
		marker := hasPrefix(line, "The above exception was the direct cause") ||
			hasPrefix(line, "During handling of the above exception")
		ok = indented || len(line) == 0 || marker || (header && g.chained) ||
			(g.prevIndented && !header) // the exception line follows the last frame
		g.chained = marker || (g.chained && !header)
		g.prevIndented = indented
	case nodeTrace:
		switch {
		case g.kind == Uncaught && g.lines == 1:
			// The source line, as written: at column 0 for top-level code.
			ok = true
		case g.kind == Uncaught && g.lines == 4 && len(line) > 0:
			// After the caret line and a blank one: the error, whatever its name
			// ("UnhandledPromiseRejection: ...").
			ok = true
		case hasPrefix(line, "Node.js v"):
			g.mode, ok = closed, true
		default:
			ok = len(line) == 0 || isIndented(line) || hasPrefix(line, "}") || hasPrefix(line, "^") ||
				isJSErrorHeader(line) ||
				// An uncaught error ends with Node's version line; before it, whatever does
				// not start like the file's records is the error's: an assertion's diff.
				g.kind == Uncaught && g.file.best != noShape && shapeOf(line) != g.file.best
		}
	case rustTrace:
		ok = g.lines == 1 || isIndented(line) || hasPrefix(line, "stack backtrace:") || hasPrefix(line, "note: ")
	case rubyTrace:
		// error_highlight (Ruby 3.1+) prints a blank line, the source line and a line of
		// carets under the failing call between the message and the frames.
		snippet := g.prevBlank || (g.prevSource && isCaretLine(line))
		ok = hasPrefix(line, "\tfrom ") || isRubyHeader(line) || len(line) == 0 && g.lines == 1 || snippet
		g.prevSource = g.prevBlank
		g.prevBlank = len(line) == 0 && g.lines == 1
	case userTrace:
		ok = isIndented(line)
	}
	// A line that no rule took and that does not start like the file's records continues a
	// record that may take such lines (but not a line indented only to leave a time column
	// blank, as rich does for a record within the same second: "        INFO     next"), unless a rule knows it as the start of another trace
	// (an indented line never starts one here: faulthandler's `  File "` frames are not a
	// SyntaxError's).
	// Once a rule took the record over (a logged line's traceback), the rule says where it
	// ends.
	if !ok && g.generic && (g.mode == none || g.mode == genericTrace) && g.file.best != noShape &&
		shapeOf(line) != g.file.best && (isIndented(line) || !g.startsTrace(line)) && !indentedRecord(line) {
		ok = true
		if g.mode == none {
			g.mode, g.kind = genericTrace, Logged
			if g.anomaly {
				g.kind = Uncaught
			}
		}
		// A block a runtime printed announces the trace after it as soon as one of its
		// lines says error or failure, not only its first: unittest's "F", its rule, then
		// "FAIL: test_total (...)", then the traceback.
		g.announces = g.announces || g.anomaly && mentionsError(line)
	}
	if !ok && g.headLen > 0 && (g.mode == none || g.mode == genericTrace) && g.prefixedContinues(line) {
		ok = true
		if g.mode == none {
			g.mode, g.kind = genericTrace, Logged
		}
	}
	if !ok && g.plainError && (g.mode == none || g.mode == genericTrace) && plainContinues(line) {
		ok = true
		if g.mode == none {
			g.mode, g.kind = genericTrace, Uncaught
			if g.severity != 0 {
				g.kind = Logged
			}
		}
	}
	// After a trace a rule knows, what does not start like the file's records is the
	// exception's still: Python's notes under its exception line, a runtime's last words.
	if !ok && g.mode != none && g.mode != closed && g.mode != genericTrace && g.mode != pythonHeader &&
		len(line) > 0 && g.file.best != noShape && shapeOf(line) != g.file.best && !g.startsTrace(line) {
		ok = true
	}
	if ok {
		g.lines++
	}
	return ok
}

// startsTrace tells whether a rule knows line as the first line of a trace.
func (g *Grouper) startsTrace(line []byte) bool {
	_, _, ok := g.traceStart(line)
	return ok
}

// MayContinue tells whether more lines could still join the current record, so that it
// is worth holding it for a while. Ordinary lines, and traces whose last line was printed,
// are not held.
func (g *Grouper) MayContinue() bool {
	return (g.mode != none && g.mode != closed) || ((g.alarmLine || g.generic || g.plainError) && g.lines == 1)
}

// prefixedContinues tells whether line repeats the prefix of the record's first line (its
// time, level and logger, minLinePrefix bytes at least) and then holds only an indented
// rest or nothing: the next line of one message, which Log4perl and Twisted print each with
// the record's prefix ("... FATAL Ledger - \tmain::post_entry(-5) called at ...").
func (g *Grouper) prefixedContinues(line []byte) bool {
	n := 0
	for n < len(line) && n < g.headLen && line[n] == g.head[n] {
		n++
	}
	return n >= minLinePrefix && (n == len(line) || line[n] == '\t')
}

// minLinePrefix is the shortest prefix that says "the same record": a timestamp and a level.
const minLinePrefix = 20

// indentedRecord tells whether an indented line is a record whose time column was left
// blank: after the indentation, a level word in capitals and padding.
func indentedRecord(line []byte) bool {
	t := bytes.TrimLeft(line, " ")
	return len(t) < len(line) && len(t) > 0 && t[0] >= 'A' && t[0] <= 'Z' && shapeOf(t) == shapeLevel &&
		bytes.HasPrefix(t[wordEnd(t):], []byte("  "))
}

// plainContinues tells whether a line of a file of plain lines is what a trace prints under
// its error: indented (escript's "  in operator" and "called as" lines), PHP's
// "Stack trace:", or a numbered frame, "#0 /srv/app.php(13): charge()", as PHP and
// debuggers print them. Shapeless files learn nothing to tell records apart by, so only
// these continue.
func plainContinues(line []byte) bool {
	if isIndented(line) && !indentedRecord(line) || hasPrefix(line, "Stack trace:") {
		return true
	}
	i := 1
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	return len(line) > 2 && line[0] == '#' && i > 1 && i < len(line) && line[i] == ' '
}

// Kind is what the current record is so far.
func (g *Grouper) Kind() Kind { return g.kind }

func (g *Grouper) matchesUser(line []byte) bool {
	for _, re := range g.starts {
		if re.Match(line) {
			return true
		}
	}
	return false
}

func hasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

func isIndented(b []byte) bool { return len(b) > 0 && (b[0] == ' ' || b[0] == '\t') }

// isGoFrame matches a Go traceback function line: "main.(*cache).put(...)" or
// "sync.runtime_SemacquireWaitGroup(0x2456?, 0xe0?)": no space before the first '('.
func isGoFrame(b []byte) bool {
	if len(b) == 0 || b[len(b)-1] != ')' {
		return false
	}
	paren := bytes.IndexByte(b, '(')
	space := bytes.IndexByte(b, ' ')
	return paren > 0 && (space < 0 || space > paren)
}

// isGoroutineHeader matches the first line of a Go stack dump: goroutine 1 [running]:.
func isGoroutineHeader(b []byte) bool {
	return hasPrefix(b, "goroutine ") && bytes.HasSuffix(b, []byte("]:"))
}

// isJVMThreadHeader matches the JVM's uncaught exception line, which quotes the thread's
// name: Exception in thread "main" java.lang.IllegalStateException: message.
func isJVMThreadHeader(b []byte) bool {
	return hasPrefix(b, `Exception in thread "`)
}

// isPythonTraceHeader matches the lines Python prints before a traceback that no code
// caught: threading's "Exception in thread NAME:" (or "NAME (target):"), the unraisable
// hook's "Exception ignored in: <object>", and asyncio's "Task exception was never
// retrieved" and its kin.
func isPythonTraceHeader(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	switch b[0] { // one comparison for most lines
	case 'E':
		return hasPrefix(b, "Exception in thread ") && b[len(b)-1] == ':' ||
			hasPrefix(b, "Exception ignored ") || hasPrefix(b, "Exception in callback ")
	case 'T':
		return hasPrefix(b, "Task exception was never retrieved")
	case 'F':
		return hasPrefix(b, "Future exception was never retrieved")
	case 'U':
		return hasPrefix(b, "Unhandled error in exception handler")
	}
	return false
}

// isAsyncioContext matches the context asyncio prints between its message and the
// traceback: "future: <Task finished ...>", "handle: <Handle ...>".
func isAsyncioContext(b []byte) bool {
	for _, key := range []string{"future: ", "task: ", "handle: ", "protocol: ", "transport: ", "source_traceback: "} {
		if hasPrefix(b, key) {
			return true
		}
	}
	return false
}

// isJVMExceptionHeader matches "java.lang.IllegalStateException: message" at column 0:
// a dotted class name whose last part ends in Exception, Error or Throwable.
func isJVMExceptionHeader(b []byte) bool {
	end := bytes.IndexByte(b, ':')
	if end < 0 {
		end = len(b)
	}
	name := b[:end]
	if bytes.IndexByte(name, '.') <= 0 || bytes.IndexByte(name, ' ') >= 0 {
		return false
	}
	return bytes.HasSuffix(name, []byte("Exception")) || bytes.HasSuffix(name, []byte("Error")) ||
		bytes.HasSuffix(name, []byte("Throwable"))
}

// isJSErrorHeader matches "Error: message" or "TypeError: message" at column 0.
func isJSErrorHeader(b []byte) bool {
	end := bytes.IndexByte(b, ':')
	if end <= 0 {
		return false
	}
	name := b[:end]
	if !bytes.HasSuffix(name, []byte("Error")) {
		return false
	}
	for _, c := range name {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// isNodeSourceHeader matches the first line Node.js prints for an uncaught exception or
// unhandled rejection: where it was thrown and the line number, "/srv/app.js:5",
// "file:///srv/app.mjs:5", "node:internal/process/promises:389" (a rejection with a
// reason that is not an Error) or "<anonymous_script>:1" (JSON.parse).
func isNodeSourceHeader(b []byte) bool {
	// The first bytes rule out ordinary lines before any scan (GroupOrdinaryLines doubled
	// when the scans came first).
	path := len(b) > 0 && b[0] == '/' || hasPrefix(b, "file:")
	if len(b) < 4 || !path && !hasPrefix(b, "node:") && !hasPrefix(b, "<anonymous") {
		return false
	}
	colon := bytes.LastIndexByte(b, ':')
	if colon < 0 || colon == len(b)-1 || bytes.IndexByte(b, ' ') >= 0 {
		return false
	}
	for _, c := range b[colon+1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	where := b[:colon]
	return !path || bytes.HasSuffix(where, []byte(".js")) || bytes.HasSuffix(where, []byte(".mjs")) ||
		bytes.HasSuffix(where, []byte(".cjs")) || bytes.HasSuffix(where, []byte(".ts"))
}

// isRubyHeader matches "app.rb:11:in `process': message (ArgumentError)".
func isRubyHeader(b []byte) bool {
	in := bytes.Index(b, []byte(":in `"))
	if in < 0 {
		in = bytes.Index(b, []byte(":in '"))
	}
	return in > 0 && bytes.IndexByte(b[:in], ' ') < 0 && bytes.HasSuffix(b, []byte(")"))
}
