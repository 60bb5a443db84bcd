// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Command imagebuild builds Flightlog's FROM-scratch images from the Dockerfile without a
// daemon or a system package, with go-containerregistry, and writes them as an OCI archive
// (what `buildah push ... oci-archive:` writes): `make test-image` needs only Go.
package main

import (
	"archive/tar"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

func main() {
	dockerfile := flag.String("f", "Dockerfile", "the Dockerfile")
	context := flag.String("context", ".", "the build context")
	out := flag.String("o", ".image/flightlog.oci.tar", "the OCI archive to write")
	var args buildArgs
	flag.Var(&args, "build-arg", "NAME=VALUE, as docker build --build-arg (repeatable)")
	flag.Parse()
	if err := run(*dockerfile, *context, *out, args); err != nil {
		fmt.Fprintln(os.Stderr, "imagebuild:", err)
		os.Exit(1)
	}
}

type buildArgs map[string]string

func (b *buildArgs) String() string { return fmt.Sprint(*b) }

func (b *buildArgs) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want NAME=VALUE, got %q", s)
	}
	if *b == nil {
		*b = buildArgs{}
	}
	(*b)[k] = v
	return nil
}

func run(dockerfile, context, out string, args buildArgs) error {
	f, err := os.Open(dockerfile)
	if err != nil {
		return err
	}
	defer f.Close()
	rc, err := readDockerfile(f, args)
	if err != nil {
		return fmt.Errorf("%s: %w", dockerfile, err)
	}
	img, err := build(rc, context)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp(filepath.Dir(out), ".oci-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	if err := p.AppendImage(img); err != nil {
		return err
	}
	return tarDir(dir, out)
}

// tarDir writes the files under dir into the tar archive out, as an oci-archive holds its
// layout.
func tarDir(dir, out string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		h, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		h.Name, _ = filepath.Rel(dir, p)
		if err := tw.WriteHeader(h); err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	})
	if err == nil {
		err = tw.Close()
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return err
}
