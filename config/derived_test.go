// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package config holds the collector configuration that ships: config/flightlog.yaml is the
// one source. The image's default and the sidecar bases run it as it is; the Operator's CRs
// carry it inline; deploy/stdout and the demo differ from it only by the overrides below.
// This test fails, with the difference, when any of them drifts.
package config

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// remove, as an override's value, deletes the key.
const remove = "<removed>"

// stdout is what deploy/stdout changes: the kubelet's log of the app's container, not a file
// on a shared volume, and no reclaim (the kubelet rotates these files itself).
var stdout = map[string]any{"receivers": map[string]any{"durable_file": map[string]any{
	"include": []any{"/var/log/pod/${env:APP_CONTAINER_NAME}/*.log"},
	"format":  "auto",
	"reclaim": remove,
}}}

// demo is what the demo changes: its own directories and a loopback backend, the flight
// recorder, no API server, no extensions and no metrics endpoint.
var demo = map[string]any{
	"extensions": remove,
	"receivers": map[string]any{"durable_file": map[string]any{
		"include":       []any{"${env:DEMO_DIR}/logs/${env:DEMO_LOGS:-*.log}"},
		"format":        "${env:DEMO_FORMAT:-plain}",
		"checkpoint":    "${env:DEMO_DIR}/checkpoint",
		"poll_interval": "100ms",
		"flush_period":  "300ms",
		"reclaim":       map[string]any{"enabled": true, "keep": "4MiB", "remove_rotated": remove},
		"recorder":      map[string]any{"enabled": true, "before": "200ms", "after": "1s"},
	}},
	"processors": map[string]any{
		"memory_limiter": remove,
		"k8s_meta": map[string]any{"container_name": "app", "labels_file": "${env:DEMO_DIR}/podinfo/labels",
			"api": map[string]any{"enabled": false, "restart_events": false}},
	},
	"service": map[string]any{
		"extensions": remove,
		"telemetry": map[string]any{"metrics": map[string]any{"readers": []any{map[string]any{"pull": map[string]any{"exporter": map[string]any{
			"prometheus": map[string]any{"host": "127.0.0.1", "port": "${env:DEMO_METRICS_PORT}"}}}}}}},
		"pipelines": map[string]any{"logs": map[string]any{"processors": []any{"k8s_meta", "redact"}}},
	},
}

func TestEveryShippedConfigDerivesFromOneSource(t *testing.T) {
	source := load(t, "flightlog.yaml", "")
	grpcDemo := overlay(demo, map[string]any{"exporters": map[string]any{"otlp_grpc": map[string]any{
		"endpoint": "${env:DEMO_OTLP_ENDPOINT}", "headers": remove, "tls": map[string]any{"insecure": true},
	}}})
	httpDemo := overlay(demo, map[string]any{
		"exporters": map[string]any{"otlp_grpc": remove, "otlp_http": map[string]any{
			"logs_endpoint":    "${env:VICTORIALOGS_URL}/insert/opentelemetry/v1/logs",
			"sending_queue":    map[string]any{"enabled": false},
			"retry_on_failure": map[string]any{"enabled": false},
		}},
		"service": map[string]any{"pipelines": map[string]any{"logs": map[string]any{"exporters": []any{"otlp_http"}}}},
	})
	for _, tt := range []struct {
		file, inline string // inline: the key of a CR that holds the config
		overrides    map[string]any
	}{
		{file: "../deploy/config/flightlog.yaml"},
		{file: "../deploy/operator/collector.yaml", inline: "spec"},
		{file: "../deploy/stdout/flightlog.yaml", overrides: stdout},
		{file: "../deploy/operator-stdout/collector.yaml", inline: "spec", overrides: stdout},
		{file: "../demo/config.yaml", overrides: grpcDemo},
		{file: "../demo/config-victorialogs.yaml", overrides: httpDemo},
	} {
		t.Run(tt.file, func(t *testing.T) {
			want, err := yaml.Marshal(merge(source, tt.overrides))
			require.NoError(t, err)
			got, err := yaml.Marshal(load(t, tt.file, tt.inline))
			require.NoError(t, err)
			assert.YAMLEq(t, string(want), string(got), "%s drifted from config/flightlog.yaml beyond its overrides", tt.file)
		})
	}
	image, err := os.ReadFile("../deploy/config/flightlog.yaml")
	require.NoError(t, err)
	own, err := os.ReadFile("flightlog.yaml")
	require.NoError(t, err)
	assert.Equal(t, string(own), string(image), "the sidecar base runs the image's default, byte for byte")
}

// load reads a config from path, or from the config key under inline of a CR.
func load(t *testing.T, path, inline string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, yaml.Unmarshal(data, &doc))
	if inline != "" {
		doc, _ = doc[inline].(map[string]any)["config"].(map[string]any)
		require.NotNil(t, doc, "%s has no %s.config", path, inline)
	}
	return doc
}

// merge returns base with overrides applied: maps merged key by key, other values replaced,
// remove deleting a key.
func merge(base, overrides map[string]any) map[string]any {
	out := make(map[string]any, len(base))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range overrides {
		switch ov := v.(type) {
		case string:
			if ov == remove {
				delete(out, k)
				continue
			}
			out[k] = ov
		case map[string]any:
			if bm, ok := out[k].(map[string]any); ok {
				out[k] = merge(bm, ov)
				continue
			}
			out[k] = merge(map[string]any{}, ov)
		default:
			out[k] = v
		}
	}
	return out
}

// overlay combines two sets of overrides, b over a, keeping remove markers.
func overlay(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		am, aok := out[k].(map[string]any)
		bm, bok := v.(map[string]any)
		if aok && bok {
			out[k] = overlay(am, bm)
			continue
		}
		out[k] = v
	}
	return out
}
