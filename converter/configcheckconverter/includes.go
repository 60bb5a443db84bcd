// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package configcheckconverter // import "github.com/flightlog/flightlog/converter/configcheckconverter"

import (
	"fmt"
	"os"

	"github.com/bmatcuk/doublestar/v4"
)

// unmatchedIncludes warns about each durable_file include pattern that matches no regular
// file: a typo ships nothing, and says nothing. Only a warning: the app may not have written
// its first line yet (the receiver repeats it while nothing matches).
func unmatchedIncludes(cfg map[string]any) []string {
	receivers, _ := cfg["receivers"].(map[string]any)
	var warnings []string
	for _, id := range sortedKeys(receivers) {
		if typeOf(id) != "durable_file" {
			continue
		}
		r, _ := receivers[id].(map[string]any)
		include, _ := r["include"].([]any)
		for _, raw := range include {
			pattern, _ := raw.(string)
			if pattern != "" && !matchesAFile(pattern) {
				warnings = append(warnings, fmt.Sprintf("receivers::%s::include: %q matches no file (yet): nothing is shipped from it until it does", id, pattern))
			}
		}
	}
	return warnings
}

func matchesAFile(pattern string) bool {
	matches, err := doublestar.FilepathGlob(pattern, doublestar.WithFilesOnly())
	if err != nil {
		return true // an invalid pattern is durable_file's own config error
	}
	for _, m := range matches {
		if info, err := os.Stat(m); err == nil && info.Mode().IsRegular() {
			return true
		}
	}
	return false
}
