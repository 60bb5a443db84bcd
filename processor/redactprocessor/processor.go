// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package redactprocessor // import "github.com/flightlog/flightlog/processor/redactprocessor"

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"sort"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/flightlog/flightlog/processor/redactprocessor/internal/detect"
	"github.com/flightlog/flightlog/processor/redactprocessor/internal/metadata"
)

const (
	attrCount  = "redaction.count"
	attrTypes  = "redaction.types"
	blockedKey = "blocked_key"
)

type redactor struct {
	cfg       *Config
	engine    *detect.Engine
	blocked   map[string]bool
	allowed   map[string]bool
	hashKey   []byte
	telemetry *metadata.TelemetryBuilder
}

func newRedactor(set processor.Settings, cfg *Config) (*redactor, error) {
	names, err := cfg.detectors()
	if err != nil {
		return nil, err
	}
	custom := make([]detect.Custom, 0, len(cfg.Custom))
	for _, cd := range cfg.Custom {
		re, err := regexp.Compile(cd.Regex)
		if err != nil {
			return nil, err
		}
		custom = append(custom, detect.Custom{Name: cd.Name, Regex: re, Keywords: cd.Keywords, Validator: cd.Validator})
	}
	engine, err := detect.New(names, cfg.BlockedKeys, custom)
	if err != nil {
		return nil, err
	}
	telemetry, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	r := &redactor{cfg: cfg, engine: engine, blocked: map[string]bool{}, allowed: map[string]bool{},
		hashKey: []byte(cfg.HashKey), telemetry: telemetry}
	for _, k := range cfg.BlockedKeys {
		r.blocked[strings.ToLower(k)] = true
	}
	for _, k := range cfg.AllowedKeys {
		r.allowed[strings.ToLower(k)] = true
	}
	return r, nil
}

// counts tallies redactions by detector for one record, without allocating until the
// first redaction.
type counts map[string]int

func (c *counts) add(typ string) {
	if *c == nil {
		*c = counts{}
	}
	(*c)[typ]++
}

func (r *redactor) processLogs(ctx context.Context, ld plog.Logs) (plog.Logs, error) {
	var total counts
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		rl := rls.At(i)
		if r.cfg.Scan.ResourceAttributes {
			var c counts
			r.attributes(rl.Resource().Attributes(), &c)
			total.merge(c)
		}
		sls := rl.ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			recs := sls.At(j).LogRecords()
			for k := 0; k < recs.Len(); k++ {
				lr := recs.At(k)
				var c counts
				if r.cfg.Scan.Body {
					r.value(lr.Body(), &c)
				}
				if r.cfg.Scan.Attributes {
					r.attributes(lr.Attributes(), &c)
				}
				if c != nil && r.cfg.Summary {
					lr.Attributes().PutInt(attrCount, int64(c.sum()))
					lr.Attributes().PutStr(attrTypes, c.types())
				}
				total.merge(c)
			}
		}
	}
	for typ, n := range total {
		r.telemetry.ProcessorRedactRedactions.Add(ctx, int64(n), metric.WithAttributes(attribute.String("detector", typ)))
	}
	return ld, nil
}

func (c *counts) merge(o counts) {
	for k, v := range o {
		if *c == nil {
			*c = counts{}
		}
		(*c)[k] += v
	}
}

func (c counts) sum() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

func (c counts) types() string {
	names := make([]string, 0, len(c))
	for k := range c {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// attributes redacts a map: blocked keys whole, allowed keys not at all, the rest scanned.
func (r *redactor) attributes(m pcommon.Map, c *counts) {
	removed := false
	m.Range(func(k string, v pcommon.Value) bool {
		lk := strings.ToLower(k)
		switch {
		case r.allowed[lk]:
		case r.blocked[lk]:
			c.add(blockedKey)
			if r.cfg.BlockedKeyAction == actionRemove {
				removed = true
				return true
			}
			v.SetStr(r.replacement(r.cfg.BlockedKeyAction, blockedKey, v.AsString()))
		default:
			r.value(v, c)
		}
		return true
	})
	if removed {
		m.RemoveIf(func(k string, _ pcommon.Value) bool { return r.blocked[strings.ToLower(k)] })
	}
}

func (r *redactor) value(v pcommon.Value, c *counts) {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		if out, changed := r.text(v.Str(), c); changed {
			v.SetStr(out)
		}
	case pcommon.ValueTypeMap:
		r.attributes(v.Map(), c)
	case pcommon.ValueTypeSlice:
		s := v.Slice()
		for i := 0; i < s.Len(); i++ {
			r.value(s.At(i), c)
		}
	}
}

// text redacts what the detectors find in s.
func (r *redactor) text(s string, c *counts) (string, bool) {
	spans := r.engine.Find(s, nil)
	if len(spans) == 0 {
		return s, false
	}
	return detect.Replace(s, spans, func(sp detect.Span) string {
		c.add(sp.Type)
		action := r.cfg.Action
		if sp.Type == blockedKey {
			action = r.cfg.BlockedKeyAction
			if action == actionRemove {
				action = actionMask // a value inside a text cannot be removed
			}
		}
		return r.replacement(action, sp.Type, s[sp.Start:sp.End])
	}), true
}

// replacement is [REDACTED:<type>], or with action hash [REDACTED:<type>:<hmac>] so that
// equal values stay recognisable without being readable.
func (r *redactor) replacement(action, typ, secret string) string {
	if action != actionHash {
		return "[REDACTED:" + typ + "]"
	}
	mac := hmac.New(sha256.New, r.hashKey)
	mac.Write([]byte(secret))
	return "[REDACTED:" + typ + ":" + hex.EncodeToString(mac.Sum(nil)[:8]) + "]"
}
