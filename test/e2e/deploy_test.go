// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/flightlog/flightlog/internal/kubetest"
)

// TestDeployManifests renders every kustomize base in deploy/ with kubectl, applies it with
// a server-side dry run to a real kube-apiserver (the OpenTelemetry Operator's CRD
// installed, so the OpenTelemetryCollector is checked against its schema), and validates
// every collector configuration the manifests carry with the built binary.
func TestDeployManifests(t *testing.T) {
	cluster := kubetest.Start(t)
	kubeconfig := cluster.Kubeconfig(t, "")
	kubectl := func(stdin []byte, args ...string) ([]byte, error) {
		cmd := exec.Command(cluster.Kubectl, append([]string{"--kubeconfig", kubeconfig}, args...)...)
		cmd.Stdin = bytes.NewReader(stdin)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			err = errors.New(err.Error() + ": " + stderr.String())
		}
		return out, err
	}
	_, err := kubectl(nil, "apply", "--server-side", "-f", "testdata/opentelemetry-operator/opentelemetry.io_opentelemetrycollectors.yaml")
	require.NoError(t, err)
	// kubectl wait fails outright while the new CRD has no conditions yet: ask again.
	require.Eventually(t, func() bool {
		_, err = kubectl(nil, "wait", "--for=condition=Established", "--timeout=10s", "crd/opentelemetrycollectors.opentelemetry.io")
		return err == nil
	}, time.Minute, 200*time.Millisecond, "CRD not established: %v", err)

	// That the CRs' inline configs are the ConfigMaps' is config/derived_test.go's to check.
	for _, base := range []string{"sidecar", "stdout", "job", "operator", "operator-stdout", "gateway"} {
		t.Run(base, func(t *testing.T) {
			rendered, err := kubectl(nil, "kustomize", filepath.Join("../../deploy", base))
			require.NoError(t, err)
			out, err := kubectl(rendered, "apply", "--dry-run=server", "-f", "-")
			require.NoError(t, err, "server-side validation")
			t.Logf("%s", out)

			configs := collectorConfigs(t, rendered)
			require.NotEmpty(t, configs, "every base carries a collector configuration")
			for name, cfg := range configs {
				path := filepath.Join(t.TempDir(), "config.yaml")
				require.NoError(t, os.WriteFile(path, cfg, 0o644))
				bin := binary(t)
				if base == "gateway" {
					bin = gatewayBinary(t) // the gateway tier runs its own build
				}
				out, err := validateWith(t, bin, path, "OTLP_ENDPOINT=backend:4317", "APP_CONTAINER_NAME=app")
				require.NoError(t, err, "%s: %s", name, out)
				assert.NotContains(t, out, "acknowledge", "%s acknowledges before data is safe", name)
			}
		})
	}

	// The README's Pod Security claims: the shared-volume sidecar runs under `restricted`; the
	// stdout sidecar's hostPath is refused there. Each base's Pod template is created as a Pod
	// in a namespace that enforces `restricted` (admission checks Pods, not Deployments).
	t.Run("pod security", func(t *testing.T) {
		ns := []byte(`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"restricted",` +
			`"labels":{"pod-security.kubernetes.io/enforce":"restricted"}}}`)
		_, err := kubectl(ns, "apply", "-f", "-")
		require.NoError(t, err)
		_, err = kubectl(nil, "create", "serviceaccount", "checkout", "-n", "restricted") // the bases' Pods run as it
		require.NoError(t, err)
		for base, allowed := range map[string]bool{"sidecar": true, "job": true, "stdout": false} {
			rendered, err := kubectl(nil, "kustomize", filepath.Join("../../deploy", base))
			require.NoError(t, err)
			_, err = kubectl(podOf(t, rendered), "create", "-n", "restricted", "--dry-run=server", "-f", "-")
			if allowed {
				assert.NoError(t, err, "%s under restricted", base)
			} else {
				require.Error(t, err, "%s must be refused under restricted", base)
				assert.Contains(t, err.Error(), "hostPath")
			}
		}
	})

	// Following the README: only the endpoint and the token set, to a host that is not on the
	// Pod's machine. Every exporter keeps TLS, and the same with TLS turned off is refused.
	t.Run("TLS stays on with only the endpoint and token set", func(t *testing.T) {
		for _, base := range []string{"sidecar", "stdout", "job", "operator", "operator-stdout", "gateway"} {
			rendered, err := kubectl(nil, "kustomize", filepath.Join("../../deploy", base))
			require.NoError(t, err)
			env := secretEnv(t, rendered)
			require.Contains(t, env, "OTLP_INSECURE", "%s: the Secret says whether TLS is off", base)
			env["OTLP_ENDPOINT"], env["OTLP_AUTHORIZATION"] = "backend.example.com:4317", "Bearer t0ken"
			bin := binary(t)
			if base == "gateway" {
				bin = gatewayBinary(t)
			}
			for name, cfg := range collectorConfigs(t, rendered) {
				path := filepath.Join(t.TempDir(), "config.yaml")
				require.NoError(t, os.WriteFile(path, cfg, 0o644))
				printed := printConfig(t, bin, path, env)
				for id, exp := range printed.Exporters {
					assert.Equal(t, false, exp.TLS.Insecure, "%s, %s: exporter %s has TLS off", base, name, id)
				}
				env["OTLP_INSECURE"] = "true"
				out, err := validateWith(t, bin, path, envList(env)...)
				require.Error(t, err, "%s, %s: a token without TLS to a remote host must be refused", base, name)
				assert.Contains(t, out, "::headers: authorization would be sent without TLS to backend.example.com:4317")
				assert.NotContains(t, out, "t0ken")
				env["OTLP_INSECURE"] = "false"
			}
		}
	})

	t.Run("a broken manifest is refused", func(t *testing.T) {
		rendered, err := kubectl(nil, "kustomize", "../../deploy/operator")
		require.NoError(t, err)
		broken := bytes.Replace(rendered, []byte("mode: sidecar"), []byte("mode: sidekick"), 1)
		_, err = kubectl(broken, "apply", "--dry-run=server", "-f", "-")
		require.Error(t, err, "the CRD's schema must reject an unknown mode")
		assert.Contains(t, err.Error(), "sidekick")
	})
}

// collectorConfigs returns the collector configurations in rendered manifests: ConfigMap
// keys named config.yaml, and the config of an OpenTelemetryCollector.
func collectorConfigs(t *testing.T, rendered []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(rendered), 4096)
	for {
		var obj struct {
			Kind     string                `json:"kind"`
			Metadata struct{ Name string } `json:"metadata"`
			Data     map[string]string     `json:"data"`
			Spec     struct {
				Config map[string]any `json:"config"`
			} `json:"spec"`
		}
		if err := dec.Decode(&obj); errors.Is(err, io.EOF) {
			return out
		} else {
			require.NoError(t, err)
		}
		switch obj.Kind {
		case "ConfigMap":
			if cfg, ok := obj.Data["config.yaml"]; ok {
				out["ConfigMap "+obj.Metadata.Name] = []byte(cfg)
			}
		case "OpenTelemetryCollector":
			cfg, err := yaml.Marshal(obj.Spec.Config)
			require.NoError(t, err)
			out["OpenTelemetryCollector "+obj.Metadata.Name] = cfg
		}
	}
}

// podOf returns the Pod template of the first workload (Deployment, Job) in rendered
// manifests as a Pod manifest.
func podOf(t *testing.T, rendered []byte) []byte {
	t.Helper()
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(rendered), 4096)
	for {
		var obj struct {
			Kind string `json:"kind"`
			Spec struct {
				Template struct {
					Spec map[string]any `json:"spec"`
				} `json:"template"`
			} `json:"spec"`
		}
		err := dec.Decode(&obj)
		require.NoError(t, err, "no workload in the manifests")
		if obj.Kind == "Deployment" || obj.Kind == "Job" {
			pod, err := yaml.Marshal(map[string]any{
				"apiVersion": "v1", "kind": "Pod",
				"metadata": map[string]any{"name": "pod-security-check"},
				"spec":     obj.Spec.Template.Spec,
			})
			require.NoError(t, err)
			return pod
		}
	}
}

// secretEnv returns the stringData of the backend Secret in rendered manifests, the env the
// collector runs with.
func secretEnv(t *testing.T, rendered []byte) map[string]string {
	t.Helper()
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(rendered), 4096)
	for {
		var obj struct {
			Kind       string            `json:"kind"`
			StringData map[string]string `json:"stringData"`
		}
		err := dec.Decode(&obj)
		require.NoError(t, err, "no Secret with the backend in the manifests")
		if obj.Kind == "Secret" && obj.StringData["OTLP_ENDPOINT"] != "" {
			obj.StringData["APP_CONTAINER_NAME"] = "app"
			return obj.StringData
		}
	}
}

func envList(env map[string]string) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// printedConfig is the part of `print-config`'s output this test reads.
type printedConfig struct {
	Exporters map[string]struct {
		TLS struct {
			Insecure bool `json:"insecure"`
		} `json:"tls"`
	} `json:"exporters"`
}

// printConfig runs `bin print-config` on config with env and returns what it printed.
func printConfig(t *testing.T, bin, config string, env map[string]string) printedConfig {
	t.Helper()
	cmd := exec.Command(bin, "print-config", "--config", config)
	cmd.Env = append(os.Environ(), envList(env)...)
	out, err := cmd.Output()
	require.NoError(t, err, "%s", out)
	var printed printedConfig
	require.NoError(t, yaml.Unmarshal(out, &printed))
	require.NotEmpty(t, printed.Exporters)
	return printed
}
