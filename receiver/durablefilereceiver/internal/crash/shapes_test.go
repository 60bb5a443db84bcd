// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package crash

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// unseenShapes are crashes printed by real runtimes in shapes the rules were not written for
// (testdata/programs/capture.sh, "Shapes the rules were not written for"): where each trace
// stands among ordinary lines. heldOut ones are kept out of tuning, to say how grouping does
// on shapes nobody looked at while changing it.
var unseenShapes = []struct {
	fixture       string
	before, after int
	heldOut       bool
}{
	{fixture: "go_http_panic", before: 1, after: 1},
	{fixture: "python_exception_group", before: 1},
	{fixture: "python_warning_exc_info"},
	{fixture: "python_syntax_error"},
	{fixture: "java_warn_exception", before: 1, after: 1},
	{fixture: "node_console_error_cause", before: 1, after: 1},
	{fixture: "go_race", before: 1, after: 2, heldOut: true},
	{fixture: "python_faulthandler", before: 1, heldOut: true},
	{fixture: "java_thread_dump", before: 1, heldOut: true},
	{fixture: "ruby_logger_error", before: 1, after: 1, heldOut: true},
	{fixture: "ruby_error_highlight", before: 1, heldOut: true},
	{fixture: "php_fatal", before: 1, heldOut: true},
	{fixture: "perl_confess", before: 1, heldOut: true},
}

// The score of grouping on shapes it was not written for: a trace is right when it is one
// record, whole, and every ordinary line around it a record of its own. Before the generic
// layer (shape.go): tuning 0 of 6, held out 0 of 7; with it 5 of 6 and 4 of 7, which are the
// floor here.
func TestTracesOfShapesNoRuleWasWrittenFor(t *testing.T) {
	var tuning, held, tuningRight, heldRight int
	for _, tt := range unseenShapes {
		lines := fixtureLines(t, tt.fixture)
		records := group(NewGrouper(nil), lines)
		right := len(records) == tt.before+1+tt.after &&
			strings.Count(records[tt.before].text, "\n")+1 == len(lines)-tt.before-tt.after
		for i, r := range records {
			if i != tt.before && strings.Contains(r.text, "\n") {
				right = false
			}
		}
		if tt.heldOut {
			held++
		} else {
			tuning++
		}
		switch {
		case !right:
			t.Logf("%s: not one whole record: %d records for %d ordinary lines and one trace", tt.fixture, len(records), tt.before+tt.after)
		case tt.heldOut:
			heldRight++
		default:
			tuningRight++
		}
	}
	t.Logf("traces whole: tuning %d of %d, held out %d of %d", tuningRight, tuning, heldRight, held)
	assert.GreaterOrEqual(t, tuningRight, 5)
	assert.GreaterOrEqual(t, heldRight, 4)
}
