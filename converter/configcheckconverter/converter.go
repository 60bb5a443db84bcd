// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package configcheckconverter refuses, in `flightlog validate` as at start, a configuration
// that would fail later or send credentials where they can be read, and warns about one
// that would ship nothing:
//
//   - an OTLP/HTTP endpoint without a scheme (it would be retried forever at run time);
//   - a TLS CA, certificate or key file that cannot be read or holds no PEM (the collector
//     would fail at start, after validate said yes);
//   - credentials (an authorization or API-key header, a password in an endpoint URL) sent
//     in plaintext to an address that is not on this machine, unless
//     FLIGHTLOG_ALLOW_PLAINTEXT_CREDENTIALS is "true";
//   - a durable_file include pattern that matches no file yet (a warning: the app may not
//     have written its first line).
//
// A password in an endpoint URL (https://user:password@host) is moved into an
// authorization header (Basic), whose value the collector never shows, neither in its log
// nor in print-config. Every message names the key and the value at fault, and no secret.
// It runs after tlsdefaultconverter, whose TLS default it takes into account.
package configcheckconverter // import "github.com/flightlog/flightlog/converter/configcheckconverter"

import (
	"context"
	"errors"
	"os"
	"sort"
	"strconv"

	"go.opentelemetry.io/collector/confmap"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// allowPlaintextEnv opts in to credentials in plaintext to a remote address.
const allowPlaintextEnv = "FLIGHTLOG_ALLOW_PLAINTEXT_CREDENTIALS"

// NewFactory returns the converter factory. Warnings go to stderr through a logger of the
// converter's own: during `validate` the collector buffers its logger and never writes it.
func NewFactory() confmap.ConverterFactory {
	return confmap.NewConverterFactory(func(confmap.ConverterSettings) confmap.Converter {
		logger := zap.New(zapcore.NewCore(zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig()), zapcore.Lock(os.Stderr), zapcore.WarnLevel))
		allow, _ := strconv.ParseBool(os.Getenv(allowPlaintextEnv))
		return &converter{logger: logger, allowPlaintext: allow}
	})
}

type converter struct {
	logger         *zap.Logger
	allowPlaintext bool
}

func (c *converter) Convert(_ context.Context, conf *confmap.Conf) error {
	cfg := conf.ToStringMap()
	moved := movePasswords(cfg)
	if len(moved) > 0 {
		if err := conf.Merge(confmap.NewFromStringMap(map[string]any{"exporters": moved})); err != nil {
			return err
		}
		cfg = conf.ToStringMap()
	}
	var errs []error
	for _, id := range sortedKeys(exporters(cfg)) {
		exp, _ := exporters(cfg)[id].(map[string]any)
		errs = append(errs, checkEndpoints(id, exp)...)
		if !c.allowPlaintext {
			errs = append(errs, checkPlaintextCredentials(id, exp)...)
		}
	}
	errs = append(errs, checkTLSFiles(cfg)...)
	for _, w := range unmatchedIncludes(cfg) {
		c.logger.Warn(w)
	}
	return errors.Join(errs...)
}

func exporters(cfg map[string]any) map[string]any {
	e, _ := cfg["exporters"].(map[string]any)
	return e
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
