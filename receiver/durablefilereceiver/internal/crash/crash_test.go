// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package crash

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/severity"
)

type record struct {
	text string
	kind Kind
}

// group splits lines into records the way the receiver does.
func group(g *Grouper, lines [][]byte) []record {
	var out []record
	var cur [][]byte
	flush := func() {
		if cur != nil {
			out = append(out, record{text: string(bytes.Join(cur, []byte("\n"))), kind: g.Kind()})
		}
	}
	for _, l := range lines {
		if cur != nil && g.Continues(l) {
			cur = append(cur, l)
			continue
		}
		flush()
		g.Start(l)
		cur = [][]byte{l}
	}
	flush()
	return out
}

func fixtureLines(t *testing.T, name string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "fixtures", name+".log"))
	require.NoError(t, err)
	return bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
}

// The fixtures are what real programs printed (testdata/programs/capture.sh).
func TestRealRuntimeTracesBecomeOneRecord(t *testing.T) {
	tests := []struct {
		fixture string
		// records before and after the crash: every one an ordinary line
		before, after int
		kind          Kind
		want          Exception
	}{
		{fixture: "go_panic", before: 3, kind: Uncaught, want: Exception{Type: "panic", Message: "assignment to entry in nil map"}},
		{fixture: "go_fatal_all", before: 1, kind: Uncaught, want: Exception{Type: "fatal error", Message: "all goroutines are asleep - deadlock!"}},
		{fixture: "java_uncaught", before: 1, kind: Uncaught, want: Exception{Type: "java.lang.IllegalStateException", Message: "cannot start service"}},
		{fixture: "java_logged", before: 1, after: 1, kind: Logged, want: Exception{Type: "java.lang.NumberFormatException", Message: `For input string: "forty-two"`}},
		{fixture: "python_chained", before: 1, kind: Uncaught, want: Exception{Type: "KeyError", Message: "'missing'"}},
		{fixture: "python_logging_exception", before: 1, after: 1, kind: Logged, want: Exception{Type: "ZeroDivisionError", Message: "division by zero"}},
		{fixture: "node_logged", before: 1, after: 1, kind: Logged, want: Exception{Type: "TypeError", Message: "Cannot read properties of undefined (reading 'rows')"}},
		{fixture: "node_uncaught", before: 1, kind: Uncaught, want: Exception{Type: "Error", Message: "database unavailable"}},
		{fixture: "rust_panic", before: 2, kind: Uncaught, want: Exception{Type: "panic", Message: "PORT must be a number: ParseIntError { kind: InvalidDigit }"}},
		{fixture: "ruby_uncaught", before: 1, kind: Uncaught, want: Exception{Type: "ArgumentError", Message: "cannot process order 7"}},
		// Python's headers before a traceback no code caught.
		{fixture: "python_unraisable", before: 1, after: 1, kind: Uncaught, want: Exception{Type: "ConnectionResetError", Message: "connection reset while closing"}},
		{fixture: "python_asyncio_task", before: 1, after: 1, kind: Uncaught, want: Exception{Type: "TimeoutError", Message: "cache refresh timed out after 5s"}},
		// Node.js after JSON lines: an async throw, rejections, top-level code.
		{fixture: "node_async_throw", before: 2, kind: Uncaught, want: Exception{Type: "TypeError", Message: "Cannot read properties of undefined (reading 'query')"}},
		{fixture: "node_promise_reject", before: 2, kind: Uncaught, want: Exception{Type: "Error", Message: "token endpoint returned 503"}},
		{fixture: "node_reject_reason", before: 1, kind: Uncaught, want: Exception{Type: "UnhandledPromiseRejection", Message: `This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "token endpoint returned 503".`}},
		{fixture: "node_throw_top", before: 1, kind: Uncaught, want: Exception{Type: "TypeError", Message: "PORT must be a number"}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			lines := fixtureLines(t, tt.fixture)
			records := group(NewGrouper(nil), lines)
			require.Len(t, records, tt.before+1+tt.after, "records: %q", records)
			for i, r := range records {
				if i == tt.before {
					continue
				}
				assert.Equal(t, Line, r.kind, "ordinary record %d", i)
				assert.NotContains(t, r.text, "\n", "an ordinary line was grouped with another")
			}
			crash := records[tt.before]
			assert.Equal(t, tt.kind, crash.kind)
			// The crash holds every line from its first to the end of the trace.
			traceLines := len(lines) - tt.before - tt.after
			assert.Equal(t, traceLines, strings.Count(crash.text, "\n")+1, "lines in the crash record")
			assert.Equal(t, tt.want, Describe([]byte(crash.text)))
		})
	}
}

// threading prints "Exception in thread NAME (target):" or "Exception in thread NAME:" before
// the traceback; each thread's crash is one record, between the app's JSON lines.
func TestPythonThreadExceptionsAreOneRecordEach(t *testing.T) {
	lines := fixtureLines(t, "python_thread")
	records := group(NewGrouper(nil), lines)
	require.Len(t, records, 4, "records: %q", records)
	assert.Equal(t, Line, records[0].kind)
	assert.Equal(t, Line, records[3].kind)
	for i, header := range []string{"Exception in thread Thread-1 (sync_orders):", "Exception in thread order-sync:"} {
		crash := records[1+i]
		assert.Equal(t, Uncaught, crash.kind)
		assert.True(t, strings.HasPrefix(crash.text, header+"\nTraceback (most recent call last):\n"), crash.text)
		assert.True(t, strings.HasSuffix(crash.text, "\nKeyError: 'b'"), crash.text)
		assert.Equal(t, Exception{Type: "KeyError", Message: "'b'"}, Describe([]byte(crash.text)))
	}
}

// A header with no traceback after it is an error line, not a crash.
func TestPythonHeaderWithoutTracebackIsALine(t *testing.T) {
	records := group(NewGrouper(nil), [][]byte{
		[]byte("Exception in thread worker:"),
		[]byte(`{"level":"info","msg":"next"}`),
	})
	require.Len(t, records, 2)
	assert.Equal(t, Line, records[0].kind)
}

// Node.js ends its report with its version: the record is complete, nothing waits for more.
func TestNodeRecordEndsWithTheVersionLine(t *testing.T) {
	g := NewGrouper(nil)
	lines := fixtureLines(t, "node_promise_reject")
	g.Start(lines[2])
	for _, l := range lines[3:] {
		require.True(t, g.Continues(l), "%q", l)
	}
	assert.False(t, g.MayContinue())
	assert.False(t, g.Continues([]byte("")), "a blank line after the version starts a new record")
}

// A line that starts like its file's records, below WARN and mentioning no error, is never
// held back: nothing can join it.
func TestOrdinaryLinesAreNeverHeld(t *testing.T) {
	for _, l := range []string{
		"2026-11-25T10:00:00Z INFO handled request id=1",
		`{"level":"info","msg":"ok"}`,
		`{"level":"warn","msg":"slow query"}`,
		"level=info msg=\"slow query\"",
		"plain text",
		"",
	} {
		g := NewGrouper(nil)
		g.Start([]byte(l)) // the file's records look like this one
		g.Start([]byte(l))
		assert.False(t, g.MayContinue(), "%q would be held back", l)
	}
	g := NewGrouper(nil)
	for _, l := range []string{
		"2026-11-25 10:00:00.010 ERROR [main] com.example.Orders - failed",
		"Exception in thread Thread-1 (worker):",
		"Task exception was never retrieved",
		"panic: boom",
		"Traceback (most recent call last):",
	} {
		g.Start([]byte(l))
		assert.True(t, g.MayContinue(), "%q may be followed by a trace", l)
	}
}

func TestErrorLineIsNotJoinedWithTheNextOrdinaryLine(t *testing.T) {
	records := group(NewGrouper(nil), [][]byte{
		[]byte("2026-11-25 10:00:00 ERROR payment declined"),
		[]byte("2026-11-25 10:00:01 INFO next request"),
		[]byte("java.lang.IllegalStateException: not after an ordinary line"),
	})
	assert.Len(t, records, 3)
}

// In a file of plain lines, which teaches no record shape, an error line takes what a trace
// prints under it (indented lines, "Stack trace:", numbered frames) and nothing else; an
// indented line under an ordinary line stays a record of its own.
func TestPlainErrorLineTakesOnlyWhatATracePrintsUnderIt(t *testing.T) {
	var lines [][]byte
	for _, l := range []string{
		"starting worker",
		"  with 4 threads",
		"RuntimeException: queue is gone in /srv/worker.php:8",
		"Stack trace:",
		"#0 /srv/worker.php(13): poll()",
		"#1 {main}",
		"retrying in 5 s",
		"#hashtag is no frame",
	} {
		lines = append(lines, []byte(l))
	}
	records := group(NewGrouper(nil), lines)
	require.Len(t, records, 5)
	assert.Equal(t, "RuntimeException: queue is gone in /srv/worker.php:8\nStack trace:\n#0 /srv/worker.php(13): poll()\n#1 {main}", records[2].text)
	assert.Equal(t, Uncaught, records[2].kind)
}

// A blank line heads nothing: the block a runtime prints after one is a record of its own,
// and a line it printed that ends with a colon announces the trace after it.
func TestBlankLinesHeadNothingAndColonsAnnounce(t *testing.T) {
	var lines [][]byte
	for _, l := range []string{
		"2026-12-03T10:00:00Z INFO caching 1 entry",
		"",
		"==1==ERROR: LeakSanitizer: detected memory leaks",
		"    #0 0x7f97b5eb89cf in malloc",
		"2026-12-03T10:00:01Z INFO forking",
		"Process Process-1:",
		"Traceback (most recent call last):",
		`  File "/app/w.py", line 8, in work`,
		"KeyError: 'b'",
		"2026-12-03T10:00:02Z INFO worker exited with 1",
	} {
		lines = append(lines, []byte(l))
	}
	records := group(NewGrouper(nil), lines)
	require.Len(t, records, 6)
	assert.Empty(t, records[1].text)
	assert.Equal(t, "==1==ERROR: LeakSanitizer: detected memory leaks\n    #0 0x7f97b5eb89cf in malloc", records[2].text)
	assert.Equal(t, Uncaught, records[4].kind)
	assert.True(t, strings.HasPrefix(records[4].text, "Process Process-1:\nTraceback"))
}

// A logger that prints each line of a message with the record's prefix (Log4perl, Twisted)
// makes one record of it; another record with the same prefix and a message of its own stays
// apart; a record whose time column was left blank (rich) is no continuation.
func TestPrefixedLinesOfOneMessageAndBlankTimeColumns(t *testing.T) {
	var lines [][]byte
	for _, l := range []string{
		"2026/12/03 10:00:00 INFO Ledger - importing batch 12",
		"2026/12/03 10:00:00 FATAL Ledger - amount must be positive at ledger.pl line 14.",
		"2026/12/03 10:00:00 FATAL Ledger - \tmain::post_entry(-5) called at ledger.pl line 15",
		"2026/12/03 10:00:00 FATAL Ledger - another failure",
		"2026/12/03 10:00:01 INFO Ledger - batch 12 skipped",
		"                    ERROR    total failed",
		"                             KeyError: 'price'",
		"                    INFO     totals done",
	} {
		lines = append(lines, []byte(l))
	}
	records := group(NewGrouper(nil), lines)
	require.Len(t, records, 6)
	assert.Equal(t, 2, strings.Count(records[1].text, "\n")+1, "the message and its prefixed next line")
	assert.Equal(t, "2026/12/03 10:00:00 FATAL Ledger - another failure", records[2].text)
	assert.Equal(t, 2, strings.Count(records[4].text, "\n")+1)
	assert.Equal(t, "                    INFO     totals done", records[5].text)
}

// zap's production console encoder starts its records with epoch seconds as a float: the
// stacktrace under an ERROR joins it, the next record does not.
func TestEpochSecondsAreARecordShape(t *testing.T) {
	records := group(NewGrouper(nil), fixtureLines(t, "go_zap_stacktrace"))
	require.Len(t, records, 3)
	assert.Equal(t, Logged, records[1].kind)
	assert.Equal(t, shapeTime, shapeOf([]byte("1764756000.123456 INFO x")))
	assert.Equal(t, noShape, shapeOf([]byte("1.5e+09 is a number")))
	assert.Equal(t, noShape, shapeOf([]byte("3.14159 radians")))
}

// A logged exception and an uncaught one printed right after it are two crashes: only a
// chain's "During handling ..." or "The above exception ..." joins a second traceback.
func TestTwoCrashesBackToBackStayTwoRecords(t *testing.T) {
	records := group(NewGrouper(nil), fixtureLines(t, "python_back_to_back"))
	require.Len(t, records, 2)
	assert.Equal(t, Logged, records[0].kind)
	assert.Equal(t, Exception{Type: "KeyError", Message: "'missing'"}, Describe([]byte(records[0].text)))
	assert.Equal(t, Uncaught, records[1].kind)
	assert.Equal(t, Exception{Type: "ValueError", Message: "bad config"}, Describe([]byte(records[1].text)))
}

// A file of plain lines learns no record shape: each line is also looked at for an error
// word (plainError).
func BenchmarkGroupPlainLines(b *testing.B) {
	line := []byte("processed order 12345 for alice in 12 ms via /api/v1/orders, 3 items, total 42.50 EUR")
	g := NewGrouper(nil)
	g.Start(line)
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		if !g.Continues(line) {
			g.Start(line)
		}
		severity.Parse(line)
	}
}

func BenchmarkGroupOrdinaryLines(b *testing.B) {
	line := []byte("2026-11-25T10:00:00.123Z level=info msg=\"processed order\" order_id=12345 duration_ms=12 user=alice path=/api/v1/orders")
	g := NewGrouper(nil)
	g.Start(line)
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		if !g.Continues(line) {
			g.Start(line)
		}
		severity.Parse(line)
	}
}
