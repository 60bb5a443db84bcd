// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flightlog/flightlog/internal/otlpsink"
)

// pki is a CA with a server certificate for 127.0.0.1 and a client certificate, as PEM
// files in dir.
type pki struct {
	ca                        *x509.CertPool
	server                    tls.Certificate
	caFile, certFile, keyFile string // the CA, and the client's certificate and key
}

func newPKI(t *testing.T, dir string) pki {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	caTemplate := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "flightlog test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	caCert, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	issue := func(serial int64, name string, usage x509.ExtKeyUsage) ([]byte, *ecdsa.PrivateKey) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			KeyUsage: x509.KeyUsageDigitalSignature,
		}, caCert, &key.PublicKey, caKey)
		require.NoError(t, err)
		return der, key
	}
	writePEM := func(name, typ string, der []byte) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600))
		return path
	}
	p := pki{ca: x509.NewCertPool()}
	p.ca.AddCert(caCert)
	p.caFile = writePEM("ca.pem", "CERTIFICATE", caDER)
	serverDER, serverKey := issue(2, "backend", x509.ExtKeyUsageServerAuth)
	p.server = tls.Certificate{Certificate: [][]byte{serverDER}, PrivateKey: serverKey}
	clientDER, clientKey := issue(3, "flightlog", x509.ExtKeyUsageClientAuth)
	p.certFile = writePEM("client.pem", "CERTIFICATE", clientDER)
	keyDER, err := x509.MarshalECPrivateKey(clientKey)
	require.NoError(t, err)
	p.keyFile = writePEM("client-key.pem", "EC PRIVATE KEY", keyDER)
	return p
}

// tlsRun runs the collector on one file of lines against sink with the exporter's tls
// settings (YAML under tls:, "" for none), and reports whether all the lines arrived.
func tlsRun(t *testing.T, sink *otlpsink.Sink, tlsSettings string, env ...string) (delivered bool, output string) {
	root := t.TempDir()
	logs := filepath.Join(root, "logs")
	require.NoError(t, os.Mkdir(logs, 0o755))
	last := "the last line of " + t.Name() // sinks are shared by the runs
	require.NoError(t, os.WriteFile(filepath.Join(logs, "app.log"), []byte("one\ntwo\n"+last+"\n"), 0o644))
	config := writeConfig(t, root, "config.yaml", `
receivers:
  durable_file:
    include: [%s]
    checkpoint: %s
    drain_timeout: 1s
exporters:
  otlp_grpc:
    endpoint: %s
    headers: {authorization: "Bearer s3cr3t-t0ken-never-logged"}
    tls: {%s}
    sending_queue: {enabled: false}
service:
  telemetry: {logs: {level: debug}, metrics: {level: none}}
  pipelines:
    logs:
      receivers: [durable_file]
      exporters: [otlp_grpc]
`, filepath.Join(logs, "*.log"), filepath.Join(root, "checkpoints"), sink.Addr(), tlsSettings)
	if tlsSettings == "" { // nothing about TLS at all
		data, err := os.ReadFile(config)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(config, []byte(strings.Replace(string(data), "    tls: {}\n", "", 1)), 0o644))
	}
	out := outputFile(t, filepath.Join(root, "collector.log"))
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	c := startCollector(t, binary(t), config, out)
	for deadline := time.Now().Add(5 * time.Second); !delivered && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		delivered = sink.Count(last) >= 1
	}
	c.terminate(t)
	data, err := os.ReadFile(out.Name())
	require.NoError(t, err)
	return delivered, string(data)
}

// TLS is on by default: a backend that requires TLS is reached with the CA alone, and with
// mTLS with a client certificate; without one the mTLS backend refuses and nothing is
// delivered (the lines stay in the file). A loopback endpoint with no TLS settings is
// plaintext, as is any endpoint with OTLP_INSECURE=true. The header's secret value shows in
// no log, at debug level either.
func TestTLSByDefaultAndMutualTLS(t *testing.T) {
	p := newPKI(t, t.TempDir())
	tlsSink, err := otlpsink.StartTLS(&tls.Config{Certificates: []tls.Certificate{p.server}, MinVersion: tls.VersionTLS12})
	require.NoError(t, err)
	t.Cleanup(tlsSink.Stop)
	mtlsSink, err := otlpsink.StartTLS(&tls.Config{Certificates: []tls.Certificate{p.server}, ClientCAs: p.ca,
		ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12})
	require.NoError(t, err)
	t.Cleanup(mtlsSink.Stop)
	plain, err := otlpsink.Start()
	require.NoError(t, err)
	t.Cleanup(plain.Stop)

	var outputs []string
	check := func(name string, want bool, sink *otlpsink.Sink, settings string, env ...string) {
		t.Run(name, func(t *testing.T) {
			delivered, out := tlsRun(t, sink, settings, env...)
			outputs = append(outputs, out)
			assert.Equal(t, want, delivered, "%s", tail([]byte(out)))
		})
	}
	check("TLS with the CA", true, tlsSink, "ca_file: "+p.caFile)
	check("mTLS with a client certificate", true, mtlsSink, strings.Join([]string{"ca_file: " + p.caFile, "cert_file: " + p.certFile, "key_file: " + p.keyFile}, ", "))
	check("mTLS without a client certificate is refused", false, mtlsSink, "ca_file: "+p.caFile)
	check("loopback without TLS settings is plaintext", true, plain, "")
	check("OTLP_INSECURE=true is plaintext", true, plain, "", "OTLP_INSECURE=true")
	check("TLS required on loopback when a CA is given", false, plain, "ca_file: "+p.caFile)
	for _, out := range outputs {
		assert.NotContains(t, out, "s3cr3t-t0ken", "a header's value in the collector's log")
	}
}

// validate never prints a header's value, also when the configuration is wrong.
func TestValidateShowsNoSecrets(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(`
receivers:
  durable_file:
    include: ["/var/log/app/*.log"]
exporters:
  otlp_grpc:
    endpoint: backend:4317
    headers: {authorization: "Bearer s3cr3t-t0ken-never-logged", x-api-key: "${env:API_KEY}"}
    compression: nonsense
service:
  pipelines:
    logs:
      receivers: [durable_file]
      exporters: [otlp_grpc]
`), 0o644))
	out, err := validate(t, cfg, "API_KEY=an0ther-s3cret")
	require.Error(t, err)
	assert.NotContains(t, out, "s3cr3t-t0ken")
	assert.NotContains(t, out, "an0ther-s3cret")
	assert.Contains(t, out, "unsupported compression type")
}
