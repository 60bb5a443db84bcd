// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package kubetest runs a real kube-apiserver with etcd on 127.0.0.1 for tests, without a
// kubelet: tests create objects and patch Pod status themselves. The programs are built from
// the Go module proxy by the module in ./tools, once, into .tools/ of the repository, so that
// later runs start in seconds.
package kubetest // import "github.com/flightlog/flightlog/internal/kubetest"

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// Version of Kubernetes the tools module builds; it names the cache directory.
const Version = "v1.37.2"

const adminToken = "flightlog-test-admin-token"

// Cluster is a running etcd and kube-apiserver.
type Cluster struct {
	// Admin is a client with system:masters rights.
	Admin *kubernetes.Clientset
	// Server is the API server's https URL.
	Server string
	// Kubectl is the path of a kubectl of the same version.
	Kubectl string

	owner     testing.TB // the test that started the cluster: it owns the processes
	bin       string
	dir       string
	apiArgs   []string
	apiserver *exec.Cmd
	apiLog    *os.File
}

// Start builds the programs if needed, starts etcd and kube-apiserver, and waits until the
// API server is ready. Everything is stopped when the test ends.
func Start(t testing.TB) *Cluster {
	t.Helper()
	bin := Binaries(t)
	dir := t.TempDir()
	c := &Cluster{owner: t, bin: bin, dir: dir, Kubectl: filepath.Join(bin, "kubectl")}

	etcdPort, peerPort, apiPort := freePort(t), freePort(t), freePort(t)
	etcdURL := "http://127.0.0.1:" + strconv.Itoa(etcdPort)
	c.run(t, "etcd", filepath.Join(bin, "etcd"),
		"--data-dir", filepath.Join(dir, "etcd"),
		"--listen-client-urls", etcdURL, "--advertise-client-urls", etcdURL,
		"--listen-peer-urls", "http://127.0.0.1:"+strconv.Itoa(peerPort),
		"--initial-advertise-peer-urls", "http://127.0.0.1:"+strconv.Itoa(peerPort),
		"--initial-cluster", "default=http://127.0.0.1:"+strconv.Itoa(peerPort),
		"--log-level", "warn")

	key := filepath.Join(dir, "sa.key")
	pub := filepath.Join(dir, "sa.pub")
	writeKeyPair(t, key, pub)
	tokens := filepath.Join(dir, "tokens.csv")
	if err := os.WriteFile(tokens, []byte(adminToken+`,admin,admin,"system:masters"`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.apiArgs = []string{
		"--etcd-servers", etcdURL,
		"--cert-dir", filepath.Join(dir, "certs"),
		"--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
		"--secure-port", strconv.Itoa(apiPort),
		// A loopback address is refused as a Service endpoint; there is no kubernetes Service here.
		"--endpoint-reconciler-type", "none",
		"--service-account-key-file", pub,
		"--service-account-signing-key-file", key,
		"--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
		"--service-cluster-ip-range", "10.0.0.0/24",
		"--authorization-mode", "RBAC",
		"--token-auth-file", tokens,
	}
	c.Server = "https://127.0.0.1:" + strconv.Itoa(apiPort)
	c.StartAPIServer(t)

	cs, err := kubernetes.NewForConfig(c.Config(adminToken))
	if err != nil {
		t.Fatal(err)
	}
	c.Admin = cs
	return c
}

// Config is a client config for the API server that authenticates with token.
func (c *Cluster) Config(token string) *rest.Config {
	return &rest.Config{
		Host:            c.Server,
		BearerToken:     token,
		TLSClientConfig: rest.TLSClientConfig{Insecure: true}, // the server's certificate is self-signed
		QPS:             100,
		Burst:           200,
	}
}

// Kubeconfig writes a kubeconfig file for token and returns its path. With an empty token it
// is the admin's.
func (c *Cluster) Kubeconfig(t testing.TB, token string) string {
	t.Helper()
	if token == "" {
		token = adminToken
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["test"] = &clientcmdapi.Cluster{Server: c.Server, InsecureSkipTLSVerify: true}
	cfg.AuthInfos["test"] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts["test"] = &clientcmdapi.Context{Cluster: "test", AuthInfo: "test"}
	cfg.CurrentContext = "test"
	f, err := os.CreateTemp(c.dir, "kubeconfig-*")
	if err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	if err := clientcmd.WriteToFile(*cfg, f.Name()); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// Token returns a token for a service account, as the kubelet would mount it.
func (c *Cluster) Token(t testing.TB, namespace, serviceAccount string) string {
	t.Helper()
	tr, err := c.Admin.CoreV1().ServiceAccounts(namespace).CreateToken(context.Background(), serviceAccount,
		&authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tr.Status.Token
}

// Namespace creates a namespace with a ServiceAccount "default" (no controller manager runs
// here to create it, and Pods need it).
func (c *Cluster) Namespace(t testing.TB, name string) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.Admin.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Admin.CoreV1().ServiceAccounts(name).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// StopAPIServer kills the API server; StartAPIServer starts it again on the same port.
func (c *Cluster) StopAPIServer() {
	if c.apiserver == nil {
		return
	}
	_ = c.apiserver.Process.Kill()
	_ = c.apiserver.Wait()
	c.apiserver = nil
}

// StartAPIServer starts the API server and waits until it is ready. It runs until the test
// that started the cluster ends, also when a subtest restarts it.
func (c *Cluster) StartAPIServer(t testing.TB) {
	t.Helper()
	c.apiserver = c.run(c.owner, "kube-apiserver", filepath.Join(c.bin, "kube-apiserver"), c.apiArgs...)
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: insecureTLS()}}
	deadline := time.Now().Add(90 * time.Second)
	for {
		req, _ := http.NewRequest(http.MethodGet, c.Server+"/readyz", nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := client.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("kube-apiserver not ready after 90s (last: %v); its log is in %s", err, c.apiLog.Name())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// run starts a program whose output goes to a log file in the test's directory. The
// program dies with the test process.
func (c *Cluster) run(t testing.TB, name, path string, args ...string) *exec.Cmd {
	t.Helper()
	logFile, err := os.OpenFile(filepath.Join(c.dir, name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	if name == "kube-apiserver" {
		c.apiLog = logFile
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = logFile.Close()
	})
	return cmd
}

func insecureTLS() *tls.Config {
	return &tls.Config{InsecureSkipVerify: true} //nolint:gosec // a self-signed test server on loopback
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func writeKeyPair(t testing.TB, keyPath, pubPath string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	if err := errors.Join(os.WriteFile(keyPath, keyPEM, 0o600), os.WriteFile(pubPath, pubPEM, 0o644)); err != nil {
		t.Fatal(err)
	}
}

// Binaries returns the directory holding kube-apiserver, kubectl and etcd, building them
// first if needed. Concurrent test processes wait for one build.
func Binaries(t testing.TB) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, ".tools", "kube-"+Version)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	lock, err := os.OpenFile(dir+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) }()

	versionFlags := fmt.Sprintf("-X k8s.io/component-base/version.gitVersion=%s -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=37", Version)
	for _, p := range []struct{ name, pkg, ldflags string }{
		{"etcd", "./etcd", "-s -w"},
		{"kube-apiserver", "k8s.io/kubernetes/cmd/kube-apiserver", "-s -w " + versionFlags},
		{"kubectl", "k8s.io/kubernetes/cmd/kubectl", "-s -w " + versionFlags},
	} {
		out := filepath.Join(dir, p.name)
		if _, err := os.Stat(out); err == nil {
			continue
		}
		t.Logf("building %s %s into %s (several minutes, once)", p.name, Version, dir)
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags", p.ldflags, "-o", out+".tmp", p.pkg)
		cmd.Dir = filepath.Join(root, "internal", "kubetest", "tools")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", p.name, err, b)
		}
		if err := os.Rename(out+".tmp", out); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "internal", "kubetest", "tools", "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("kubetest: not inside the flightlog repository")
		}
		dir = parent
	}
}
