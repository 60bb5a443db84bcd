// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package detect

import (
	"testing"

	"github.com/flightlog/flightlog/processor/redactprocessor/internal/corpus"
)

// FuzzFind checks that any input is handled without panicking, that the spans found are
// in bounds, ordered, disjoint and not empty, and that redaction replaces exactly those
// spans: it never reaches past a detected value into the text around it.
// go test -fuzz FuzzFind ./processor/redactprocessor/internal/detect/
func FuzzFind(f *testing.F) {
	g := corpus.New(7)
	for _, typ := range append(append([]string{}, corpus.SecretTypes...), corpus.VariantTypes...) {
		f.Add(g.Next(typ).Line)
	}
	f.Add("redis://:p4!@ss#w0rd@cache:6379/0")
	f.Add("password=")
	f.Add("-----BEGIN PRIVATE KEY-----")
	f.Add("4111 1111 1111 111")
	f.Add(`"password":"`)
	f.Add(" -p ;") // a flag with nothing after it: panicked once (CI, FuzzFind/1bad9abd011defa7)
	e, err := New(append(append(append([]string{}, SecretDetectors...), DefaultPIIDetectors...), OptInPIIDetectors...), []string{"x-key"}, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spans := e.Find(s, nil)
		last := 0
		for _, sp := range spans {
			if sp.Start < last || sp.End <= sp.Start || sp.End > len(s) {
				t.Fatalf("bad span %+v (previous end %d) in %q", sp, last, s)
			}
			last = sp.End
		}
		// Removing the spans leaves exactly the bytes outside them.
		var outside []byte
		prev := 0
		for _, sp := range spans {
			outside = append(outside, s[prev:sp.Start]...)
			prev = sp.End
		}
		outside = append(outside, s[prev:]...)
		if got := Replace(s, spans, func(Span) string { return "" }); got != string(outside) {
			t.Fatalf("redaction touched text outside the spans: %q -> %q", s, got)
		}
	})
}
