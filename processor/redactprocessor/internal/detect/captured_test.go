// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package detect

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// capturedScore is what the default detectors do to one set of captured logs.
type capturedScore struct {
	caught, total     map[string]int // secrets, by type: caught when every byte is redacted
	harmed, harmless  map[string]int // look-alikes, by kind: harmed when any byte is redacted
	wrongLines, lines int            // lines with a redaction that touches no secret
	misses, wrongs    []string
}

func (s capturedScore) recall() float64 { return ratio(sum(s.caught), sum(s.total)) }

// falsePositives is the share of lines with a redaction that no secret explains.
func (s capturedScore) falsePositives() float64 { return ratio(s.wrongLines, s.lines) }

func ratio(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// scoreCaptured runs the default detectors over testdata/captured/<set>/*.log, the output
// of real runtimes and libraries logging the values in <set>.labels (see
// testdata/programs/capture.sh).
func scoreCaptured(t *testing.T, set string) capturedScore {
	e := defaultEngine(t)
	labels, err := os.ReadFile(filepath.Join("testdata", "captured", set+".labels"))
	require.NoError(t, err)
	logs, err := filepath.Glob(filepath.Join("testdata", "captured", set, "*.log"))
	require.NoError(t, err)
	require.NotEmpty(t, logs)
	var lines []string
	for _, f := range logs {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		lines = append(lines, strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")...)
	}

	type label struct {
		secret     bool
		typ, value string
	}
	var ls []label
	for _, l := range strings.Split(strings.TrimSpace(string(labels)), "\n") {
		kind, rest, _ := strings.Cut(l, "\t")
		typ, value, _ := strings.Cut(rest, "\t")
		ls = append(ls, label{kind == "secret", typ, value})
	}
	sc := capturedScore{caught: map[string]int{}, total: map[string]int{}, harmed: map[string]int{}, harmless: map[string]int{}, lines: len(lines)}
	spans := make([][]Span, len(lines))
	explained := make([][]bool, len(lines)) // per line, per span: covers a secret's byte
	for i, line := range lines {
		spans[i] = e.Find(line, nil)
		explained[i] = make([]bool, len(spans[i]))
	}
	// Every occurrence of a value, found in the text of all lines at once: a line never holds
	// a newline, so an occurrence lies in one line, found by its offset.
	text := strings.Join(lines, "\n")
	starts := make([]int, len(lines))
	for i, off := 1, len(lines[0])+1; i < len(lines); i++ {
		starts[i] = off
		off += len(lines[i]) + 1
	}
	seen := map[string]bool{}
	for _, l := range ls {
		if seen[l.value] {
			continue // a value drawn twice counts once
		}
		seen[l.value] = true
		found := false
		for _, form := range forms(l.value) {
			for off := 0; ; {
				k := strings.Index(text[off:], form)
				if k < 0 {
					break
				}
				off += k + len(form)
				found = true
				i := sort.SearchInts(starts, off-len(form)+1) - 1
				at, end := off-len(form)-starts[i], off-starts[i]
				if l.secret {
					sc.total[l.typ]++
					if covered(spans[i], at, end) {
						sc.caught[l.typ]++
					} else if len(sc.misses) < 40 {
						sc.misses = append(sc.misses, l.typ+": "+lines[i])
					}
					for k, sp := range spans[i] {
						if sp.Start < end && at < sp.End {
							explained[i][k] = true
						}
					}
					continue
				}
				sc.harmless[l.typ]++
				for _, sp := range spans[i] {
					if sp.Start < end && at < sp.End {
						sc.harmed[l.typ]++
						break
					}
				}
			}
		}
		if l.secret {
			assert.True(t, found, "secret %q of %s is in no captured log: recapture", l.value, set)
		}
	}
	for i := range lines {
		for k := range spans[i] {
			if !explained[i][k] {
				sc.wrongLines++
				if len(sc.wrongs) < 40 {
					sp := spans[i][k]
					sc.wrongs = append(sc.wrongs, sp.Type+" "+lines[i][sp.Start:sp.End]+" in: "+lines[i])
				}
				break
			}
		}
	}
	return sc
}

// forms are the ways a value appears in a log: as it is, escaped for a shell the way Ruby's
// Shellwords and bash's printf %q do (a backslash before each special byte), and with '/'
// escaped as JSON allows and lua-cjson writes it (\/).
func forms(v string) []string {
	out := shellForms(v)
	if strings.Contains(v, "/") {
		out = append(out, strings.ReplaceAll(v, "/", `\/`))
	}
	return out
}

func shellForms(v string) []string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if c := v[i]; !isAlnum(c) && strings.IndexByte("_-.,:+/@", c) < 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(v[i])
	}
	if b.String() == v {
		return []string{v}
	}
	return []string{v, b.String()}
}

func (s capturedScore) report(set string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: recall %.2f%% (%d of %d secrets), false positives %.2f%% of %d lines\n",
		set, s.recall(), sum(s.caught), sum(s.total), s.falsePositives(), s.lines)
	for _, m := range []struct {
		name    string
		n, of   map[string]int
		missing bool
	}{{"secret", s.caught, s.total, true}, {"look-alike", s.harmed, s.harmless, false}} {
		var keys []string
		for k := range m.of {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "  %-10s %-22s %5d of %5d\n", m.name, k, m.n[k], m.of[k])
		}
	}
	return b.String()
}

// TestCapturedRecallAndFalsePositives scores the default detectors on logs printed by real
// runtimes (testdata/programs/capture.sh). Each set's SaaS providers, header names and
// command-line tools appear in no other set. tuning was tuned on from the start; round2 to
// round12 were the held-out sets of the first eleven rounds, then tuned on; heldout was
// captured before the twelfth round and never looked at line by line. Recall and lines with
// a wrong redaction, before #26 (9b9cd5d) -> after the round each set was held out in:
// round2 63.74 % and 2.49 % -> 93.21 % and 1.02 %; round3 62.33 % and 3.95 % -> 92.64 % and
// 0.00 %; round4 70.81 % and 3.77 % -> 91.77 % and 0.00 %; round5 68.37 % and 0.00 % ->
// 96.10 % before the fourth round and 98.05 % after it, 0.00 %; round6 97.22 % before the
// fifth round and 98.20 % after it; round7 97.01 % before the sixth round and 97.31 % after
// it; round8 98.21 % before and after the seventh; round9 (programs that print rather than
// log) 91.87 % before and after the eighth; round10 (Log4j 2, Elixir) 93.32 % before the
// ninth and 93.62 % after it; round11 (Erlang, Lua) 75.46 % before and after the tenth;
// round12 (PHP's var_dump, Ruby's pp and Structs) 86.12 % before the eleventh and 88.00 %
// after it; heldout (PyYAML, console.table) 82.88 % before the twelfth and after it, all
// 0.00 %. The floors are what each set measured when they were set; the issue's
// target, 99 % recall and at most 0.1 % false positives on data no tuning saw, is not met
// by heldout.
func TestCapturedRecallAndFalsePositives(t *testing.T) {
	for _, c := range []struct {
		set    string
		recall float64
	}{{"tuning", 99.9}, {"round2", 99.3}, {"round3", 99.6}, {"round4", 99.8}, {"round5", 99.9}, {"round6", 99.0}, {"round7", 99.7}, {"round8", 99.3}, {"round9", 98.4}, {"round10", 99.9}, {"round11", 91.3}, {"round12", 91.7}, {"heldout", 82.8}} {
		t.Run(c.set, func(t *testing.T) {
			sc := scoreCaptured(t, c.set)
			t.Log("\n" + sc.report(c.set))
			assert.GreaterOrEqual(t, sc.recall(), c.recall, "recall")
			assert.LessOrEqual(t, sc.falsePositives(), 0.1, "false positives")
			if t.Failed() && c.set != "heldout" {
				t.Logf("missed:\n%s\nwrong:\n%s", strings.Join(sc.misses, "\n"), strings.Join(sc.wrongs, "\n"))
			}
		})
	}
}
