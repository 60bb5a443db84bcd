// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
)

// BenchmarkParseContainerLine is the per-line cost of the kubelet's formats.
func BenchmarkParseContainerLine(b *testing.B) {
	cri := []byte(criTime + " stdout F 2026-11-26T10:00:00Z INFO handled request id=42 status=200")
	docker := []byte(`{"log":"2026-11-26T10:00:00Z INFO handled request id=42 status=200\n","stream":"stdout","time":"` + criTime + `"}`)
	b.Run("cri", func(b *testing.B) {
		for b.Loop() {
			_, _, _, _ = parseCRI(cri)
		}
	})
	b.Run("docker", func(b *testing.B) {
		for b.Loop() {
			_, _, _, _ = parseDocker(docker)
		}
	})
}

// BenchmarkPollOf200Files is one poll of 200 open files that each got 10 lines since the
// last: per file an fstat, a pread, the check for a rewrite in place (due at every poll here,
// its worst case), splitting, batching and the batch's stamp.
// go test -run XXX -bench PollOf200Files -benchmem ./receiver/durablefilereceiver/internal/reader/
func BenchmarkPollOf200Files(b *testing.B) {
	const files, lines = 200, 10
	dir := b.TempDir()
	set := testSettings(b, false)
	var readers []*Reader
	var writers []*os.File
	for i := range files {
		path := filepath.Join(dir, fmt.Sprintf("app-%03d.log", i))
		w, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = w.Close(); _ = f.Close() })
		writers = append(writers, w)
		readers = append(readers, New(set, nopTable{}, recycler{}, f, FileID{Ino: uint64(i + 1)}, path, fingerprint.Fingerprint{}, Start{Key: "key"}))
	}
	chunk := orderLines(lines)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		for _, w := range writers {
			if _, err := w.Write(chunk); err != nil {
				b.Fatal(err)
			}
		}
		now = now.Add(set.PollInterval)
		b.StartTimer()
		for _, rd := range readers {
			rd.Read(now, false)
			rd.batches.complete()
			rd.SendReady()
		}
	}
}
