// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"bytes"
	"path/filepath"
	"strconv"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"golang.org/x/text/encoding"

	"github.com/flightlog/flightlog/internal/restartevent"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/crash"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/severity"
)

const (
	attrFileName = "log.file.name"
	attrFilePath = "log.file.path"
	// attrSplitPart marks the parts of a line longer than max_log_size, numbered from 0.
	attrSplitPart = "flightlog.split.part"
	// attrPartial marks a record whose last line ended without a newline.
	attrPartial = "log.record.partial"
	// attrIOStream is the stream a container runtime's line came from (semantic conventions).
	attrIOStream = "log.iostream"
	// The container and its restart count, from the kubelet's path of a container log.
	attrContainerName     = "k8s.container.name"
	attrContainerRestarts = "k8s.container.restart_count"

	attrExceptionType       = "exception.type"
	attrExceptionMessage    = "exception.message"
	attrExceptionStacktrace = "exception.stacktrace"

	// The flight recorder's: a record held back that a trigger shipped, and the trigger a
	// record ships for (on the trigger itself, too): one query finds a crash with its context.
	attrRecorderBackfill = "flightlog.recorder.backfill"
	attrRecorderTrigger  = "flightlog.recorder.trigger"

	attrRestartPrevious     = "flightlog.restart.previous_bytes"
	attrRestartEndedPartial = "flightlog.restart.ended_partial"
	attrRestartEndedInCrash = "flightlog.restart.ended_in_crash"
)

var replacementChar = []byte("\uFFFD")

// recordBuilder turns batches into plog with the receiver's fixed settings.
type recordBuilder struct {
	resource        map[string]string
	scopeName       string
	scopeVersion    string
	includeFileName bool
	includeFilePath bool
	encoding        encoding.Encoding // nil for UTF-8
	// containerLogs: the files may be the kubelet's container logs, whose path names the
	// container and its restart count.
	containerLogs bool
}

// build turns batches, of one file or of several, into one plog.Logs.
func (rb *recordBuilder) build(batches ...*reader.Batch) plog.Logs {
	logs := plog.NewLogs()
	rl := logs.ResourceLogs().AppendEmpty()
	res := rl.Resource().Attributes()
	res.EnsureCapacity(len(rb.resource))
	for k, v := range rb.resource {
		res.PutStr(k, v)
	}
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName(rb.scopeName)
	sl.Scope().SetVersion(rb.scopeVersion)
	recs := sl.LogRecords()
	n := 0
	for _, b := range batches {
		n += len(b.Tokens)
	}
	recs.EnsureCapacity(n)
	for _, b := range batches {
		rb.append(recs, b)
	}
	return logs
}

func (rb *recordBuilder) append(recs plog.LogRecordSlice, b *reader.Batch) {
	ts := pcommon.NewTimestampFromTime(b.Observed)
	name := filepath.Base(b.Path)
	container, restarts, inLayout := "", 0, false
	if rb.containerLogs {
		container, restarts, inLayout = kubeletLogPath(b.Path)
	}
	for _, t := range b.Tokens {
		if t.Held {
			continue // in the file, not exported
		}
		lr := recs.AppendEmpty()
		lr.SetObservedTimestamp(ts)
		attrs := lr.Attributes()
		if rb.includeFileName {
			attrs.PutStr(attrFileName, name)
		}
		if rb.includeFilePath {
			attrs.PutStr(attrFilePath, b.Path)
		}
		if inLayout {
			attrs.PutStr(attrContainerName, container)
			attrs.PutInt(attrContainerRestarts, int64(restarts))
		}
		if t.Restart != nil {
			restartRecord(lr, t.Restart)
			continue
		}
		text := b.Raw[t.Start:t.End]
		if t.Kind != crash.Line {
			text = bytes.TrimRight(text, "\n") // blank lines a trace ended with
		}
		body := rb.text(text)
		lr.Body().SetStr(body)
		if t.Severity != 0 {
			lr.SetSeverityNumber(plog.SeverityNumber(t.Severity))
			lr.SetSeverityText(severity.Text(t.Severity))
		}
		if t.Time != 0 {
			lr.SetTimestamp(pcommon.Timestamp(t.Time))
		}
		if t.Stream != reader.StreamNone {
			attrs.PutStr(attrIOStream, reader.StreamNames[t.Stream])
		}
		if t.Part >= 0 {
			attrs.PutInt(attrSplitPart, int64(t.Part))
		}
		if t.Partial {
			attrs.PutBool(attrPartial, true)
		}
		if t.Backfill {
			attrs.PutBool(attrRecorderBackfill, true)
		}
		if t.Trigger != 0 {
			attrs.PutStr(attrRecorderTrigger, triggerID(b.Key, t.Trigger-1))
		}
		if ex := t.Exception; ex != nil {
			if ex.Type != "" {
				attrs.PutStr(attrExceptionType, ex.Type)
			}
			if ex.Message != "" {
				attrs.PutStr(attrExceptionMessage, ex.Message)
			}
			attrs.PutStr(attrExceptionStacktrace, body)
		}
	}
}

// triggerID names the trigger that begins at offset in the file incarnation under key:
// the same after a restart, which ships its window again.
func triggerID(key string, offset int64) string {
	return strconv.FormatUint(xxhash.Sum64String(key), 16) + "-" + strconv.FormatInt(offset, 10)
}

// restartRecord fills the event that marks where an application's previous run ended.
func restartRecord(lr plog.LogRecord, ev *reader.RestartEvent) {
	lr.Body().SetStr("application log started over: the previous run of the app ended here")
	lr.SetSeverityNumber(plog.SeverityNumberInfo)
	lr.SetSeverityText("INFO")
	if ev.EndedInCrash {
		lr.SetSeverityNumber(plog.SeverityNumberWarn)
		lr.SetSeverityText("WARN")
	}
	attrs := lr.Attributes()
	attrs.PutStr(restartevent.AttrEventName, restartevent.Name)
	attrs.PutStr(attrFilePath, ev.Path)
	attrs.PutInt(attrRestartPrevious, ev.PreviousBytes)
	attrs.PutBool(attrRestartEndedPartial, ev.EndedPartial)
	attrs.PutBool(attrRestartEndedInCrash, ev.EndedInCrash)
	if ev.ExceptionType != "" {
		attrs.PutStr(attrExceptionType, ev.ExceptionType)
	}
}

// text converts a token to a valid UTF-8 string: OTLP strings must be UTF-8 and a backend
// that rejects one record would refuse the whole batch forever. Invalid bytes become U+FFFD.
func (rb *recordBuilder) text(p []byte) string {
	if rb.encoding != nil {
		if out, err := rb.encoding.NewDecoder().Bytes(p); err == nil {
			p = out
		}
	}
	if utf8.Valid(p) {
		return string(p)
	}
	return string(bytes.ToValidUTF8(p, replacementChar))
}
