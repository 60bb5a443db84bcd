// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor // import "github.com/flightlog/flightlog/processor/k8smetaprocessor"

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"sigs.k8s.io/yaml"
)

// The processor reads one Pod: a GET and a watch of core/v1 pods, over net/http. client-go
// and its API types were 7.6 of the sidecar binary's 44.7 MB (a build without k8s_meta: 37.1
// MB), for two calls. Authentication is what a sidecar has: the Pod's service account token,
// re-read as the kubelet rotates it, or a kubeconfig with a token or a client certificate.

const (
	serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount"
	// tokenReread is how often the service account token file is read again: the kubelet
	// rotates bound tokens long before they expire, as client-go assumes too.
	tokenReread = time.Minute
	userAgent   = "flightlog-k8s_meta"
)

// apiClient calls the Kubernetes API server.
type apiClient struct {
	server string
	http   *http.Client
	token  func() (string, error) // "" without token authentication
}

// newAPIClient uses the kubeconfig when one is set, else the Pod's service account.
func newAPIClient(cfg APIConfig) (*apiClient, error) {
	if cfg.Kubeconfig != "" {
		return kubeconfigClient(cfg.Kubeconfig)
	}
	return inClusterClient(serviceAccountDir)
}

func inClusterClient(dir string) (*apiClient, error) {
	host, port := os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT")
	if host == "" || port == "" {
		return nil, errors.New("not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set")
	}
	ca, err := os.ReadFile(dir + "/ca.crt")
	if err != nil {
		return nil, fmt.Errorf("service account CA: %w", err)
	}
	tlsCfg, err := tlsConfig(ca, false)
	if err != nil {
		return nil, err
	}
	return &apiClient{
		server: "https://" + net.JoinHostPort(host, port),
		http:   httpClient(tlsCfg),
		token:  tokenFile(dir + "/token"),
	}, nil
}

// kubeconfig is the part of a kubeconfig file the processor understands.
type kubeconfig struct {
	CurrentContext string `json:"current-context"`
	Contexts       []struct {
		Name    string `json:"name"`
		Context struct {
			Cluster string `json:"cluster"`
			User    string `json:"user"`
		} `json:"context"`
	} `json:"contexts"`
	Clusters []struct {
		Name    string `json:"name"`
		Cluster struct {
			Server                   string `json:"server"`
			CertificateAuthority     string `json:"certificate-authority"`
			CertificateAuthorityData string `json:"certificate-authority-data"`
			InsecureSkipTLSVerify    bool   `json:"insecure-skip-tls-verify"`
		} `json:"cluster"`
	} `json:"clusters"`
	Users []struct {
		Name string `json:"name"`
		User struct {
			Token                 string          `json:"token"`
			TokenFile             string          `json:"tokenFile"`
			ClientCertificate     string          `json:"client-certificate"`
			ClientCertificateData string          `json:"client-certificate-data"`
			ClientKey             string          `json:"client-key"`
			ClientKeyData         string          `json:"client-key-data"`
			Exec                  json.RawMessage `json:"exec"`
			AuthProvider          json.RawMessage `json:"auth-provider"`
		} `json:"user"`
	} `json:"users"`
}

func kubeconfigClient(path string) (*apiClient, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	var kc kubeconfig
	if err := yaml.Unmarshal(data, &kc); err != nil {
		return nil, fmt.Errorf("kubeconfig %s: %w", path, err)
	}
	var clusterName, userName string
	for _, c := range kc.Contexts {
		if c.Name == kc.CurrentContext {
			clusterName, userName = c.Context.Cluster, c.Context.User
		}
	}
	if clusterName == "" {
		return nil, fmt.Errorf("kubeconfig %s: current-context %q not found", path, kc.CurrentContext)
	}
	c := &apiClient{}
	var tlsCfg *tls.Config
	for _, cl := range kc.Clusters {
		if cl.Name != clusterName {
			continue
		}
		ca, err := fileOrData(cl.Cluster.CertificateAuthority, cl.Cluster.CertificateAuthorityData)
		if err != nil {
			return nil, fmt.Errorf("kubeconfig %s: certificate authority: %w", path, err)
		}
		if tlsCfg, err = tlsConfig(ca, cl.Cluster.InsecureSkipTLSVerify); err != nil {
			return nil, fmt.Errorf("kubeconfig %s: %w", path, err)
		}
		c.server = strings.TrimSuffix(cl.Cluster.Server, "/")
	}
	if c.server == "" {
		return nil, fmt.Errorf("kubeconfig %s: cluster %q has no server", path, clusterName)
	}
	for _, u := range kc.Users {
		if u.Name != userName {
			continue
		}
		user := u.User
		if len(user.Exec) > 0 || len(user.AuthProvider) > 0 {
			return nil, fmt.Errorf("kubeconfig %s: user %q authenticates with an exec or auth-provider plugin, which k8s_meta does not run; use a token or a client certificate", path, userName)
		}
		switch {
		case user.Token != "":
			token := user.Token
			c.token = func() (string, error) { return token, nil }
		case user.TokenFile != "":
			c.token = tokenFile(user.TokenFile)
		}
		certPEM, err := fileOrData(user.ClientCertificate, user.ClientCertificateData)
		if err != nil {
			return nil, fmt.Errorf("kubeconfig %s: client certificate: %w", path, err)
		}
		keyPEM, err := fileOrData(user.ClientKey, user.ClientKeyData)
		if err != nil {
			return nil, fmt.Errorf("kubeconfig %s: client key: %w", path, err)
		}
		if len(certPEM) > 0 {
			cert, err := tls.X509KeyPair(certPEM, keyPEM)
			if err != nil {
				return nil, fmt.Errorf("kubeconfig %s: client certificate: %w", path, err)
			}
			tlsCfg.Certificates = []tls.Certificate{cert}
		}
	}
	c.http = httpClient(tlsCfg)
	return c, nil
}

// fileOrData returns the contents of a kubeconfig's file reference or its base64 data.
func fileOrData(file, data string) ([]byte, error) {
	if data != "" {
		return base64.StdEncoding.DecodeString(data)
	}
	if file != "" {
		return os.ReadFile(file)
	}
	return nil, nil
}

func tlsConfig(caPEM []byte, insecure bool) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: insecure} // only when the kubeconfig asks for it
	if len(caPEM) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(caPEM) {
			return nil, errors.New("the certificate authority holds no PEM certificate")
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

// httpClient has no overall timeout: a watch is a response that lasts minutes; the dial and
// the response headers are bounded instead.
func httpClient(tlsCfg *tls.Config) *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tlsCfg,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}}
}

// tokenFile reads a token from path, again once it is older than tokenReread.
func tokenFile(path string) func() (string, error) {
	var mu sync.Mutex
	var token string
	var read time.Time
	return func() (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if token != "" && time.Since(read) < tokenReread {
			return token, nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			if token != "" {
				return token, nil // keep the last one; the next call tries again
			}
			return "", fmt.Errorf("service account token: %w", err)
		}
		token, read = strings.TrimSpace(string(data)), time.Now()
		return token, nil
	}
}

// apiError is a refused call, with the API server's message.
type apiError struct {
	code    int
	message string
}

func (e *apiError) Error() string { return fmt.Sprintf("%s (HTTP %d)", e.message, e.code) }

// get calls path with query and returns the response of a 200 OK; anything else is an apiError.
func (c *apiClient) get(ctx context.Context, path string, query url.Values) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.server+path+"?"+query.Encode(), http.NoBody)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if c.token != nil {
		token, err := c.token()
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	var status struct {
		Message string `json:"message"`
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if json.Unmarshal(body, &status) != nil || status.Message == "" {
		status.Message = http.StatusText(resp.StatusCode)
	}
	return nil, &apiError{code: resp.StatusCode, message: status.Message}
}

// closeIdle drops kept-alive connections, when the processor stops.
func (c *apiClient) closeIdle() { c.http.CloseIdleConnections() }
