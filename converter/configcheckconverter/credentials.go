// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package configcheckconverter // import "github.com/flightlog/flightlog/converter/configcheckconverter"

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// movePasswords returns, for each exporter whose endpoint URL carries a user and password,
// the endpoint without them and an authorization header (Basic) with them: the exporter's
// debug log and print-config show the endpoint, never a header's value.
func movePasswords(cfg map[string]any) map[string]any {
	moved := map[string]any{}
	for id, raw := range exporters(cfg) {
		exp, _ := raw.(map[string]any)
		keys := []string{"endpoint"}
		if httpExporters[typeOf(id)] {
			keys = httpEndpointKeys
		}
		for _, k := range keys {
			v, _ := exp[k].(string)
			u, err := url.Parse(v)
			if err != nil || u.User == nil || u.Host == "" {
				continue
			}
			password, has := u.User.Password()
			if !has {
				continue
			}
			basic := base64.StdEncoding.EncodeToString([]byte(u.User.Username() + ":" + password))
			u.User = nil
			m, _ := moved[id].(map[string]any)
			if m == nil {
				m = map[string]any{}
				if !hasHeader(exp, "authorization") { // an authorization header of its own wins
					m["headers"] = map[string]any{"authorization": "Basic " + basic}
				}
				moved[id] = m
			}
			m[k] = u.String()
		}
	}
	return moved
}

// credentialHeader tells whether a header carries credentials.
func credentialHeader(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "authorization") || strings.Contains(n, "api-key") || strings.Contains(n, "apikey") ||
		strings.Contains(n, "token")
}

// checkPlaintextCredentials refuses an exporter that would send credentials without TLS to
// an address that is not on this machine: anyone on the path could read and reuse them.
func checkPlaintextCredentials(id string, exp map[string]any) []error {
	headers, _ := exp["headers"].(map[string]any)
	var with []string
	for name, v := range headers {
		if s := fmt.Sprint(v); credentialHeader(name) && v != nil && s != "" {
			with = append(with, name)
		}
	}
	if len(with) == 0 {
		return nil
	}
	var errs []error
	for _, e := range plaintextEndpoints(id, exp) {
		errs = append(errs, fmt.Errorf("exporters::%s::headers: %s would be sent without TLS to %s; give the exporter TLS, or set %s=true to send credentials in plaintext anyway",
			id, strings.Join(with, ", "), e, allowPlaintextEnv))
	}
	return errs
}

// plaintextEndpoints are the exporter's endpoints on another machine that it reaches
// without TLS.
func plaintextEndpoints(id string, exp map[string]any) []string {
	var out []string
	switch typ := typeOf(id); {
	case grpcExporters[typ]:
		tls, _ := exp["tls"].(map[string]any)
		endpoint, _ := exp["endpoint"].(string)
		if insecure, _ := strconv.ParseBool(fmt.Sprint(tls["insecure"])); insecure && endpoint != "" && !loopback(endpoint) &&
			!strings.HasPrefix(endpoint, "https://") {
			out = append(out, endpoint)
		}
	case httpExporters[typ]:
		for _, k := range httpEndpointKeys {
			if v, _ := exp[k].(string); strings.HasPrefix(v, "http://") && !loopback(v) {
				out = append(out, v)
			}
		}
	}
	return out
}

func hasHeader(exp map[string]any, name string) bool {
	headers, _ := exp["headers"].(map[string]any)
	for h := range headers {
		if strings.EqualFold(h, name) {
			return true
		}
	}
	return false
}
