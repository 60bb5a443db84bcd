// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"time"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/crash"
)

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
}

// lastRecord remembers how an incarnation of the file ended, for the restart event.
type lastRecord struct {
	partial   bool
	crash     bool
	exception string
}

// restartEvent describes the end of one incarnation of an application's log file.
type restartEvent struct {
	path          string
	previousBytes int64
	endedPartial  bool
	endedInCrash  bool
	exceptionType string
}

// line routes one line (or one part of an over-long line) that covers [start, end).
func (rd *reader) line(ctx context.Context, tok []byte, start, end int64, part int32, partial bool) {
	g := rd.grouper
	if g == nil || part >= 0 {
		// No grouping, or a part of an over-long line: a record of its own.
		rd.emitHeld(ctx)
		rd.emit(ctx, tok, start, end, token{part: part, partial: partial})
		return
	}
	h := &rd.held
	limits := rd.r.cfg.CrashDetection
	if h.active && h.lines < limits.MaxLines && len(h.text)+1+len(tok) <= int(limits.MaxBytes) && g.Continues(tok) {
		h.text = append(append(h.text, '\n'), tok...)
		h.end, h.lines, h.partial, h.last, h.kind = end, h.lines+1, partial, time.Now(), g.Kind()
		return
	}
	rd.emitHeld(ctx)
	g.Start(tok)
	if !g.MayContinue() {
		rd.emit(ctx, tok, start, end, token{part: -1, partial: partial, severity: g.Severity()})
		return
	}
	*h = heldRecord{
		active: true, text: append(h.text[:0], tok...), start: start, end: end, lines: 1,
		partial: partial, last: time.Now(), kind: g.Kind(), severity: g.Severity(),
	}
}

// emitHeld sends the held record on its way.
func (rd *reader) emitHeld(ctx context.Context) {
	h := &rd.held
	if !h.active {
		return
	}
	h.active = false
	sev := h.severity
	switch h.kind {
	case crash.Uncaught:
		sev = crash.SeverityFatal
	case crash.Logged:
		sev = max(sev, crash.SeverityError)
	}
	rd.emit(ctx, h.text, h.start, h.end, token{part: -1, partial: h.partial, kind: h.kind, severity: sev})
}

func (rd *reader) emit(ctx context.Context, text []byte, start, end int64, t token) {
	rd.last = lastRecord{partial: t.partial, crash: t.kind != crash.Line}
	if rd.last.crash {
		ex := crash.Describe(text)
		t.exception = &ex
		rd.last.exception = ex.Type
	}
	rd.add(ctx, text, start, end, t)
}

// addRestartEvent adds the event that marks where the app's previous run ended.
func (rd *reader) addRestartEvent(ctx context.Context) {
	end := rd.readPos
	rd.add(ctx, nil, end, end, token{part: -1, restart: &restartEvent{
		path:          rd.currentPath(),
		previousBytes: end,
		endedPartial:  rd.last.partial,
		endedInCrash:  rd.last.crash,
		exceptionType: rd.last.exception,
	}})
}
