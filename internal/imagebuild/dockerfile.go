// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// recipe is what the Dockerfile says of a FROM-scratch image: the files it copies in and
// the config it sets. The Dockerfile stays the one description of the image; this program
// reads it, so buildah, Docker and this program build the same image.
type recipe struct {
	copies     []copyInstr // in order, with ARGs expanded
	user       string
	entrypoint []string
	cmd        []string
}

type copyInstr struct{ src, dst string }

// readDockerfile reads the instructions a FROM-scratch Dockerfile of static binaries needs:
// FROM scratch, ARG with a default, COPY, USER, ENTRYPOINT and CMD in exec form. Anything
// else is an error, so that the Dockerfile cannot grow something this builder would leave
// out. args override ARG defaults, as --build-arg does.
func readDockerfile(r io.Reader, args map[string]string) (recipe, error) {
	var rc recipe
	vars := map[string]string{}
	expand := func(s string) string { return os.Expand(s, func(k string) string { return vars[k] }) }
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		instr, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		fail := func(format string, a ...any) (recipe, error) {
			return recipe{}, fmt.Errorf("line %d: %s: %s", n, instr, fmt.Sprintf(format, a...))
		}
		switch strings.ToUpper(instr) {
		case "FROM":
			if rest != "scratch" {
				return fail("only FROM scratch is supported, got %q", rest)
			}
		case "ARG":
			k, v, ok := strings.Cut(rest, "=")
			if !ok {
				return fail("an ARG needs a default")
			}
			if a, set := args[k]; set {
				v = a
			}
			vars[k] = v
		case "COPY":
			f := strings.Fields(rest)
			if len(f) != 2 || strings.HasPrefix(f[0], "--") {
				return fail("only COPY <src> <dst> is supported")
			}
			rc.copies = append(rc.copies, copyInstr{src: expand(f[0]), dst: expand(f[1])})
		case "USER":
			rc.user = expand(rest)
		case "ENTRYPOINT", "CMD":
			var v []string
			if err := json.Unmarshal([]byte(rest), &v); err != nil {
				return fail("only the exec form (a JSON array) is supported")
			}
			if strings.EqualFold(instr, "CMD") {
				rc.cmd = v
			} else {
				rc.entrypoint = v
			}
		default:
			return fail("not supported by internal/imagebuild; extend it with the Dockerfile")
		}
	}
	return rc, sc.Err()
}
