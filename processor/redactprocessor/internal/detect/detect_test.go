// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package detect

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func defaultEngine(t testing.TB) *Engine {
	e, err := New(append(append([]string{}, SecretDetectors...), DefaultPIIDetectors...), nil, nil)
	require.NoError(t, err)
	return e
}

func found(e *Engine, s string) []string {
	var out []string
	for _, sp := range e.Find(s, nil) {
		out = append(out, sp.Type+"="+s[sp.Start:sp.End])
	}
	return out
}

func TestDetectsSecretsInTheirUsualForms(t *testing.T) {
	e := defaultEngine(t)
	tests := map[string][]string{
		"aws key AKIAIOSFODNN7EXAMPLE used":                                                                                  {"aws_access_key_id=AKIAIOSFODNN7EXAMPLE"},
		`{"aws_secret_access_key":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}`:                                               {"aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		"git clone https://x:ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5@github.com/o/r":                                        {"url_password=ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5"},
		"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U": {"authorization=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"},
		"db password=hunter2 host=db":                                                                                        {"password=hunter2"},
		"psql --password s3cr3t! -h db":                                                                                      {"password=s3cr3t!"},
		"postgres://app:Tr0ub4dor@db:5432/orders":                                                                            {"url_password=Tr0ub4dor"},
		"DefaultEndpointsProtocol=https;AccountName=x;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==;":                          {"azure_account_key=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA=="},
		"Cookie: theme=dark; sessionid=8f14e45fceea167a5a36dedd4bea2543":                                                     {"session_cookie=8f14e45fceea167a5a36dedd4bea2543"},
		"card 4111 1111 1111 1111 charged":                                                                                   {"credit_card=4111 1111 1111 1111"},
		"ssn 078-05-1120 on file":                                                                                            {"us_ssn=078-05-1120"},
		"key: -----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY----- done":                                 {"private_key=-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY-----"},
	}
	for line, want := range tests {
		assert.Equal(t, want, found(e, line), line)
	}
}

// What people type: passphrases with spaces, and DSN passwords pasted without
// percent-encoding. The whole password goes; what follows it stays readable.
func TestPassphrasesAndUnencodedURLPasswords(t *testing.T) {
	e := defaultEngine(t)
	tests := map[string][]string{
		"login password=purple monkey dishwasher result=fail":  {"password=purple monkey dishwasher"},
		"psql --password purple monkey dishwasher -h db":       {"password=purple monkey dishwasher"},
		"psql --password purple monkey dishwasher --host db":   {"password=purple monkey dishwasher"},
		"passphrase: correct horse battery staple":             {"password=correct horse battery staple"},
		`{"password":"purple monkey dishwasher","user":"app"}`: {"password=purple monkey dishwasher"},
		"password='purple monkey' user=app":                    {"password=purple monkey"},
		"postgres://app:purple monkey dishwasher@db:5432/x":    {"url_password=purple monkey dishwasher"},
		"cache at redis://:p4!@ss#w0rd@cache:6379/0 ok":        {"url_password=p4!@ss#w0rd"},
		"mongodb+srv://u:50%@off@cluster0.example.net/db":      {"url_password=50%@off"},
		`{"dsn":"amqp://guest:x#y@z!@rabbit/"}`:                {"url_password=x#y@z!"},
		"passwd==leading-equals host=db":                       {"password==leading-equals"},
	}
	for line, want := range tests {
		assert.Equal(t, want, found(e, line), line)
	}
	for _, line := range []string{
		"see http://mirror:8080 or mail ops@example.org",
		"redirect to https://example.com:8443/a@b",
		"http://localhost:9090?next=a@b",
		"ssh://git@github.com:22/org/repo",
	} {
		assert.Empty(t, found(e, line), line)
	}
}

func TestLeavesLookAlikesAlone(t *testing.T) {
	e := defaultEngine(t)
	for _, line := range []string{
		"trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7",
		"request 3f2b8c1e-9d4a-4c2b-8e1f-7a6b5c4d3e2f done",
		"commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
		"image sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"ts=1764064800123 order=4111111111111112 took 12ms",
		"password reset requested for alice",
		"token expired, please log in",
		"tokens=42 passes=3",
		"basic authentication failed",
		"http://localhost:8080/health",
		"the task-runner-service-account is ready",
		"version 10.2.3.4.5 build 2026-11-25T10:00:00Z",
	} {
		assert.Empty(t, found(e, line), line)
	}
}

func TestCleanLineDoesNotAllocate(t *testing.T) {
	e := defaultEngine(t)
	line := `2026-11-25T10:00:00.123Z level=info msg="processed order" order_id=12345 duration_ms=12 user=alice`
	allocs := testing.AllocsPerRun(100, func() { e.Find(line, nil) })
	assert.Zero(t, allocs)
}

func TestOptInPersonalData(t *testing.T) {
	e, err := New(OptInPIIDetectors, nil, nil)
	require.NoError(t, err)
	tests := map[string][]string{
		"mail alice.smith+ops@example.co.uk now":      {"email=alice.smith+ops@example.co.uk"},
		"call +44 20 7946 0958 or (415) 555-0132":     {"phone=+44 20 7946 0958", "phone=(415) 555-0132"},
		"iban GB82 WEST 1234 5698 7654 32 paid":       {"iban=GB82 WEST 1234 5698 7654 32"},
		"iban GB82WEST12345698765432":                 {"iban=GB82WEST12345698765432"},
		"client 192.168.10.254 connected":             {"ip_address=192.168.10.254"},
		"bad iban GB83WEST12345698765432, v1.2.3.4.5": nil,
		"not an ip 300.1.1.1 nor 1.2.3":               nil,
	}
	for line, want := range tests {
		assert.Equal(t, want, found(e, line), line)
	}
}

func BenchmarkFindCleanLine(b *testing.B) {
	e := defaultEngine(b)
	line := `2026-11-25T10:00:00.123Z level=info msg="processed order" order_id=12345 duration_ms=12 user=alice path=/api/v1/orders trace_id=4bf92f3577b34da6a3ce929d0e0e4736`
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		e.Find(line, nil)
	}
}
