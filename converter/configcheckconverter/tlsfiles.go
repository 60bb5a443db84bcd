// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package configcheckconverter // import "github.com/flightlog/flightlog/converter/configcheckconverter"

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strings"
)

// checkTLSFiles refuses a tls block, anywhere in the configuration, whose CA, certificate or
// key file cannot be read or parsed: the collector would fail at start, after validate had
// said yes.
func checkTLSFiles(cfg map[string]any) []error {
	var errs []error
	walk(cfg, nil, func(path []string, block map[string]any) {
		if len(path) == 0 || path[len(path)-1] != "tls" {
			return
		}
		key := strings.Join(path, "::")
		if ca, _ := block["ca_file"].(string); ca != "" {
			if data, err := os.ReadFile(ca); err != nil {
				errs = append(errs, fmt.Errorf("%s::ca_file: cannot read %q: %w", key, ca, err))
			} else if !x509.NewCertPool().AppendCertsFromPEM(data) {
				errs = append(errs, fmt.Errorf("%s::ca_file: %q holds no PEM certificate", key, ca))
			}
		}
		cert, _ := block["cert_file"].(string)
		keyFile, _ := block["key_file"].(string)
		for name, file := range map[string]string{"cert_file": cert, "key_file": keyFile} {
			if _, err := os.Stat(file); file != "" && err != nil {
				errs = append(errs, fmt.Errorf("%s::%s: cannot read %q: %w", key, name, file, err))
			}
		}
		if cert != "" && keyFile != "" {
			if _, err := tls.LoadX509KeyPair(cert, keyFile); err != nil && !os.IsNotExist(err) {
				errs = append(errs, fmt.Errorf("%s::cert_file, key_file: %q and %q are not a certificate and its key: %w", key, cert, keyFile, err))
			}
		}
	})
	return errs
}

// walk calls fn for every map in v with the keys that lead to it.
func walk(v any, path []string, fn func([]string, map[string]any)) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	fn(path, m)
	for _, k := range sortedKeys(m) {
		walk(m[k], append(append([]string(nil), path...), k), fn)
	}
}
