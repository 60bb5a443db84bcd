// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeKubeconfig(t *testing.T, users string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	require.NoError(t, os.WriteFile(path, []byte(`apiVersion: v1
kind: Config
current-context: second
contexts:
- {name: first, context: {cluster: a, user: alice}}
- {name: second, context: {cluster: b, user: bob}}
clusters:
- {name: a, cluster: {server: "https://a.example:6443"}}
- {name: b, cluster: {server: "https://b.example:6443/", insecure-skip-tls-verify: true}}
users:
`+users), 0o600))
	return path
}

func TestKubeconfigUsesItsCurrentContext(t *testing.T) {
	c, err := newAPIClient(APIConfig{Kubeconfig: writeKubeconfig(t, "- {name: alice, user: {token: a-token}}\n- {name: bob, user: {token: b-token}}\n")})
	require.NoError(t, err)
	assert.Equal(t, "https://b.example:6443", c.server)
	token, err := c.token()
	require.NoError(t, err)
	assert.Equal(t, "b-token", token)
}

func TestKubeconfigTokenFileIsRead(t *testing.T) {
	tokenPath := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(tokenPath, []byte("from-file\n"), 0o600))
	c, err := newAPIClient(APIConfig{Kubeconfig: writeKubeconfig(t, "- {name: bob, user: {tokenFile: "+tokenPath+"}}\n")})
	require.NoError(t, err)
	token, err := c.token()
	require.NoError(t, err)
	assert.Equal(t, "from-file", token)
	require.NoError(t, os.Remove(tokenPath))
	token, err = c.token()
	require.NoError(t, err, "a token that cannot be read again is kept until it can")
	assert.Equal(t, "from-file", token)
}

func TestKubeconfigErrorsSayWhatIsWrong(t *testing.T) {
	_, err := newAPIClient(APIConfig{Kubeconfig: writeKubeconfig(t, "- {name: bob, user: {exec: {command: aws}}}\n")})
	assert.ErrorContains(t, err, "exec or auth-provider plugin")
	_, err = newAPIClient(APIConfig{Kubeconfig: filepath.Join(t.TempDir(), "missing")})
	assert.ErrorContains(t, err, "kubeconfig")
	_, err = newAPIClient(APIConfig{Kubeconfig: writeKubeconfig(t, "- {name: bob, user: {client-certificate-data: bm90IGEgY2VydA==, client-key-data: bm90IGEga2V5}}\n")})
	assert.ErrorContains(t, err, "client certificate")
}

func TestOutsideAClusterTheServiceAccountIsAClearError(t *testing.T) {
	t.Setenv("KUBERNETES_SERVICE_HOST", "")
	_, err := inClusterClient(t.TempDir())
	assert.ErrorContains(t, err, "KUBERNETES_SERVICE_HOST")
	t.Setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
	t.Setenv("KUBERNETES_SERVICE_PORT", "443")
	_, err = inClusterClient(t.TempDir())
	assert.ErrorContains(t, err, "service account CA")
}
