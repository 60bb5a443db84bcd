// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor // import "github.com/flightlog/flightlog/processor/k8smetaprocessor"

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/fsnotify/fsnotify"
	"go.uber.org/zap"
)

// downwardEnv reads the Pod's identity from the environment variables cfg names.
func downwardEnv(cfg EnvConfig) podInfo {
	return podInfo{
		namespace: os.Getenv(cfg.Namespace),
		name:      os.Getenv(cfg.PodName),
		uid:       os.Getenv(cfg.PodUID),
		node:      os.Getenv(cfg.NodeName),
		ip:        os.Getenv(cfg.PodIP),
	}
}

// readKeyValues reads a downwardAPI volume file of labels or annotations: one key="value"
// line per entry, the value quoted as a Go string. A missing file is no error: the volume
// is optional.
func readKeyValues(path string) (map[string]string, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20) // annotations can be long
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		k, quoted, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%s: line %q is not key=\"value\"", path, line)
		}
		v, err := strconv.Unquote(quoted)
		if err != nil {
			return nil, fmt.Errorf("%s: value of %q: %w", path, k, err)
		}
		out[k] = v
	}
	return out, sc.Err()
}

// watchFiles calls changed whenever something in the directories of files changes. The
// kubelet updates a downwardAPI volume by swapping a symlink, so the directory is watched,
// not the file.
func watchFiles(ctx context.Context, logger *zap.Logger, files []string, changed func()) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		logger.Warn("Cannot watch the downwardAPI files; labels and annotations are read once", zap.Error(err))
		return
	}
	defer w.Close()
	watched := 0
	for _, f := range files {
		if f == "" {
			continue
		}
		if err := w.Add(filepath.Dir(f)); err == nil {
			watched++
		}
	}
	if watched == 0 {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-w.Events:
			if !ok {
				return
			}
			changed()
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			logger.Debug("downwardAPI watch error", zap.Error(err))
		}
	}
}
