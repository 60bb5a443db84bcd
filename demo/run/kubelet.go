// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

// criChunk is where the kubelet splits a long line into P chunks.
const criChunk = 16 << 10

// runAsKubelet runs cmd with its stdout and stderr kept the way the kubelet keeps a
// container's: CRI lines in path, "<time> <stream> <P|F> <message>", long lines in 16 KiB
// chunks. It returns the lines the app printed, in the order they were kept.
func runAsKubelet(cmd *exec.Cmd, path string) ([]byte, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	var mu sync.Mutex
	var printed bytes.Buffer
	keep := func(stream string, r io.Reader) {
		br := bufio.NewReader(r)
		for {
			line, err := br.ReadString('\n')
			if len(line) > 0 {
				msg := line[:len(line)-len("\n")]
				if line[len(line)-1] != '\n' {
					msg = line
				}
				mu.Lock()
				printed.WriteString(msg + "\n")
				for len(msg) > criChunk {
					fmt.Fprintf(f, "%s %s P %s\n", time.Now().UTC().Format(time.RFC3339Nano), stream, msg[:criChunk])
					msg = msg[criChunk:]
				}
				fmt.Fprintf(f, "%s %s F %s\n", time.Now().UTC().Format(time.RFC3339Nano), stream, msg)
				mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); keep("stdout", stdout) }()
	go func() { defer wg.Done(); keep("stderr", stderr) }()
	wg.Wait() // the pipes close when the app exits
	return printed.Bytes(), cmd.Wait()
}
