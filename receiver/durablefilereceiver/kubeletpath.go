// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"path/filepath"
	"strconv"
	"strings"
) // kubeletLogPath reads the kubelet's layout of a container log,
// .../<container>/<restart count>.log, also rotated (<n>.log.<time>): the container's name
// and how often it restarted. ok is false for any other path.
func kubeletLogPath(path string) (container string, restarts int, ok bool) {
	base := filepath.Base(path)
	num, rest, _ := strings.Cut(base, ".")
	if !strings.HasPrefix(rest, "log") {
		return "", 0, false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return "", 0, false
	}
	container = filepath.Base(filepath.Dir(path))
	if container == "." || container == "/" {
		return "", 0, false
	}
	return container, n, true
}
