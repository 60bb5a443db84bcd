// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/crash"
)

const criTime = "2026-11-26T10:00:00.123456789Z"

// criLines writes msg as the kubelet does: P chunks of at most 16 KiB, then an F line.
func criLines(stream, msg string) string {
	const chunk = 16 << 10
	var b strings.Builder
	for len(msg) > chunk {
		fmt.Fprintf(&b, "%s %s P %s\n", criTime, stream, msg[:chunk])
		msg = msg[chunk:]
	}
	fmt.Fprintf(&b, "%s %s F %s\n", criTime, stream, msg)
	return b.String()
}

func withFormat(format string) func(*Config) {
	return func(c *Config) { c.Format = format }
}

func TestCRILinesSplitIntoChunksAreJoinedAgain(t *testing.T) {
	f := newFixture(t, withFormat(formatCRI))
	long := strings.Repeat("0123456789", 10_000) // 100 KB: seven chunks
	f.appendTo("0.log", criLines("stdout", "before")+criLines("stdout", long)+criLines("stderr", "after"))
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 3 }, 5*time.Second, 5*time.Millisecond)
	recs := sink.all()
	assert.Equal(t, []string{"before", long, "after"}, sink.bodies())
	assert.Equal(t, "stdout", attr(recs[1], attrIOStream))
	assert.Equal(t, "stderr", attr(recs[2], attrIOStream))
	want, err := time.Parse(time.RFC3339Nano, criTime)
	require.NoError(t, err)
	assert.Equal(t, want.UnixNano(), int64(recs[0].Timestamp()), "the runtime's time")
	_, split := recs[1].Attributes().Get(attrSplitPart)
	assert.False(t, split, "one line, not parts")
}

func TestCRIStackTraceAcrossChunksIsOneCrash(t *testing.T) {
	f := newFixture(t, withFormat(formatCRI))
	trace := []string{
		`Exception in thread "main" java.lang.IllegalStateException: cannot start service`,
		"\tat com.example.App.start(App.java:42)",
		"\tat com.example.App.main(App.java:12)",
	}
	var b strings.Builder
	b.WriteString(criLines("stdout", "starting"))
	// The first line reaches the file in two chunks, as a runtime that split a write does.
	fmt.Fprintf(&b, "%s stderr P %s\n%s stderr F %s\n", criTime, trace[0][:30], criTime, trace[0][30:])
	for _, l := range trace[1:] {
		b.WriteString(criLines("stderr", l))
	}
	b.WriteString(criLines("stdout", "next"))
	f.appendTo("0.log", b.String())
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 3 }, 5*time.Second, 5*time.Millisecond)
	recs := sink.all()
	assert.Equal(t, strings.Join(trace, "\n"), recs[1].Body().Str())
	assert.Equal(t, "java.lang.IllegalStateException", attr(recs[1], attrExceptionType))
	assert.Equal(t, crash.SeverityText(crash.SeverityFatal), recs[1].SeverityText())
	assert.Equal(t, "stderr", attr(recs[1], attrIOStream))
}

// stdout's line is in chunks while stderr writes a whole line: the checkpoint stays before
// stdout's first chunk until its F arrives, so a SIGKILL there neither loses nor splits it.
func TestInterleavedStreamsKeepTheCheckpointBeforeAnUnfinishedLine(t *testing.T) {
	f := newFixture(t, withFormat(formatCRI))
	first := criLines("stdout", "zero")
	pChunk := fmt.Sprintf("%s stdout P %s\n", criTime, "half of a ")
	f.appendTo("0.log", first+pChunk+criLines("stderr", "an error meanwhile"))
	sink := &recorder{}
	stop := f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 2 }, 5*time.Second, 5*time.Millisecond)
	assert.Equal(t, []string{"zero", "an error meanwhile"}, sink.bodies())
	stop()
	assert.Equal(t, []int64{int64(len(first))}, f.checkpointOffsets(), "the checkpoint is at stdout's first chunk")

	// As after a SIGKILL: a new start reads from there; the stdout line arrives whole.
	f.appendTo("0.log", criLines("stdout", "line"))
	again := &recorder{}
	f.start(again)
	require.Eventually(t, func() bool { return len(again.bodies()) == 2 }, 5*time.Second, 5*time.Millisecond)
	assert.Equal(t, []string{"an error meanwhile", "half of a line"}, again.bodies(), "stderr's line again, stdout's whole")
}

func TestDockerJSONLinesAreDecoded(t *testing.T) {
	f := newFixture(t, withFormat(formatDocker))
	f.appendTo("c-json.log", strings.Join([]string{
		`{"log":"plain line\n","stream":"stdout","time":"` + criTime + `"}`,
		`{"log":"quoted \"word\" and a tab\t\n","stream":"stderr","time":"` + criTime + `"}`,
		`{"log":"first half, ","stream":"stdout","time":"` + criTime + `"}`,
		`{"log":"second half\n","stream":"stdout","time":"` + criTime + `"}`,
	}, "\n")+"\n")
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 3 }, 5*time.Second, 5*time.Millisecond)
	assert.Equal(t, []string{"plain line", "quoted \"word\" and a tab\t", "first half, second half"}, sink.bodies())
	assert.Equal(t, "stderr", attr(sink.all()[1], attrIOStream))
}

func TestAutoTellsTheFormatPerFile(t *testing.T) {
	f := newFixture(t, withFormat(formatAuto))
	f.appendTo("cri.log", criLines("stdout", "from cri"))
	f.appendTo("docker.log", `{"log":"from docker\n","stream":"stdout","time":"`+criTime+`"}`+"\n")
	f.appendTo("plain.log", "2026-11-26 plain line\n")
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 3 }, 5*time.Second, 5*time.Millisecond)
	assert.ElementsMatch(t, []string{"from cri", "from docker", "2026-11-26 plain line"}, sink.bodies())
}

func TestParseTimeMatchesTimeParse(t *testing.T) {
	for _, s := range []string{criTime, "2026-11-26T10:00:00Z", "2026-11-26T10:00:00.5Z", "2026-02-28T23:59:59.000000001Z", "2026-11-26T11:00:00.25+01:00"} {
		want, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		got, ok := parseTime([]byte(s))
		assert.True(t, ok, s)
		assert.Equal(t, want.UnixNano(), got, s)
	}
	_, ok := parseTime([]byte("2026-11-26 10:00:00"))
	assert.False(t, ok)
}
