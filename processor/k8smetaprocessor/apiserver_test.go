// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package k8smetaprocessor

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/yaml"

	"github.com/flightlog/flightlog/internal/kubetest"
	"github.com/flightlog/flightlog/internal/restartevent"
	"github.com/flightlog/flightlog/processor/k8smetaprocessor/internal/metadata"
	"github.com/flightlog/flightlog/processor/k8smetaprocessor/internal/metadatatest"
)

const (
	testNS  = "shop"
	testPod = "checkout-7d4b9c8f6-x2k9p"
	digest  = "sha256:" + sha
)

// TestAgainstRealAPIServer runs the processor against a real kube-apiserver and etcd. No
// kubelet runs: the test creates the Pod and patches its status the way a kubelet would
// after a restart.
func TestAgainstRealAPIServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a kube-apiserver")
	}
	cluster := kubetest.Start(t)
	cluster.Namespace(t, testNS)
	ctx := context.Background()
	rbac := cluster.Admin.RbacV1()

	// The Role from the README, bound to the sidecar's service account.
	_, err := cluster.Admin.CoreV1().ServiceAccounts(testNS).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "flightlog"}}, metav1.CreateOptions{})
	require.NoError(t, err)
	role := readmeRole(t)
	_, err = rbac.Roles(testNS).Create(ctx, role, metav1.CreateOptions{})
	require.NoError(t, err)
	_, err = rbac.RoleBindings(testNS).Create(ctx, &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "flightlog"},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: role.Name},
		Subjects:   []rbacv1.Subject{{Kind: "ServiceAccount", Name: "flightlog", Namespace: testNS}},
	}, metav1.CreateOptions{})
	require.NoError(t, err)
	pod := createPod(t, cluster)

	t.Setenv("K8S_NAMESPACE_NAME", testNS)
	t.Setenv("K8S_POD_NAME", testPod)

	cfg := createDefaultConfig().(*Config)
	cfg.ContainerName = "app"
	cfg.LabelsFile, cfg.AnnotationsFile = "", ""
	cfg.Labels = []string{"team"}
	cfg.API.Kubeconfig = cluster.Kubeconfig(t, cluster.Token(t, testNS, "flightlog"))
	sink := new(consumertest.LogsSink)
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	logs, observed := startLogs(t, component.NewID(metadata.Type), cfg, sink, tt)

	t.Run("attributes match the Pod", func(t *testing.T) {
		var attrs map[string]any
		require.Eventually(t, func() bool {
			attrs = processed(t, logs).AsRaw()
			return attrs[attrImageName] != nil
		}, 20*time.Second, 50*time.Millisecond, "the watch never delivered the Pod")
		assert.Equal(t, map[string]any{
			attrNamespace:                 testNS,
			attrPodName:                   testPod,
			attrPodUID:                    string(pod.UID),
			attrNodeName:                  "node-1",
			attrPodIP:                     "10.1.2.3",
			attrContainerName:             "app",
			labelPrefix + "team":          "payments",
			attrReplicaSet:                "checkout-7d4b9c8f6",
			attrDeployment:                "checkout",
			attrImageName:                 "registry.example.com/shop/checkout",
			attrImageTags:                 []any{"1.4.2"},
			attrImageDigests:              []any{"registry.example.com/shop/checkout@" + digest},
			attrRestartCount:              int64(0),
			attrServiceName:               "checkout-svc",
			attrServiceNS:                 testNS,
			attrServiceVersion:            "1.4.2@" + digest,
			attrServiceID:                 testNS + "." + testPod + ".app",
			"deployment.environment.name": "prod",
		}, attrs)
	})

	t.Run("an OOM kill yields exactly one restart record", func(t *testing.T) {
		restart(t, cluster, 1, "OOMKilled", 137)
		require.Eventually(t, func() bool { return len(restartRecords(sink)) == 1 }, 20*time.Second, 50*time.Millisecond)
		// Later status updates of the same incarnation are no new restart.
		patchStatus(t, cluster, map[string]any{"podIP": "10.1.2.3", "conditions": []any{map[string]any{"type": "Ready", "status": "True"}}})
		time.Sleep(time.Second)
		recs := restartRecords(sink)
		require.Len(t, recs, 1)
		lr := recs[0]
		assert.Equal(t, plog.SeverityNumberError, lr.SeverityNumber())
		assert.Equal(t, "container app restarted (restart 1): OOMKilled, exit code 137", lr.Body().Str())
		a := lr.Attributes().AsRaw()
		assert.Equal(t, eventRestart, a[restartevent.AttrEventName])
		assert.Equal(t, "OOMKilled", a[attrLastReason])
		assert.Equal(t, int64(137), a[attrExitCode])
		assert.Equal(t, int64(1), a[attrRestartCount])
		assert.Equal(t, "app", a[attrContainerName])

		// The receiver's own record of the log starting over gets the same attributes.
		ld := plog.NewLogs()
		lr2 := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
		lr2.Attributes().PutStr(restartevent.AttrEventName, restartevent.Name)
		require.NoError(t, logs.ConsumeLogs(context.Background(), ld))
		linked := sink.AllLogs()[len(sink.AllLogs())-1].ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Attributes().AsRaw()
		assert.Equal(t, "OOMKilled", linked[attrLastReason])
		assert.Equal(t, int64(137), linked[attrExitCode])
		assert.Equal(t, int64(1), linked[attrRestartCount])
	})

	t.Run("a restarted API server resumes the watch", func(t *testing.T) {
		cluster.StopAPIServer()
		time.Sleep(2 * time.Second)
		cluster.StartAPIServer(t)
		restart(t, cluster, 2, "Error", 1)
		require.Eventually(t, func() bool { return len(restartRecords(sink)) == 2 }, 60*time.Second, 100*time.Millisecond,
			"no restart record after the API server came back")
		lr := restartRecords(sink)[1]
		assert.Equal(t, plog.SeverityNumberError, lr.SeverityNumber())
		assert.Equal(t, int64(1), lr.Attributes().AsRaw()[attrExitCode])
		assert.Equal(t, int64(2), processed(t, logs).AsRaw()[attrRestartCount])
		assert.Positive(t, sumOf(t, tt, "otelcol_processor_k8s_meta_watch_restarts"), "the watch was started again")
		assert.Positive(t, sumOf(t, tt, "otelcol_processor_k8s_meta_api_errors"), "the outage was counted")
	})

	t.Run("a clean exit is a warning", func(t *testing.T) {
		restart(t, cluster, 3, "Completed", 0)
		require.Eventually(t, func() bool { return len(restartRecords(sink)) == 3 }, 20*time.Second, 50*time.Millisecond)
		assert.Equal(t, plog.SeverityNumberWarn, restartRecords(sink)[2].SeverityNumber())
	})

	t.Run("a Role without pod access leaves the Downward API", func(t *testing.T) {
		_, err := cluster.Admin.CoreV1().ServiceAccounts(testNS).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "nobody"}}, metav1.CreateOptions{})
		require.NoError(t, err)
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "labels"), []byte("pod-template-hash=\"7d4b9c8f6\"\nteam=\"payments\"\n"), 0o644))
		forbidden := createDefaultConfig().(*Config)
		forbidden.ContainerName = "app"
		forbidden.LabelsFile = filepath.Join(dir, "labels")
		forbidden.AnnotationsFile = filepath.Join(dir, "annotations")
		forbidden.Labels = []string{"team"}
		forbidden.API.Kubeconfig = cluster.Kubeconfig(t, cluster.Token(t, testNS, "nobody"))
		fsink := new(consumertest.LogsSink)
		ftt := componenttest.NewTelemetry()
		t.Cleanup(func() { require.NoError(t, ftt.Shutdown(context.Background())) })
		flogs, fobserved := startLogs(t, component.NewIDWithName(metadata.Type, "forbidden"), forbidden, fsink, ftt)

		time.Sleep(3 * time.Second) // several failed list calls
		attrs := processed(t, flogs).AsRaw()
		assert.Equal(t, testPod, attrs[attrPodName])
		assert.Equal(t, "payments", attrs[labelPrefix+"team"])
		assert.Equal(t, "checkout", attrs[attrDeployment], "workload from the Downward API labels")
		assert.Nil(t, attrs[attrImageName], "nothing from the API")
		warnings := fobserved.FilterMessageSnippet("Kubernetes API unavailable").All()
		require.Len(t, warnings, 1, "one clear warning, not one per retry")
		assert.Contains(t, warnings[0].ContextMap()["hint"], "grant the Role")
		assert.Greater(t, sumOf(t, ftt, "otelcol_processor_k8s_meta_api_errors"), int64(1), "every refused call is counted")

		// The labels file changes as the kubelet would update it: the attribute follows.
		require.NoError(t, os.WriteFile(filepath.Join(dir, "labels.new"), []byte("pod-template-hash=\"7d4b9c8f6\"\nteam=\"checkout\"\n"), 0o644))
		require.NoError(t, os.Rename(filepath.Join(dir, "labels.new"), filepath.Join(dir, "labels")))
		require.Eventually(t, func() bool {
			return processed(t, flogs).AsRaw()[labelPrefix+"team"] == "checkout"
		}, 10*time.Second, 50*time.Millisecond)
	})

	assert.Empty(t, observed.FilterLevelExact(zapcore.WarnLevel).FilterMessageSnippet("Restart record refused").All())
	metadatatest.AssertEqualProcessorK8sMetaEventsEmitted(t, tt, []metricdata.DataPoint[int64]{{Value: 3}}, metricdatatest.IgnoreTimestamp())
	metadatatest.AssertEqualProcessorK8sMetaRestarts(t, tt, []metricdata.DataPoint[int64]{
		{Value: 1, Attributes: attribute.NewSet(attribute.String("reason", "OOMKilled"), attribute.String("exit_code", "137"))},
		{Value: 1, Attributes: attribute.NewSet(attribute.String("reason", "Error"), attribute.String("exit_code", "1"))},
		{Value: 1, Attributes: attribute.NewSet(attribute.String("reason", "Completed"), attribute.String("exit_code", "0"))},
	}, metricdatatest.IgnoreTimestamp())
}

func sumOf(t *testing.T, tt *componenttest.Telemetry, name string) int64 {
	t.Helper()
	m, err := tt.GetMetric(name)
	if err != nil {
		return 0
	}
	return m.Data.(metricdata.Sum[int64]).DataPoints[0].Value
}

// readmeRole is the Role the README tells users to paste, word for word.
func readmeRole(t *testing.T) *rbacv1.Role {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "role.yaml"))
	require.NoError(t, err)
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	require.Contains(t, string(readme), string(data), "README's Role differs from testdata/role.yaml")
	var role rbacv1.Role
	require.NoError(t, yaml.UnmarshalStrict(data, &role))
	return &role
}

func createPod(t *testing.T, cluster *kubetest.Cluster) *corev1.Pod {
	t.Helper()
	always := corev1.ContainerRestartPolicyAlways
	pod, err := cluster.Admin.CoreV1().Pods(testNS).Create(context.Background(), &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: testPod,
			Labels: map[string]string{
				"pod-template-hash": "7d4b9c8f6", "team": "payments", "app.kubernetes.io/name": "checkout-svc",
			},
			Annotations: map[string]string{"resource.opentelemetry.io/deployment.environment.name": "prod"},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "checkout-7d4b9c8f6", UID: types.UID("3f1c2a1e-0000-4000-8000-000000000001"),
				Controller: ptr(true),
			}},
		},
		Spec: corev1.PodSpec{
			NodeName:           "node-1",
			ServiceAccountName: "flightlog",
			InitContainers:     []corev1.Container{{Name: "flightlog", Image: "flightlog:dev", RestartPolicy: &always}},
			Containers:         []corev1.Container{{Name: "app", Image: "registry.example.com/shop/checkout:1.4.2"}},
		},
	}, metav1.CreateOptions{})
	require.NoError(t, err)
	patchStatus(t, cluster, map[string]any{
		"podIP":             "10.1.2.3",
		"containerStatuses": []any{appStatus(0, nil)},
	})
	return pod
}

func appStatus(restarts int, terminated map[string]any) map[string]any {
	st := map[string]any{
		"name": "app", "ready": true, "restartCount": restarts,
		"image": "registry.example.com/shop/checkout:1.4.2", "imageID": "registry.example.com/shop/checkout@" + digest,
		"state": map[string]any{"running": map[string]any{"startedAt": time.Now().UTC().Format(time.RFC3339)}},
	}
	if terminated != nil {
		st["lastState"] = map[string]any{"terminated": terminated}
	}
	return st
}

// restart patches the Pod status as the kubelet does after the app container restarted.
func restart(t *testing.T, cluster *kubetest.Cluster, count int, reason string, exitCode int) {
	t.Helper()
	now := time.Now().UTC()
	patchStatus(t, cluster, map[string]any{"containerStatuses": []any{appStatus(count, map[string]any{
		"reason": reason, "exitCode": exitCode,
		"startedAt":  now.Add(-time.Minute).Format(time.RFC3339),
		"finishedAt": now.Format(time.RFC3339),
	})}})
}

func patchStatus(t *testing.T, cluster *kubetest.Cluster, status map[string]any) {
	t.Helper()
	patch, err := json.Marshal(map[string]any{"status": status})
	require.NoError(t, err)
	_, err = cluster.Admin.CoreV1().Pods(testNS).Patch(context.Background(), testPod, types.MergePatchType, patch, metav1.PatchOptions{}, "status")
	require.NoError(t, err)
}

func startLogs(t *testing.T, id component.ID, cfg *Config, sink *consumertest.LogsSink, tt *componenttest.Telemetry) (processor.Logs, *observer.ObservedLogs) {
	t.Helper()
	core, observed := observer.New(zap.DebugLevel)
	set := metadatatest.NewSettings(tt)
	set.ID = id
	set.Logger = zap.New(core)
	require.NoError(t, cfg.Validate())
	p, err := NewFactory().CreateLogs(context.Background(), set, cfg, sink)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, p.Shutdown(context.Background())) })
	return p, observed
}

// processed sends one record through p and returns the resource attributes it got.
func processed(t *testing.T, p processor.Logs) pcommon.Map {
	t.Helper()
	ld := plog.NewLogs()
	ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty().Body().SetStr("hello")
	require.NoError(t, p.ConsumeLogs(context.Background(), ld))
	return ld.ResourceLogs().At(0).Resource().Attributes()
}

func restartRecords(sink *consumertest.LogsSink) []plog.LogRecord {
	var out []plog.LogRecord
	for _, ld := range sink.AllLogs() {
		for _, rl := range ld.ResourceLogs().All() {
			for _, sl := range rl.ScopeLogs().All() {
				for _, lr := range sl.LogRecords().All() {
					if v, ok := lr.Attributes().Get(restartevent.AttrEventName); ok && v.Str() == eventRestart {
						out = append(out, lr)
					}
				}
			}
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }
