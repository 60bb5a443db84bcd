// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package kubetest

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuild builds the programs (`make kube-tools` runs it before the other tests, so that a
// cold build is not charged to their timeouts) and checks they report the right version.
func TestBuild(t *testing.T) {
	dir := Binaries(t)
	out, err := exec.Command(filepath.Join(dir, "kube-apiserver"), "--version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), Version) {
		t.Fatalf("kube-apiserver --version: %v: %s", err, out)
	}
	out, err = exec.Command(filepath.Join(dir, "kubectl"), "version", "--client").CombinedOutput()
	if err != nil || !strings.Contains(string(out), Version) {
		t.Fatalf("kubectl version --client: %v: %s", err, out)
	}
	if out, err := exec.Command(filepath.Join(dir, "etcd"), "--version").CombinedOutput(); err != nil {
		t.Fatalf("etcd --version: %v: %s", err, out)
	}
}
