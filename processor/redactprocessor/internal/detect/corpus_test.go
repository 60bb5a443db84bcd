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
// labelled corpus: every secret type at least 99.5 % redacted, at most 0.1 % of the
// harmless look-alikes touched.
func TestCorpusRecallAndFalsePositives(t *testing.T) {
	const perType = 2000
	e := defaultEngine(t)
	g := corpus.New(1)
	mask := func(sp Span) string { return "[REDACTED:" + sp.Type + "]" }

	caught, total := map[string]int{}, map[string]int{}
	var harmless, harmed int
	var misses, harms []string
	types := append(append([]string{}, corpus.SecretTypes...), "")
	for i := 0; i < perType*len(types); i++ {
		rec := g.Next(types[i%len(types)])
		out := Replace(rec.Line, e.Find(rec.Line, nil), mask)
		for _, s := range rec.Secrets {
			total[s.Type]++
			if !strings.Contains(out, s.Value) {
				caught[s.Type]++
			} else if len(misses) < 10 {
				misses = append(misses, s.Type+": "+rec.Line)
			}
		}
		for _, h := range rec.Harmless {
			harmless++
			if !strings.Contains(out, h) {
				harmed++
				if len(harms) < 10 {
					harms = append(harms, h+" in: "+out)
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
	fpRate := 100 * float64(harmed) / float64(harmless)
	fmt.Fprintf(&report, "false positives: %d of %d harmless values (%.3f%%)\n", harmed, harmless, fpRate)
	t.Log("\n" + report.String())
	assert.LessOrEqual(t, fpRate, 0.1, "false-positive rate")
	if t.Failed() {
		t.Logf("missed, for example:\n%s\nharmed, for example:\n%s", strings.Join(misses, "\n"), strings.Join(harms, "\n"))
	}
}
