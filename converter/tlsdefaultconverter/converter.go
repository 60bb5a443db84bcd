// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package tlsdefaultconverter makes TLS to the backend the default that can be relied on:
// an OTLP/gRPC exporter whose configuration says nothing about TLS uses it, unless its
// endpoint is on loopback (a local agent or test backend, where upstream's default of TLS
// fails the handshake) or the environment variable OTLP_INSECURE is "true". A tls.insecure
// that is set, or any TLS material (a CA, a client certificate, a server name), is left as
// it is.
package tlsdefaultconverter // import "github.com/flightlog/flightlog/converter/tlsdefaultconverter"

import (
	"context"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/confmap"
)

// grpcExporters are the OTLP/gRPC exporter types; OTLP/HTTP takes TLS from its URL's scheme.
var grpcExporters = map[string]bool{"otlp": true, "otlp_grpc": true}

// tlsMaterial are tls settings that ask for TLS whatever the endpoint.
var tlsMaterial = []string{"insecure", "insecure_skip_verify", "ca_file", "ca_pem", "cert_file", "cert_pem", "key_file", "key_pem", "server_name_override", "include_system_ca_certs_pool"}

// NewFactory returns the converter factory.
func NewFactory() confmap.ConverterFactory {
	return confmap.NewConverterFactory(func(confmap.ConverterSettings) confmap.Converter {
		return converter{insecure: os.Getenv("OTLP_INSECURE")}
	})
}

type converter struct {
	insecure string // OTLP_INSECURE
}

func (c converter) Convert(_ context.Context, conf *confmap.Conf) error {
	exporters, _ := conf.ToStringMap()["exporters"].(map[string]any)
	envSays, _ := strconv.ParseBool(c.insecure)
	plaintext := map[string]any{}
	for id, raw := range exporters {
		typ, _, _ := strings.Cut(id, "/")
		cfg, _ := raw.(map[string]any)
		if !grpcExporters[typ] || asksForTLS(cfg) {
			continue
		}
		if endpoint, _ := cfg["endpoint"].(string); envSays || loopback(endpoint) {
			plaintext[id] = map[string]any{"tls": map[string]any{"insecure": true}}
		}
	}
	if len(plaintext) == 0 {
		return nil
	}
	return conf.Merge(confmap.NewFromStringMap(map[string]any{"exporters": plaintext}))
}

func asksForTLS(cfg map[string]any) bool {
	tls, _ := cfg["tls"].(map[string]any)
	for _, k := range tlsMaterial {
		if v, ok := tls[k]; ok && v != nil && v != "" {
			return true
		}
	}
	return false
}

// loopback tells whether an endpoint (host:port, or a URL) names this machine.
func loopback(endpoint string) bool {
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		endpoint = u.Host
	}
	host := endpoint
	if h, _, err := net.SplitHostPort(endpoint); err == nil {
		host = h
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
