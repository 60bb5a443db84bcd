// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"bytes"
	"path/filepath"
	"time"
	"unicode/utf8"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"golang.org/x/text/encoding"
)

const (
	attrFileName = "log.file.name"
	attrFilePath = "log.file.path"
	// attrSplitPart marks the parts of a line longer than max_log_size, numbered from 0.
	attrSplitPart = "flightlog.split.part"
)

var replacementChar = []byte("\uFFFD")

// token is one record inside a batch's raw bytes.
type token struct {
	start, end int32
	// part is the index of this piece of an over-long line, or -1 for a whole line.
	part int32
}

// batch is a contiguous byte range of one file, kept raw so that it can be turned into
// plog again for every delivery attempt: a consumer may modify what it was given, so a
// retry must not reuse it.
type batch struct {
	raw    []byte
	tokens []token
	// [start, end) is the file's byte range this batch covers, newlines included.
	start, end int64
	seq        uint64
	acks       *ackTracker
	path       string
	observed   time.Time
}

// recordBuilder turns batches into plog with the receiver's fixed settings.
type recordBuilder struct {
	resource        map[string]string
	scopeName       string
	scopeVersion    string
	includeFileName bool
	includeFilePath bool
	encoding        encoding.Encoding // nil for UTF-8
}

func (rb *recordBuilder) build(b *batch) plog.Logs {
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
	recs.EnsureCapacity(len(b.tokens))

	ts := pcommon.NewTimestampFromTime(b.observed)
	name := filepath.Base(b.path)
	for _, t := range b.tokens {
		lr := recs.AppendEmpty()
		lr.SetObservedTimestamp(ts)
		lr.Body().SetStr(rb.text(b.raw[t.start:t.end]))
		if rb.includeFileName || rb.includeFilePath || t.part >= 0 {
			attrs := lr.Attributes()
			if rb.includeFileName {
				attrs.PutStr(attrFileName, name)
			}
			if rb.includeFilePath {
				attrs.PutStr(attrFilePath, b.path)
			}
			if t.part >= 0 {
				attrs.PutInt(attrSplitPart, int64(t.part))
			}
		}
	}
	return logs
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
