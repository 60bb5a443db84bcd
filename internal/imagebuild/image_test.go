// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"archive/tar"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Dockerfile is the one description of the images: this builder reads it, and fails on
// any instruction it would not reproduce, so an image built here and one built by buildah
// or Docker from the same Dockerfile have the same user, entrypoint, command and files.
func TestTheDockerfileIsWhatThisBuilderReads(t *testing.T) {
	f, err := os.Open("../../Dockerfile")
	require.NoError(t, err)
	defer f.Close()
	rc, err := readDockerfile(f, nil)
	require.NoError(t, err)
	assert.Equal(t, recipe{
		copies: []copyInstr{
			{".image/ca-certificates.crt", "/etc/ssl/certs/ca-certificates.crt"},
			{"bin/flightlog", "/flightlog"},
			{"config/flightlog.yaml", "/etc/flightlog/config.yaml"},
		},
		user:       "65532:65532",
		entrypoint: []string{"/flightlog"},
		cmd:        []string{"--config", "/etc/flightlog/config.yaml"},
	}, rc)

	_, err = f.Seek(0, io.SeekStart)
	require.NoError(t, err)
	gateway, err := readDockerfile(f, map[string]string{"BINARY": "flightlog-gateway", "CONFIG": "deploy/gateway/gateway.yaml"})
	require.NoError(t, err)
	assert.Equal(t, copyInstr{"bin/flightlog-gateway", "/flightlog"}, gateway.copies[1])
	assert.Equal(t, copyInstr{"deploy/gateway/gateway.yaml", "/etc/flightlog/config.yaml"}, gateway.copies[2])
}

func TestInstructionsItCannotReproduceAreRefused(t *testing.T) {
	for _, df := range []string{
		"FROM debian:12\n",
		"FROM scratch\nRUN true\n",
		"FROM scratch\nENV A=b\n",
		"FROM scratch\nCOPY --chown=1:1 a /a\n",
		"FROM scratch\nCMD /flightlog --config x\n",
		"FROM scratch\nARG NAME\n",
	} {
		_, err := readDockerfile(strings.NewReader(df), nil)
		assert.Error(t, err, "%q", df)
	}
}

// An image built from a Dockerfile holds the copied files with their modes under their
// destinations, and the Dockerfile's user, entrypoint and command.
func TestBuiltImageHasTheFilesAndConfigOfTheDockerfile(t *testing.T) {
	ctx := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(ctx, "bin"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(ctx, "bin/app"), []byte("#!binary"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(ctx, "app.yaml"), []byte("a: b\n"), 0o644))
	rc, err := readDockerfile(strings.NewReader(`FROM scratch
ARG BINARY=app
COPY bin/${BINARY} /app
COPY app.yaml /etc/app/config.yaml
USER 65532:65532
ENTRYPOINT ["/app"]
CMD ["--config", "/etc/app/config.yaml"]
`), nil)
	require.NoError(t, err)
	img, err := build(rc, ctx)
	require.NoError(t, err)

	cf, err := img.ConfigFile()
	require.NoError(t, err)
	assert.Equal(t, "65532:65532", cf.Config.User)
	assert.Equal(t, []string{"/app"}, cf.Config.Entrypoint)
	assert.Equal(t, []string{"--config", "/etc/app/config.yaml"}, cf.Config.Cmd)
	assert.Equal(t, "linux/amd64", cf.OS+"/"+cf.Architecture)

	files := map[string]int64{}
	layers, err := img.Layers()
	require.NoError(t, err)
	require.Len(t, layers, 2)
	for _, l := range layers {
		rc, err := l.Uncompressed()
		require.NoError(t, err)
		tr := tar.NewReader(rc)
		for h, err := tr.Next(); err == nil; h, err = tr.Next() {
			files[h.Name] = h.Mode
			assert.Zero(t, h.Uid, "owned by root, as COPY does")
		}
		require.NoError(t, rc.Close())
	}
	assert.Equal(t, map[string]int64{"app": 0o755, "etc/": 0o755, "etc/app/": 0o755, "etc/app/config.yaml": 0o644}, files)
}
