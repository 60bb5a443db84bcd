// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package configcheckconverter

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

func convert(t *testing.T, cfg map[string]any, allowPlaintext bool) (map[string]any, []string, error) {
	t.Helper()
	core, logs := observer.New(zap.WarnLevel)
	conf := confmap.NewFromStringMap(cfg)
	err := (&converter{logger: zap.New(core), allowPlaintext: allowPlaintext}).Convert(context.Background(), conf)
	var warnings []string
	for _, e := range logs.All() {
		warnings = append(warnings, e.Message)
	}
	return conf.ToStringMap(), warnings, err
}

func exporter(typ string, settings map[string]any) map[string]any {
	return map[string]any{"exporters": map[string]any{typ: settings}}
}

func TestAnHTTPEndpointWithoutASchemeIsRefused(t *testing.T) {
	_, _, err := convert(t, exporter("otlp_http", map[string]any{"endpoint": "collector.observability:4318"}), false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `exporters::otlp_http::endpoint: "collector.observability:4318" is not an http:// or https:// URL`)
	_, _, err = convert(t, exporter("otlp_http/b", map[string]any{"logs_endpoint": "https://backend/v1/logs"}), false)
	assert.NoError(t, err)
}

func TestCredentialsInPlaintextToAnotherMachineAreRefused(t *testing.T) {
	bearer := map[string]any{"authorization": "Bearer s3cret"}
	tests := map[string]struct {
		typ      string
		settings map[string]any
		refused  bool
	}{
		"grpc, tls.insecure, remote":   {"otlp_grpc", map[string]any{"endpoint": "backend.example.com:4317", "tls": map[string]any{"insecure": true}, "headers": bearer}, true},
		"grpc, insecure as a string":   {"otlp_grpc", map[string]any{"endpoint": "backend.example.com:4317", "tls": map[string]any{"insecure": "true"}, "headers": bearer}, true},
		"grpc, TLS":                    {"otlp_grpc", map[string]any{"endpoint": "backend.example.com:4317", "headers": bearer}, false},
		"grpc, insecure, loopback":     {"otlp_grpc", map[string]any{"endpoint": "127.0.0.1:4317", "tls": map[string]any{"insecure": true}, "headers": bearer}, false},
		"grpc, insecure, no header":    {"otlp_grpc", map[string]any{"endpoint": "gateway:4317", "tls": map[string]any{"insecure": true}, "headers": map[string]any{"authorization": ""}}, false},
		"http, http://, remote":        {"otlp_http", map[string]any{"endpoint": "http://backend.example.com:4318", "headers": map[string]any{"X-Api-Key": "k"}}, true},
		"http, https://":               {"otlp_http", map[string]any{"endpoint": "https://backend.example.com:4318", "headers": bearer}, false},
		"http, password in a http URL": {"otlp_http", map[string]any{"endpoint": "http://user:pw@backend.example.com:4318"}, true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, _, err := convert(t, exporter(tt.typ, tt.settings), false)
			if !tt.refused {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "exporters::"+tt.typ+"::headers")
			assert.Contains(t, err.Error(), allowPlaintextEnv+"=true")
			assert.NotContains(t, err.Error(), "s3cret")
			assert.NotContains(t, err.Error(), "pw@")
			_, _, err = convert(t, exporter(tt.typ, tt.settings), true)
			assert.NoError(t, err, "the opt-in allows it")
		})
	}
}

func TestAPasswordInAnEndpointURLBecomesAnAuthorizationHeader(t *testing.T) {
	got, _, err := convert(t, exporter("otlp_http", map[string]any{"endpoint": "https://ingest:p%40ss@backend.example.com:4318/otlp"}), false)
	require.NoError(t, err)
	exp := got["exporters"].(map[string]any)["otlp_http"].(map[string]any)
	assert.Equal(t, "https://backend.example.com:4318/otlp", exp["endpoint"])
	assert.Equal(t, "Basic aW5nZXN0OnBAc3M=", exp["headers"].(map[string]any)["authorization"], "ingest:p@ss")

	got, _, err = convert(t, exporter("otlp_http", map[string]any{"endpoint": "https://u:p@backend", "headers": map[string]any{"Authorization": "Bearer t"}}), false)
	require.NoError(t, err)
	exp = got["exporters"].(map[string]any)["otlp_http"].(map[string]any)
	assert.Equal(t, "https://backend", exp["endpoint"])
	assert.Equal(t, map[string]any{"Authorization": "Bearer t"}, exp["headers"], "its own header wins")
}

func TestUnreadableOrInvalidTLSFilesAreRefused(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.pem")
	require.NoError(t, os.WriteFile(garbage, []byte("not a certificate"), 0o644))
	missing := filepath.Join(dir, "missing.pem")
	_, _, err := convert(t, exporter("otlp_grpc", map[string]any{"endpoint": "backend:4317", "tls": map[string]any{"ca_file": missing}}), false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `exporters::otlp_grpc::tls::ca_file: cannot read "`+missing+`"`)
	_, _, err = convert(t, exporter("otlp_grpc", map[string]any{"endpoint": "backend:4317", "tls": map[string]any{"ca_file": garbage}}), false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `exporters::otlp_grpc::tls::ca_file: "`+garbage+`" holds no PEM certificate`)
	_, _, err = convert(t, exporter("otlp_grpc", map[string]any{"endpoint": "backend:4317", "tls": map[string]any{"cert_file": garbage, "key_file": garbage}}), false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "exporters::otlp_grpc::tls::cert_file, key_file")
	_, _, err = convert(t, exporter("otlp_grpc", map[string]any{"endpoint": "backend:4317", "tls": map[string]any{"key_file": missing}}), false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "exporters::otlp_grpc::tls::key_file: cannot read")
}

func TestAnIncludeThatMatchesNothingIsAWarning(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app.log"), []byte("x\n"), 0o644))
	cfg := map[string]any{"receivers": map[string]any{"durable_file": map[string]any{
		"include": []any{filepath.Join(dir, "*.log"), filepath.Join(dir, "*.txt")},
	}}}
	_, warnings, err := convert(t, cfg, false)
	require.NoError(t, err, "only a warning: the app may not have written yet")
	require.Len(t, warnings, 1)
	assert.Contains(t, warnings[0], `receivers::durable_file::include: "`+filepath.Join(dir, "*.txt")+`" matches no file`)
}
