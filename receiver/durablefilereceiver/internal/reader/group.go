// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"regexp"
	"time"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/crash"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/severity"
)

// GroupSettings is crash_detection, with its start patterns compiled.
type GroupSettings struct {
	Enabled  bool
	MaxLines int
	MaxBytes int
	Starts   []*regexp.Regexp
}

// grouper turns one file's lines into records: a stack trace, with the line that announced
// it, becomes one record; every other line is a record of its own. Records go to emit in
// file order and back to back.
type grouper struct {
	set  GroupSettings
	g    *crash.Grouper // nil when crash detection is off
	emit func(text []byte, start, end int64, t Token)
	held heldRecord // a record that more lines may still join
	last lastRecord // the last record emitted of this incarnation
}

// heldRecord is a record that further lines may still join (a stack trace, or a log line
// at error level that a trace may follow). Its bytes are not in any batch yet, so the
// checkpoint stays before it: a record is checkpointed whole or not at all.
type heldRecord struct {
	active     bool
	text       []byte // its lines, joined by '\n'
	start, end int64
	lines      int
	partial    bool      // the last line had no newline
	last       time.Time // when the last line joined
	kind       crash.Kind
	severity   int32
	meta       lineMeta // of its first line
}

// lastRecord remembers how an incarnation of the file ended, for the restart event.
type lastRecord struct {
	partial   bool
	crash     bool
	exception string
}

// RestartEvent describes the end of one incarnation of an application's log file.
type RestartEvent struct {
	Path          string
	PreviousBytes int64
	EndedPartial  bool
	EndedInCrash  bool
	ExceptionType string
}

func newGrouper(set GroupSettings, emit func(text []byte, start, end int64, t Token)) grouper {
	gr := grouper{set: set, emit: emit}
	if set.Enabled {
		gr.g = crash.NewGrouper(set.Starts)
	}
	return gr
}

// line takes one line (or one part of an over-long line) that covers [start, end).
func (gr *grouper) line(tok []byte, start, end int64, part int32, partial bool, m lineMeta) {
	g := gr.g
	if g == nil || part >= 0 {
		// No grouping, or a part of an over-long line: a record of its own. Its level is in
		// its first part, if anywhere.
		gr.flush()
		var sev int32
		if part <= 0 {
			sev = severity.Parse(tok)
		}
		gr.record(tok, start, end, Token{Part: part, Partial: partial, Severity: sev, Time: m.time, Stream: m.stream})
		return
	}
	h := &gr.held
	if h.active && h.lines < gr.set.MaxLines && len(h.text)+1+len(tok) <= gr.set.MaxBytes && g.Continues(tok) {
		h.text = append(append(h.text, '\n'), tok...)
		h.end, h.lines, h.partial, h.last, h.kind = end, h.lines+1, partial, time.Now(), g.Kind()
		return
	}
	gr.flush()
	g.Start(tok)
	if !g.MayContinue() {
		gr.record(tok, start, end, Token{Part: -1, Partial: partial, Severity: g.Severity(), Time: m.time, Stream: m.stream})
		return
	}
	*h = heldRecord{
		active: true, text: append(h.text[:0], tok...), start: start, end: end, lines: 1,
		partial: partial, last: time.Now(), kind: g.Kind(), severity: g.Severity(), meta: m,
	}
}

// quietSince tells whether a record is held and no line joined it for period.
func (gr *grouper) quietSince(now time.Time, period time.Duration) bool {
	return gr.held.active && now.Sub(gr.held.last) >= period
}

// flush emits the held record: no more lines will join it.
func (gr *grouper) flush() {
	h := &gr.held
	if !h.active {
		return
	}
	h.active = false
	sev := h.severity
	switch h.kind {
	case crash.Uncaught:
		sev = severity.Fatal
	case crash.Logged:
		sev = max(sev, severity.Error)
	}
	gr.record(h.text, h.start, h.end, Token{Part: -1, Partial: h.partial, Kind: h.kind, Severity: sev, Time: h.meta.time, Stream: h.meta.stream})
}

func (gr *grouper) record(text []byte, start, end int64, t Token) {
	gr.last = lastRecord{partial: t.Partial, crash: t.Kind != crash.Line}
	if gr.last.crash {
		ex := crash.Describe(text)
		t.Exception = &ex
		gr.last.exception = ex.Type
	}
	gr.emit(text, start, end, t)
}

// restartEvent describes how the incarnation that ends at end finished.
func (gr *grouper) restartEvent(path string, end int64) *RestartEvent {
	return &RestartEvent{
		Path:          path,
		PreviousBytes: end,
		EndedPartial:  gr.last.partial,
		EndedInCrash:  gr.last.crash,
		ExceptionType: gr.last.exception,
	}
}
