// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package detect

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/flightlog/flightlog/processor/redactprocessor/internal/corpus"
)

// TestCorpusRecallAndFalsePositives measures the default detectors on the generated,
// labelled corpus: every secret type (and variant) at least 99.5 % redacted, at most 0.1 %
// of each kind of harmless look-alike touched.
func TestCorpusRecallAndFalsePositives(t *testing.T) {
	const perType = 2000
	e := defaultEngine(t)
	g := corpus.New(1)
	mask := func(sp Span) string { return "[REDACTED:" + sp.Type + "]" }

	caught, total := map[string]int{}, map[string]int{}
	harmless, harmed := map[string]int{}, map[string]int{}
	var misses, harms []string
	types := append(append(append([]string{}, corpus.SecretTypes...), corpus.VariantTypes...), "")
	for i := 0; i < perType*len(types); i++ {
		rec := g.Next(types[i%len(types)])
		spans := e.Find(rec.Line, nil)
		out := Replace(rec.Line, spans, mask)
		for _, s := range rec.Secrets {
			total[s.Type]++
			// Caught only when every byte of it is redacted: "[REDACTED] monkey dishwasher"
			// leaks a passphrase.
			at := strings.Index(rec.Line, s.Value)
			if covered(spans, at, at+len(s.Value)) {
				caught[s.Type]++
			} else if len(misses) < 10 {
				misses = append(misses, s.Type+": "+out)
			}
		}
		for _, h := range rec.Harmless {
			harmless[h.Kind]++
			if !strings.Contains(out, h.Value) {
				harmed[h.Kind]++
				if len(harms) < 10 {
					harms = append(harms, h.Value+" in: "+out)
				}
			}
		}
	}

	names := make([]string, 0, len(total))
	for n := range total {
		names = append(names, n)
	}
	sort.Strings(names)
	var report strings.Builder
	fmt.Fprintf(&report, "%-22s %8s %8s\n", "detector", "secrets", "recall")
	for _, n := range names {
		recall := 100 * float64(caught[n]) / float64(total[n])
		fmt.Fprintf(&report, "%-22s %8d %7.2f%%\n", n, total[n], recall)
		assert.GreaterOrEqual(t, recall, 99.5, "recall of %s", n)
	}
	kinds := make([]string, 0, len(harmless))
	for k := range harmless {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	fmt.Fprintf(&report, "%-22s %8s %8s\n", "look-alike", "values", "touched")
	for _, k := range kinds {
		fpRate := 100 * float64(harmed[k]) / float64(harmless[k])
		fmt.Fprintf(&report, "%-22s %8d %7.3f%%\n", k, harmless[k], fpRate)
		assert.LessOrEqual(t, fpRate, 0.1, "false-positive rate of %s", k)
	}
	t.Log("\n" + report.String())
	if t.Failed() {
		t.Logf("missed, for example:\n%s\nharmed, for example:\n%s", strings.Join(misses, "\n"), strings.Join(harms, "\n"))
	}
}

// covered tells whether spans, sorted and disjoint, cover bytes [start, end).
func covered(spans []Span, start, end int) bool {
	for _, sp := range spans {
		if sp.Start <= start && start < sp.End {
			start = sp.End
		}
	}
	return start >= end
}
