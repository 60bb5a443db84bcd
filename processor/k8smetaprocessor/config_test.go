// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/flightlog/flightlog/processor/k8smetaprocessor/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	tests := []struct {
		id      component.ID
		want    *Config
		wantErr []string
	}{
		{id: component.NewID(metadata.Type), want: createDefaultConfig().(*Config)},
		{id: component.NewIDWithName(metadata.Type, "custom"), want: &Config{
			ContainerName:   "app",
			Env:             EnvConfig{Namespace: "MY_NAMESPACE", PodName: "MY_POD", PodUID: "MY_UID", NodeName: "MY_NODE", PodIP: "MY_IP"},
			LabelsFile:      "/podinfo/labels",
			AnnotationsFile: "/podinfo/annotations",
			Labels:          []string{"team", "tier"},
			Annotations:     []string{"owner"},
			WellKnownLabels: false,
			Override:        true,
			API:             APIConfig{Enabled: true, Kubeconfig: "/etc/kubeconfig", RestartEvents: false, ResyncPeriod: time.Minute},
		}},
		{id: component.NewIDWithName(metadata.Type, "no_api_restarts"), wantErr: []string{
			"api.restart_events: needs api.enabled",
		}},
		{id: component.NewIDWithName(metadata.Type, "bad_env"), wantErr: []string{
			`env.pod_name: "K8S POD" is not an environment variable name`,
			"env.namespace and env.pod_name: required",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.id.String(), func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig()
			sub, err := cm.Sub(tt.id.String())
			require.NoError(t, err)
			require.NoError(t, sub.Unmarshal(cfg))
			err = confmap.Validate(cfg)
			if len(tt.wantErr) > 0 {
				for _, msg := range tt.wantErr {
					assert.ErrorContains(t, err, msg)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, cfg)
		})
	}
}
