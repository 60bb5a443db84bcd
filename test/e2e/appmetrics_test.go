// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/flightlog/flightlog/internal/kubetest"
	"github.com/flightlog/flightlog/internal/otlpsink"
)

const appMetricsConfig = `
receivers:
  durable_file:
    include: [%s]
    checkpoint: %s
    poll_interval: 100ms
    flush_period: 200ms
processors:
  k8s_meta:
    container_name: app
    labels_file: ""
    annotations_file: ""
    api: {enabled: true, kubeconfig: %s, restart_events: true}
exporters:
  otlp_grpc:
    endpoint: %s
    tls: {insecure: true}
    sending_queue: {enabled: false}
    retry_on_failure: {enabled: false}
service:
  telemetry:
    logs: {disable_stacktrace: true}
    metrics:
      readers:
        - pull: {exporter: {prometheus: {host: 127.0.0.1, port: %d}}}
  pipelines:
    logs: {receivers: [durable_file], processors: [k8s_meta], exporters: [otlp_grpc]}
`

// pythonCrash is an uncaught exception as CPython prints it.
func pythonCrash(typ string) string {
	return "Traceback (most recent call last):\n  File \"/app/main.py\", line 7, in <module>\n    handle()\n" + typ + ": boom\n"
}

// TestCrashesAndRestartsAreCountedOnTheMetricsEndpoint: an app that crashes 4 times (two
// exception types) and restarts 3 times, in a Pod of a real kube-apiserver, gives exactly
// those counts by label on the collector's metrics endpoint, with no log query; then 1,000
// distinct exception types give at most 21 series.
func TestCrashesAndRestartsAreCountedOnTheMetricsEndpoint(t *testing.T) {
	const ns, podName = "shop", "checkout-7d4b9c8f6-x2k9p"
	cluster := kubetest.Start(t)
	cluster.Namespace(t, ns)
	ctx := context.Background()
	pods := cluster.Admin.CoreV1().Pods(ns)
	created, err := pods.Create(ctx, &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: podName},
		Spec:       corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{Name: "app", Image: "registry.example.com/shop/checkout:1.4.2"}}},
	}, metav1.CreateOptions{})
	require.NoError(t, err)
	status := func(restarts int, reason string, exitCode int) {
		st := map[string]any{"name": "app", "ready": true, "restartCount": restarts, "image": "registry.example.com/shop/checkout:1.4.2",
			"imageID": "", "state": map[string]any{"running": map[string]any{"startedAt": time.Now().UTC().Format(time.RFC3339)}}}
		if reason != "" {
			st["lastState"] = map[string]any{"terminated": map[string]any{"reason": reason, "exitCode": exitCode,
				"startedAt": time.Now().Add(-time.Minute).UTC().Format(time.RFC3339), "finishedAt": time.Now().UTC().Format(time.RFC3339)}}
		}
		patch, err := json.Marshal(map[string]any{"status": map[string]any{"containerStatuses": []any{st}}})
		require.NoError(t, err)
		_, err = pods.Patch(ctx, podName, types.MergePatchType, patch, metav1.PatchOptions{}, "status")
		require.NoError(t, err)
	}
	status(0, "", 0)

	root := t.TempDir()
	recorded, err := os.Create(filepath.Join(root, "received.jsonl"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = recorded.Close() })
	sink, err := otlpsink.StartRecording(recorded)
	require.NoError(t, err)
	t.Cleanup(sink.Stop)
	logs := filepath.Join(root, "logs")
	require.NoError(t, os.Mkdir(logs, 0o755))
	port := loopbackPort(t)
	config := writeConfig(t, root, "config.yaml", appMetricsConfig, filepath.Join(logs, "*.log"), filepath.Join(root, "checkpoints"),
		cluster.Kubeconfig(t, ""), sink.Addr(), port)
	out := outputFile(t, filepath.Join(root, "collector.log"))
	cmd := exec.Command(binary(t), "--config", config)
	cmd.Env = append(os.Environ(), "K8S_NAMESPACE_NAME="+ns, "K8S_POD_NAME="+podName)
	cmd.Stdout, cmd.Stderr = out, out
	c := run(t, cmd)

	app := filepath.Join(logs, "app.log")
	// k8s_meta reports restarts it sees happen, not those the Pod had when it first saw it:
	// the first restart comes once records carry the Pod's UID, which only the watch knows.
	require.True(t, waitUntil(30*time.Second, 100*time.Millisecond, func() bool {
		appendText(t, app, "2026-12-03T10:00:00Z INFO starting\n")
		data, _ := os.ReadFile(recorded.Name())
		return strings.Contains(string(data), string(created.UID))
	}), "k8s_meta never delivered the Pod from its watch")
	crashes := func() map[string]float64 { return series(port, "otelcol_receiver_durable_file_app_crashes") }
	restarts := func() map[string]float64 { return series(port, "otelcol_processor_k8s_meta_restarts") }
	total := func(m map[string]float64) (n float64) {
		for _, v := range m {
			n += v
		}
		return n
	}
	for i, typ := range []string{"ValueError", "KeyError", "ValueError", "ValueError"} {
		appendText(t, app, fmt.Sprintf("2026-12-03T10:00:0%dZ INFO handled order %d\n", i, i))
		appendText(t, app, pythonCrash(typ))
		if i < 3 {
			status(i+1, []string{"OOMKilled", "Error", "Error"}[i], []int{137, 1, 1}[i])
			require.True(t, waitUntil(20*time.Second, 50*time.Millisecond, func() bool { return total(restarts()) == float64(i+1) }),
				"restart %d was not counted: %v", i+1, restarts())
		}
	}
	if !assert.Eventually(t, func() bool { return len(crashes()) == 2 && len(restarts()) == 2 }, 30*time.Second, 100*time.Millisecond) {
		t.Fatalf("crashes %v, restarts %v, records %d", crashes(), restarts(), sink.Records())
	}
	time.Sleep(time.Second) // what would come on top
	assert.Equal(t, map[string]float64{`{exception_type="ValueError"}`: 3, `{exception_type="KeyError"}`: 1}, crashes())
	assert.Equal(t, map[string]float64{`{exit_code="137",reason="OOMKilled"}`: 1, `{exit_code="1",reason="Error"}`: 2}, restarts())

	var many strings.Builder
	for i := range 1000 {
		many.WriteString(pythonCrash(fmt.Sprintf("Generated%04dError", i)))
		many.WriteString("2026-12-03T10:00:00Z INFO after it\n")
	}
	appendText(t, app, many.String())
	require.True(t, waitUntil(30*time.Second, 100*time.Millisecond, func() bool { return total(crashes()) == 1004 }), "%v", crashes())
	got := crashes()
	assert.LessOrEqual(t, len(got), 21, "at most 20 exception types and other")
	assert.Equal(t, float64(1000-18), got[`{exception_type="other"}`])
	c.terminate(t)
}

func appendText(t *testing.T, path, text string) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	require.NoError(t, err)
	_, err = f.WriteString(text)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}
