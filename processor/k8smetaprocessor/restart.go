// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor // import "github.com/flightlog/flightlog/processor/k8smetaprocessor"

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/flightlog/flightlog/internal/restartevent"
)

const (
	eventRestart = "k8s.container.restart"

	// From the semantic conventions.
	attrLastReason = "k8s.container.status.last_terminated_reason"
	attrExitCode   = "process.exit.code"
	// Not in the conventions.
	attrSignal     = "flightlog.container.last_terminated.signal"
	attrStartedAt  = "flightlog.container.last_terminated.started_at"
	attrFinishedAt = "flightlog.container.last_terminated.finished_at"
	attrMessage    = "flightlog.container.last_terminated.message"
)

// termination is how a container's previous run ended, from lastState.terminated.
type termination struct {
	restartCount      int64
	reason, message   string
	exitCode, signal  int32
	started, finished time.Time
	known             bool // lastState.terminated was set
}

type restartEvent struct {
	container string
	termination
}

func newRestartEvent(cs *containerStatus) restartEvent {
	ev := restartEvent{container: cs.Name, termination: termination{restartCount: int64(cs.RestartCount)}}
	if t := cs.LastTerminationState.Terminated; t != nil {
		ev.known = true
		ev.reason, ev.message = t.Reason, t.Message
		ev.exitCode, ev.signal = t.ExitCode, t.Signal
		ev.started, ev.finished = t.StartedAt, t.FinishedAt
	}
	return ev
}

// severe is an OOM kill or a non-zero exit.
func (t *termination) severe() bool {
	return t.known && (t.reason == "OOMKilled" || t.exitCode != 0)
}

// describe sets the attributes that link a restart record and the receiver's record of the
// same restart.
func (t *termination) describe(attrs pcommon.Map) {
	attrs.PutInt(attrRestartCount, t.restartCount)
	if !t.known {
		return
	}
	if t.reason != "" {
		attrs.PutStr(attrLastReason, t.reason)
	}
	attrs.PutInt(attrExitCode, int64(t.exitCode))
	if t.signal != 0 {
		attrs.PutInt(attrSignal, int64(t.signal))
	}
	if !t.started.IsZero() {
		attrs.PutStr(attrStartedAt, t.started.UTC().Format(time.RFC3339))
	}
	if !t.finished.IsZero() {
		attrs.PutStr(attrFinishedAt, t.finished.UTC().Format(time.RFC3339))
	}
	if t.message != "" {
		attrs.PutStr(attrMessage, t.message)
	}
}

// record builds the k8s.container.restart record.
func (ev *restartEvent) record(lr plog.LogRecord, now time.Time) {
	lr.SetObservedTimestamp(pcommon.NewTimestampFromTime(now))
	if !ev.finished.IsZero() {
		lr.SetTimestamp(pcommon.NewTimestampFromTime(ev.finished))
	}
	lr.SetSeverityNumber(plog.SeverityNumberWarn)
	lr.SetSeverityText("WARN")
	if ev.severe() {
		lr.SetSeverityNumber(plog.SeverityNumberError)
		lr.SetSeverityText("ERROR")
	}
	body := fmt.Sprintf("container %s restarted (restart %d)", ev.container, ev.restartCount)
	if ev.known {
		body += fmt.Sprintf(": %s, exit code %d", first(ev.reason, "terminated"), ev.exitCode)
	}
	lr.Body().SetStr(body)
	attrs := lr.Attributes()
	attrs.PutStr(restartevent.AttrEventName, eventRestart)
	attrs.PutStr(attrContainerName, ev.container)
	ev.describe(attrs)
}

// maxRestartLabels bounds the (reason, exit_code) pairs the restarts counter has a series
// for; the rest count as reason "other". A container ends in a few ways (OOMKilled 137,
// Error with the app's own codes, Completed 0): 20 leaves room for them all.
const maxRestartLabels = 20

// restartLabels hands out the label set of a termination, bounded.
type restartLabels struct {
	mu    sync.Mutex
	sets  map[[2]string]metric.AddOption
	other metric.AddOption
}

func (l *restartLabels) of(t termination) metric.AddOption {
	reason, code := t.reason, strconv.Itoa(int(t.exitCode))
	if !t.known || reason == "" {
		reason = "Unknown"
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	key := [2]string{reason, code}
	if opt, ok := l.sets[key]; ok {
		return opt
	}
	if len(l.sets) >= maxRestartLabels {
		if l.other == nil {
			l.other = labelSet("other", "other")
		}
		return l.other
	}
	if l.sets == nil {
		l.sets = map[[2]string]metric.AddOption{}
	}
	l.sets[key] = labelSet(reason, code)
	return l.sets[key]
}

func labelSet(reason, exitCode string) metric.AddOption {
	return metric.WithAttributeSet(attribute.NewSet(attribute.String("reason", reason), attribute.String("exit_code", exitCode)))
}
