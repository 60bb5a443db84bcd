// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package tlsdefaultconverter

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
)

func insecureAfter(t *testing.T, env string, exporter map[string]any) any {
	conf := confmap.NewFromStringMap(map[string]any{"exporters": map[string]any{"otlp_grpc": exporter}})
	require.NoError(t, converter{insecure: env}.Convert(context.Background(), conf))
	return conf.Get("exporters::otlp_grpc::tls::insecure")
}

func TestTLSUnlessLoopbackOrOTLPInsecure(t *testing.T) {
	for _, tc := range []struct {
		name, env string
		exporter  map[string]any
		want      any
	}{
		{"a backend: TLS", "", map[string]any{"endpoint": "backend.example.com:4317"}, nil},
		{"an IP: TLS", "", map[string]any{"endpoint": "10.0.0.7:4317"}, nil},
		{"127.0.0.1", "", map[string]any{"endpoint": "127.0.0.1:4317"}, true},
		{"localhost", "", map[string]any{"endpoint": "localhost:4317"}, true},
		{"::1", "", map[string]any{"endpoint": "[::1]:4317"}, true},
		{"a URL on loopback", "", map[string]any{"endpoint": "http://127.0.0.2:4317"}, true},
		{"OTLP_INSECURE=true", "true", map[string]any{"endpoint": "backend.example.com:4317"}, true},
		{"OTLP_INSECURE=false", "false", map[string]any{"endpoint": "backend.example.com:4317"}, nil},
		{"insecure: false is kept on loopback", "", map[string]any{"endpoint": "127.0.0.1:4317", "tls": map[string]any{"insecure": false}}, false},
		{"insecure: false is kept with OTLP_INSECURE", "true", map[string]any{"endpoint": "backend:4317", "tls": map[string]any{"insecure": false}}, false},
		{"a CA asks for TLS on loopback", "", map[string]any{"endpoint": "127.0.0.1:4317", "tls": map[string]any{"ca_file": "/ca.pem"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, insecureAfter(t, tc.env, tc.exporter))
		})
	}
}

func TestOtherExportersAreLeftAlone(t *testing.T) {
	conf := confmap.NewFromStringMap(map[string]any{"exporters": map[string]any{
		"otlp_http": map[string]any{"endpoint": "http://127.0.0.1:4318"},
		"debug":     map[string]any{},
	}})
	before := conf.ToStringMap()
	require.NoError(t, converter{insecure: "true"}.Convert(context.Background(), conf))
	assert.Equal(t, before, conf.ToStringMap())
}
