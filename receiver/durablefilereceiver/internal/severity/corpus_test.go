// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package severity

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heldOut are the captures kept out of tuning: Parse was written from the forms the package
// comment names and checked against the other captures only; these say how it does on
// libraries nobody tuned it for.
var heldOut = map[string]bool{
	"go_zap_json": true, "go_zap_console": true, "node_winston_json": true, "node_winston_simple": true,
	"node_bunyan": true, "java_jul_two_line": true, "java_jul_one_line": true, "ruby_logger": true,
}

// score is how many lines of a set of captures got the level their library logged them at.
type score struct{ right, lines int }

func (s score) String() string {
	return fmt.Sprintf("%d/%d (%.1f %%)", s.right, s.lines, 100*float64(s.right)/float64(max(1, s.lines)))
}

// What real logging libraries printed (testdata/programs/capture.sh) gets the levels they
// logged at: every line of the tuning set, and of the held-out set at least 95 %.
func TestLevelsOfRealLoggingLibraries(t *testing.T) {
	logs, err := filepath.Glob(filepath.Join("testdata", "captured", "*.log"))
	require.NoError(t, err)
	require.NotEmpty(t, logs)
	var tuning, held score
	for _, path := range logs {
		name := strings.TrimSuffix(filepath.Base(path), ".log")
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		want, err := os.ReadFile(strings.TrimSuffix(path, ".log") + ".labels")
		require.NoError(t, err)
		lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
		labels := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
		require.Len(t, labels, len(lines), name)
		s := &tuning
		if heldOut[name] {
			s = &held
		}
		for i, line := range lines {
			got := Text(Parse(line))
			if got == "" {
				got = "-"
			}
			s.lines++
			if got == labels[i] {
				s.right++
			} else {
				t.Logf("%s line %d: got %s, logged at %s: %s", name, i+1, got, labels[i], line)
			}
		}
	}
	t.Logf("lines with the level they were logged at: tuning %s, held out %s", tuning, held)
	assert.Equal(t, tuning.lines, tuning.right, "tuning set")
	assert.GreaterOrEqual(t, float64(held.right), 0.95*float64(held.lines), "held-out set")
}
