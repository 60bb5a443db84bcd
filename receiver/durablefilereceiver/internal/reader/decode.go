// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/linetime"
)

// The formats a file can be in: the app's own lines, or a container runtime's log of the
// app's stdout and stderr, which the kubelet writes to /var/log/pods.
const (
	FormatPlain  = "plain"
	FormatCRI    = "cri"    // <RFC3339Nano time> <stdout|stderr> <P|F> <message>
	FormatDocker = "docker" // {"log":"message\n","stream":"stdout","time":"..."}
	FormatAuto   = "auto"   // CRI or Docker, told per file by its first line
)

// Streams a runtime line came from.
const (
	StreamNone uint8 = iota
	StreamStdout
	StreamStderr
)

var StreamNames = [...]string{StreamStdout: "stdout", StreamStderr: "stderr"}

// lineMeta is what a runtime line says besides the message.
type lineMeta struct {
	time   int64 // Unix nanoseconds, 0 when unknown
	stream uint8
}

// decoder turns a runtime's log lines back into the app's lines, between the reader's split
// and the grouper, so crash detection sees what the app printed. A line the runtime split
// into P chunks (the kubelet splits at 16 KiB) is joined again, up to max_log_size, per
// stream, before it goes on. Its record covers the file from its first chunk to its F line.
// While a stream has an unfinished line, what goes on from the other stream is given an end
// no later than that line's first chunk: the checkpoint never passes it, so a SIGKILL
// between a P chunk and its F neither loses nor splits the line (what was sent of the
// other stream meanwhile is sent again).
type decoder struct {
	format     string // plain, cri or docker; auto until the file's first line
	maxLogSize int
	next       func(text []byte, start, end int64, part int32, partial bool, m lineMeta)
	pending    [3]pendingLine // by stream
	lastEnd    int64
}

// pendingLine is a line whose P chunks arrived and whose F did not yet.
type pendingLine struct {
	active bool
	text   []byte
	start  int64
	meta   lineMeta
	part   int32 // the next part's index once it outgrew max_log_size, or -1
}

func newDecoder(format string, maxLogSize int, next func(text []byte, start, end int64, part int32, partial bool, m lineMeta)) decoder {
	d := decoder{format: format, maxLogSize: maxLogSize, next: next}
	for i := range d.pending {
		d.pending[i].part = -1
	}
	return d
}

// line takes one line of the file (or one part of an over-long one) that covers [start, end).
func (d *decoder) line(tok []byte, start, end int64, part int32, partial bool) {
	if d.format == FormatAuto {
		d.format = detectFormat(tok)
	}
	var msg []byte
	var m lineMeta
	full, ok := false, false
	switch d.format {
	case FormatCRI:
		msg, m, full, ok = parseCRI(tok)
	case FormatDocker:
		msg, m, full, ok = parseDocker(tok)
	}
	if !ok || part >= 0 || partial {
		// The app's own line, or not what the runtime writes: on as it is.
		d.emit(tok, start, end, part, partial, lineMeta{})
		return
	}
	p := &d.pending[m.stream]
	if !full {
		if !p.active {
			p.active, p.start, p.meta, p.text = true, start, m, p.text[:0]
		}
		if len(p.text)+len(msg) > d.maxLogSize && len(p.text) > 0 {
			// Longer than max_log_size: what was joined goes on as a marked part.
			p.part = max(p.part, 0)
			d.emitPending(p, start, false)
			p.active, p.start, p.part, p.text = true, start, p.part+1, p.text[:0]
		}
		p.text = append(p.text, msg...)
		return
	}
	if !p.active {
		d.emit(msg, start, end, -1, false, m)
		return
	}
	p.text = append(p.text, msg...)
	d.emitPending(p, end, false)
	p.part = -1
}

// flush sends unfinished lines as they are, marked partial: the file ended without their F.
func (d *decoder) flush(end int64) {
	for i := range d.pending {
		if p := &d.pending[i]; p.active {
			d.emitPending(p, end, true)
			p.part = -1
		}
	}
}

func (d *decoder) emitPending(p *pendingLine, end int64, partial bool) {
	p.active = false
	d.emit(p.text, p.start, end, p.part, partial, p.meta)
}

// emit hands a line on with an end that does not pass another stream's unfinished line.
func (d *decoder) emit(text []byte, start, end int64, part int32, partial bool, m lineMeta) {
	for i := range d.pending {
		if p := &d.pending[i]; p.active && p.start < end {
			end = p.start
		}
	}
	end = max(end, d.lastEnd)
	d.lastEnd = end
	d.next(text, min(start, end), end, part, partial, m)
}

// detectFormat tells a runtime's format by a file's first line.
func detectFormat(line []byte) string {
	if _, _, _, ok := parseDocker(line); ok {
		return FormatDocker
	}
	if _, _, _, ok := parseCRI(line); ok {
		return FormatCRI
	}
	return FormatPlain
}

// parseCRI reads "2026-11-26T10:00:00.123456789Z stdout F message". full is false for a P
// chunk. No regular expression: a fixed layout scanned once.
func parseCRI(b []byte) (msg []byte, m lineMeta, full, ok bool) {
	sp := bytes.IndexByte(b, ' ')
	if sp < len("2006-01-02T15:04:05Z") {
		return nil, m, false, false
	}
	if m.time, ok = parseTime(b[:sp]); !ok {
		return nil, m, false, false
	}
	rest := b[sp+1:]
	switch {
	case hasPrefix(rest, "stdout "):
		m.stream = StreamStdout
	case hasPrefix(rest, "stderr "):
		m.stream = StreamStderr
	default:
		return nil, m, false, false
	}
	rest = rest[len("stdout "):]
	// The tag is P or F, possibly followed by more tags after ':'.
	if len(rest) == 0 || (rest[0] != 'P' && rest[0] != 'F') || (len(rest) > 1 && rest[1] != ' ' && rest[1] != ':') {
		return nil, m, false, false
	}
	full = rest[0] == 'F'
	if i := bytes.IndexByte(rest, ' '); i >= 0 {
		msg = rest[i+1:]
	}
	return msg, m, full, true
}

// parseDocker reads Docker's json-file line, {"log":"message\n","stream":"stderr","time":"..."}.
// full is false for a chunk of a longer line (Docker splits at 16 KiB): its log has no "\n".
func parseDocker(b []byte) (msg []byte, m lineMeta, full, ok bool) {
	const head = `{"log":"`
	if !hasPrefix(b, head) {
		return nil, m, false, false
	}
	escaped := false
	end := -1
	for i := len(head); i < len(b); i++ {
		if b[i] == '\\' {
			escaped = true
			i++
			continue
		}
		if b[i] == '"' {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, m, false, false
	}
	raw := b[len(head):end]
	full = bytes.HasSuffix(raw, []byte(`\n`)) && escapes(raw[:len(raw)-1])
	if full {
		raw = raw[:len(raw)-2]
	}
	msg = raw
	if escaped && bytes.IndexByte(raw, '\\') >= 0 {
		// Escapes other than the final \n: rare in logs, so encoding/json may allocate.
		quoted := make([]byte, 0, len(raw)+2)
		quoted = append(append(append(quoted, '"'), raw...), '"')
		var s string
		if json.Unmarshal(quoted, &s) != nil {
			return nil, m, false, false
		}
		msg = []byte(s)
	}
	rest := b[end+1:]
	switch {
	case hasPrefix(rest, `,"stream":"stdout"`):
		m.stream = StreamStdout
	case hasPrefix(rest, `,"stream":"stderr"`):
		m.stream = StreamStderr
	default:
		return nil, m, false, false
	}
	rest = rest[len(`,"stream":"stdout"`):]
	if hasPrefix(rest, `,"time":"`) {
		rest = rest[len(`,"time":"`):]
		if q := bytes.IndexByte(rest, '"'); q > 0 {
			m.time, _ = parseTime(rest[:q])
		}
	}
	return msg, m, full, true
}

// escapes tells whether a JSON string's bytes end in a backslash that escapes the next
// byte: an odd run of them (`\\n` is a backslash and an n, not a newline).
func escapes(b []byte) bool {
	n := len(b) - len(bytes.TrimRight(b, `\`))
	return n%2 == 1
}

func hasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }

// parseTime reads an RFC 3339 time with up to nanoseconds. The runtimes write UTC
// ("...Z"), which is read digit by digit; anything else goes through time.Parse.
func parseTime(b []byte) (int64, bool) {
	if n := len(b); n >= 20 && b[n-1] == 'Z' && b[10] == 'T' && (n == 20 || b[19] == '.') {
		sec, ok := linetime.DateTime(b)
		nsec, f := linetime.Fraction(b[19:])
		if ok && 19+f == n-1 && f <= 10 {
			return sec*int64(time.Second) + int64(nsec), true
		}
	}
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return 0, false
	}
	return t.UnixNano(), true
}
