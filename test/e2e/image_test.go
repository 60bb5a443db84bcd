// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestImage unpacks the image `make test-image` exported as an OCI archive and runs the
// binary from its layers as the image's user: --version, and validate on the shipped config.
func TestImage(t *testing.T) {
	archive := os.Getenv("FLIGHTLOG_IMAGE_ARCHIVE")
	if archive == "" {
		t.Skip("run `make test-image`: it builds the image and exports it for this test")
	}
	blobs := readTar(t, archive)
	blob := func(digest string) []byte {
		b, ok := blobs["blobs/"+strings.Replace(digest, ":", "/", 1)]
		require.True(t, ok, "blob %s missing", digest)
		return b
	}
	var index struct{ Manifests []struct{ Digest string } }
	require.NoError(t, json.Unmarshal(blobs["index.json"], &index))
	require.Len(t, index.Manifests, 1)
	var manifest struct {
		Config struct{ Digest string }
		Layers []struct {
			Digest    string
			MediaType string
			Size      int64
		}
	}
	require.NoError(t, json.Unmarshal(blob(index.Manifests[0].Digest), &manifest))
	var config struct {
		Config struct {
			User        string
			Entrypoint  []string
			Cmd         []string
			Healthcheck any
		}
	}
	require.NoError(t, json.Unmarshal(blob(manifest.Config.Digest), &config))
	assert.Equal(t, "65532:65532", config.Config.User, "a numeric non-root user")
	assert.Equal(t, []string{"/flightlog"}, config.Config.Entrypoint)
	assert.Equal(t, []string{"--config", "/etc/flightlog/config.yaml"}, config.Config.Cmd)
	assert.Nil(t, config.Config.Healthcheck, "Kubernetes probes health_check; no HEALTHCHECK")

	root := t.TempDir()
	var layersSize int64
	for _, l := range manifest.Layers {
		layersSize += l.Size
		data := blob(l.Digest)
		if strings.HasSuffix(l.MediaType, "gzip") {
			zr, err := gzip.NewReader(bytes.NewReader(data))
			require.NoError(t, err)
			data, err = io.ReadAll(zr)
			require.NoError(t, err)
		}
		for name, content := range untar(t, data) {
			path := filepath.Join(root, name)
			require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
			require.NoError(t, os.WriteFile(path, content.data, content.mode))
		}
	}
	for _, want := range []string{"flightlog", "etc/ssl/certs/ca-certificates.crt", "etc/flightlog/config.yaml"} {
		assert.FileExists(t, filepath.Join(root, want))
	}
	bin, err := os.Stat(filepath.Join(root, "flightlog"))
	require.NoError(t, err)
	t.Logf("image: %d layer bytes compressed; binary %.1f MB", layersSize, float64(bin.Size())/1e6)

	run := func(args ...string) string {
		cmd := exec.Command(filepath.Join(root, "flightlog"), args...)
		cmd.Dir = root
		cmd.Env = []string{"OTLP_ENDPOINT=backend:4317"}
		if os.Geteuid() == 0 {
			// As the image's user, the way a container runtime starts it.
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65532, Gid: 65532}}
			for dir := root; dir != filepath.Dir(dir) && strings.HasPrefix(dir, os.TempDir()+"/"); dir = filepath.Dir(dir) {
				require.NoError(t, os.Chmod(dir, 0o755)) // the test's temp directories are 0700
			}
		}
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%v: %s", args, out)
		return string(out)
	}
	assert.Contains(t, run("--version"), "flightlog version")
	run("validate", "--config", filepath.Join(root, "etc/flightlog/config.yaml"))
}

type tarFile struct {
	data []byte
	mode os.FileMode
}

func untar(t *testing.T, data []byte) map[string]tarFile {
	t.Helper()
	out := map[string]tarFile{}
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		require.NoError(t, err)
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(tr)
		require.NoError(t, err)
		out[strings.TrimPrefix(h.Name, "./")] = tarFile{data: b, mode: os.FileMode(h.Mode).Perm()}
	}
}

func readTar(t *testing.T, path string) map[string][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	out := map[string][]byte{}
	for name, f := range untar(t, data) {
		out[name] = f.data
	}
	return out
}
