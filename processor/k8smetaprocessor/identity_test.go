// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

func TestWorkloadFromLabels(t *testing.T) {
	tests := map[string]struct {
		pod    string
		labels map[string]string
		want   map[string]string
	}{
		"deployment": {"checkout-7d4b9c8f6-x2k9p", map[string]string{"pod-template-hash": "7d4b9c8f6"},
			map[string]string{attrReplicaSet: "checkout-7d4b9c8f6", attrDeployment: "checkout"}},
		"statefulset": {"db-2", map[string]string{"statefulset.kubernetes.io/pod-name": "db-2", "controller-revision-hash": "db-5b8"},
			map[string]string{attrStatefulSet: "db"}},
		"daemonset": {"agent-q8w2z", map[string]string{"pod-template-generation": "3", "controller-revision-hash": "6f9"},
			map[string]string{attrDaemonSet: "agent"}},
		"job of a cronjob": {"report-29412345-abcde", map[string]string{"batch.kubernetes.io/job-name": "report-29412345"},
			map[string]string{attrJob: "report-29412345", attrCronJob: "report"}},
		"job":      {"migrate-xk2p1", map[string]string{"job-name": "migrate"}, map[string]string{attrJob: "migrate"}},
		"bare pod": {"debug", nil, map[string]string{}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tt.want, workload(&podInfo{name: tt.pod, labels: tt.labels}))
		})
	}
}

func TestWorkloadFromOwnerWins(t *testing.T) {
	p := &podInfo{name: "web-abc12", labels: map[string]string{"pod-template-hash": "zzz"}, owner: owner{kind: "StatefulSet", name: "web"}}
	assert.Equal(t, map[string]string{attrStatefulSet: "web"}, workload(p))
}

func TestServiceAttributesFollowTheConventions(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.ContainerName = "app"
	base := func() *podInfo {
		return &podInfo{namespace: "shop", name: "checkout-7d4b9c8f6-x2k9p", labels: map[string]string{"pod-template-hash": "7d4b9c8f6"}}
	}
	get := func(m pcommon.Map, k string) string {
		v, _ := m.Get(k)
		return v.AsString()
	}

	m := resourceAttributes(cfg, base())
	assert.Equal(t, "checkout", get(m, attrServiceName), "workload name as the fallback")
	assert.Equal(t, "shop", get(m, attrServiceNS))
	assert.Equal(t, "shop.checkout-7d4b9c8f6-x2k9p.app", get(m, attrServiceID))
	_, hasVersion := m.Get(attrServiceVersion)
	assert.False(t, hasVersion)

	p := base()
	p.labels["app.kubernetes.io/name"] = "checkout-svc"
	p.labels["app.kubernetes.io/version"] = "1.4.2"
	m = resourceAttributes(cfg, p)
	assert.Equal(t, "checkout-svc", get(m, attrServiceName), "well-known label")
	assert.Equal(t, "1.4.2", get(m, attrServiceVersion))

	p.annotations = map[string]string{
		"resource.opentelemetry.io/service.name":                "payments",
		"resource.opentelemetry.io/service.namespace":           "shop-team",
		"resource.opentelemetry.io/deployment.environment.name": "prod",
	}
	m = resourceAttributes(cfg, p)
	assert.Equal(t, "payments", get(m, attrServiceName), "annotation first")
	assert.Equal(t, "shop-team", get(m, attrServiceNS))
	assert.Equal(t, "prod", get(m, "deployment.environment.name"), "any resource.opentelemetry.io/ annotation")

	cfg.WellKnownLabels = false
	p.annotations = nil
	m = resourceAttributes(cfg, p)
	assert.Equal(t, "checkout", get(m, attrServiceName), "well-known labels are opt-out")

	p.fromAPI = true
	p.image = "registry.example.com:5000/shop/checkout:1.4.2"
	p.imageID = "registry.example.com:5000/shop/checkout@sha256:" + sha
	m = resourceAttributes(cfg, p)
	assert.Equal(t, "registry.example.com:5000/shop/checkout", get(m, attrImageName))
	assert.Equal(t, "1.4.2@sha256:"+sha, get(m, attrServiceVersion), "tag@digest from the image")
	tags, _ := m.Get(attrImageTags)
	assert.Equal(t, []any{"1.4.2"}, tags.Slice().AsRaw())
}

const sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestApplyKeepsExistingAttributesUnlessOverride(t *testing.T) {
	from := pcommon.NewMap()
	from.PutStr(attrServiceName, "checkout")
	from.PutStr(attrNamespace, "shop")
	for _, tt := range []struct {
		have     string
		override bool
		want     string
	}{
		{"set-by-app", false, "set-by-app"},
		{"set-by-app", true, "checkout"},
		{"unknown_service:java", false, "checkout"},
	} {
		to := pcommon.NewMap()
		to.PutStr(attrServiceName, tt.have)
		apply(from, to, tt.override)
		v, _ := to.Get(attrServiceName)
		assert.Equal(t, tt.want, v.Str(), "%+v", tt)
		ns, _ := to.Get(attrNamespace)
		assert.Equal(t, "shop", ns.Str())
	}
}

func TestReadKeyValuesParsesDownwardAPIFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "annotations")
	// As the kubelet writes it: sorted key="value" lines, values quoted like Go strings.
	content := "app.kubernetes.io/name=\"checkout\"\nkubectl.kubernetes.io/last-applied-configuration=\"{\\\"a\\\":\\\"b\\\\n\\\"}\"\nteam=\"payments \\u00e9\"\n"
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	got, err := readKeyValues(path)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"app.kubernetes.io/name":                           "checkout",
		"kubectl.kubernetes.io/last-applied-configuration": "{\"a\":\"b\\n\"}",
		"team": "payments é",
	}, got)

	missing, err := readKeyValues(filepath.Join(t.TempDir(), "none"))
	require.NoError(t, err, "the volume is optional")
	assert.Nil(t, missing)

	require.NoError(t, os.WriteFile(path, []byte("broken line\n"), 0o644))
	_, err = readKeyValues(path)
	assert.ErrorContains(t, err, `is not key="value"`)
}
