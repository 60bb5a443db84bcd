// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/flightlog/flightlog/internal/restartevent"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
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
	f := newFixture(t, withFormat(reader.FormatCRI))
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
	f := newFixture(t, withFormat(reader.FormatCRI))
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
	assert.Equal(t, "FATAL", recs[1].SeverityText())
	assert.Equal(t, "stderr", attr(recs[1], attrIOStream))
}

// stdout's line is in chunks while stderr writes a whole line: the checkpoint stays before
// stdout's first chunk until its F arrives, so a SIGKILL there neither loses nor splits it.
func TestInterleavedStreamsKeepTheCheckpointBeforeAnUnfinishedLine(t *testing.T) {
	f := newFixture(t, withFormat(reader.FormatCRI))
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
	f := newFixture(t, withFormat(reader.FormatDocker))
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
	f := newFixture(t, withFormat(reader.FormatAuto))
	f.appendTo("cri.log", criLines("stdout", "from cri"))
	f.appendTo("docker.log", `{"log":"from docker\n","stream":"stdout","time":"`+criTime+`"}`+"\n")
	f.appendTo("plain.log", "2026-11-26 plain line\n")
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 3 }, 5*time.Second, 5*time.Millisecond)
	assert.ElementsMatch(t, []string{"from cri", "from docker", "2026-11-26 plain line"}, sink.bodies())
}

// kubeletFixture reads <container>/<n>.log files in format, as the kubelet lays them out;
// app is the container "app"'s directory.
func kubeletFixture(t *testing.T, format string) (f *fixture, app string) {
	var dir string
	f = newFixture(t, func(c *Config) {
		c.Format = format
		dir = filepath.Dir(c.Include[0])
		c.Include = []string{filepath.Join(dir, "*", "*.log")}
	})
	app = filepath.Join(dir, "app")
	require.NoError(t, os.MkdirAll(app, 0o755))
	return f, app
}

// The kubelet's layout: <container>/<restart count>.log. When the container restarts after a
// crash, the old file is finished with a restart event that says how the run ended, and every
// record says which container and which run it came from.
func TestContainerRestartFinishesThePreviousLogWithARestartEvent(t *testing.T) {
	f, app := kubeletFixture(t, reader.FormatAuto)
	dir := filepath.Dir(app)
	crashed := criLines("stdout", "serving") +
		criLines("stderr", "panic: assignment to entry in nil map") + criLines("stderr", "") +
		criLines("stderr", "goroutine 1 [running]:") + criLines("stderr", "main.main()") +
		criLines("stderr", "\t/app/main.go:9 +0x25") + criLines("stderr", "exit status 2")
	f.appendTo(filepath.Join("app", "0.log"), crashed)
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 2 }, 5*time.Second, 5*time.Millisecond)
	f.appendTo(filepath.Join("app", "1.log"), criLines("stdout", "serving again"))
	require.Eventually(t, func() bool { return len(sink.all()) == 4 }, 10*time.Second, 5*time.Millisecond, "3 records and the event")

	var event plog.LogRecord
	byRun := map[int64][]string{}
	for _, r := range sink.all() {
		if _, ok := r.Attributes().Get(restartevent.AttrEventName); ok {
			event = r
			continue
		}
		assert.Equal(t, "app", attr(r, attrContainerName))
		restarts, _ := r.Attributes().Get(attrContainerRestarts)
		byRun[restarts.Int()] = append(byRun[restarts.Int()], strings.SplitN(r.Body().Str(), "\n", 2)[0])
	}
	assert.Equal(t, map[int64][]string{0: {"serving", "panic: assignment to entry in nil map"}, 1: {"serving again"}}, byRun)
	require.NotEqual(t, plog.LogRecord{}, event, "no restart event")
	assert.Equal(t, "true", attr(event, attrRestartEndedInCrash))
	assert.Equal(t, "panic", attr(event, attrExceptionType))
	assert.Equal(t, filepath.Join(dir, "app", "0.log"), attr(event, attrFilePath))
}

// The kubelet rotates 0.log to 0.log.<time> and compresses older files: the renamed file is
// read to its end, the new 0.log from its start, and a .gz never; no restart event, since the
// container did not restart.
func TestKubeletRotationReadsTheRenamedFileAndNeverAGz(t *testing.T) {
	f, app := kubeletFixture(t, reader.FormatCRI)
	require.NoError(t, os.WriteFile(filepath.Join(app, "0.log.20261126-090000.gz"), []byte("\x1f\x8b\x08 not for reading\n"), 0o644))
	f.appendTo(filepath.Join("app", "0.log"), criLines("stdout", "one"))
	sink := &recorder{}
	f.start(sink)
	require.Eventually(t, func() bool { return len(sink.bodies()) == 1 }, 5*time.Second, 5*time.Millisecond)
	fh, err := os.OpenFile(filepath.Join(app, "0.log"), os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	require.NoError(t, os.Rename(filepath.Join(app, "0.log"), filepath.Join(app, "0.log.20261126-100000")))
	_, err = fh.WriteString(criLines("stdout", "two")) // the runtime's last write to the old file
	require.NoError(t, err)
	require.NoError(t, fh.Close())
	f.appendTo(filepath.Join("app", "0.log"), criLines("stdout", "three"))
	require.Eventually(t, func() bool { return len(sink.bodies()) == 3 }, 5*time.Second, 5*time.Millisecond)
	time.Sleep(1500 * time.Millisecond) // past the orphan grace: the renamed file is finished
	assert.ElementsMatch(t, []string{"one", "two", "three"}, sink.bodies())
	assert.Len(t, sink.all(), 3, "no restart event")
}
