// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package configcheckconverter // import "github.com/flightlog/flightlog/converter/configcheckconverter"

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// httpExporters are the OTLP/HTTP exporter types: their endpoints are URLs.
var httpExporters = map[string]bool{"otlp_http": true, "otlphttp": true}

// grpcExporters are the OTLP/gRPC exporter types: tls.insecure turns TLS off.
var grpcExporters = map[string]bool{"otlp_grpc": true, "otlp": true}

// httpEndpointKeys are the keys of an OTLP/HTTP exporter that hold a URL.
var httpEndpointKeys = []string{"endpoint", "logs_endpoint", "traces_endpoint", "metrics_endpoint", "profiles_endpoint"}

func typeOf(id string) string {
	t, _, _ := strings.Cut(id, "/")
	return t
}

// checkEndpoints refuses an OTLP/HTTP endpoint without a scheme: the exporter would
// retry it forever at run time, logging only at info.
func checkEndpoints(id string, exp map[string]any) []error {
	if !httpExporters[typeOf(id)] {
		return nil
	}
	var errs []error
	for _, k := range httpEndpointKeys {
		v, _ := exp[k].(string)
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("exporters::%s::%s: %q is not an http:// or https:// URL; write https://%s (or http:// for an endpoint without TLS)",
				id, k, redact(v), strings.TrimPrefix(redact(v), "//")))
		}
	}
	return errs
}

// loopback tells whether an endpoint (host:port, or a URL) names this machine.
func loopback(endpoint string) bool {
	host := hostOf(endpoint)
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func hostOf(endpoint string) string {
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		endpoint = u.Host
	}
	if h, _, err := net.SplitHostPort(endpoint); err == nil {
		return h
	}
	return endpoint
}

// redact hides the password of a URL.
func redact(v string) string {
	if u, err := url.Parse(v); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			return u.Redacted()
		}
	}
	return v
}
