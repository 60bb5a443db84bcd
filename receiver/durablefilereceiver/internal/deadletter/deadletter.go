// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package deadletter keeps the records a backend refused for good (OTLP/HTTP 400, gRPC
// InvalidArgument) in a bounded file beside the checkpoint, one JSON line each: where the
// record came from, what the backend answered, and the record as OTLP/JSON, as the file
// exporter writes it, so it can be read back or sent again by hand. A record is written
// (and synced, with checkpoint_fsync) before its byte range may be checkpointed, so a
// SIGKILL in between writes it twice, never loses it.
package deadletter // import "github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/deadletter"

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"
)

// Suffix ends the name of a dead-letter file: <checkpoint>/<component id>.dead-letter.jsonl.
const Suffix = ".dead-letter.jsonl"

// ErrFull reports a letter that does not fit under the file's maximum size.
var ErrFull = errors.New("the dead-letter file is full (dead_letter.max_size)")

// Letter is one line of the file.
type Letter struct {
	Time   time.Time       `json:"time"`
	Path   string          `json:"path"`
	From   int64           `json:"from"` // the record's byte range in its file
	To     int64           `json:"to"`
	Answer string          `json:"answer"`
	Logs   json.RawMessage `json:"logs"`
}

// File appends letters to the file at Path, up to MaxSize bytes. It opens the file for each
// write: letters are rare, and a file an operator moved away or emptied is started again.
type File struct {
	Path    string
	MaxSize int64
	Fsync   bool

	mu sync.Mutex
}

// Write appends the record refused with answer, from path's byte range [from, to).
func (f *File) Write(path string, from, to int64, answer error, record plog.Logs) error {
	logs, err := (&plog.JSONMarshaler{}).MarshalLogs(record)
	if err != nil {
		return err
	}
	line, err := json.Marshal(Letter{Time: time.Now().UTC(), Path: path, From: from, To: to, Answer: answer.Error(), Logs: logs})
	if err != nil {
		return err
	}
	line = append(line, '\n')
	f.mu.Lock()
	defer f.mu.Unlock()
	out, err := os.OpenFile(f.Path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	defer out.Close()
	info, err := out.Stat()
	if err != nil {
		return err
	}
	if info.Size()+int64(len(line)) > f.MaxSize {
		return ErrFull
	}
	if _, err := out.Write(line); err != nil {
		return err
	}
	if f.Fsync {
		return out.Sync()
	}
	return nil
}

// Read returns the letters of the file at path. A line cut short (a write the process did
// not finish) is left out.
func Read(path string) ([]Letter, error) {
	in, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	var letters []Letter
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var l Letter
		if json.Unmarshal(sc.Bytes(), &l) == nil {
			letters = append(letters, l)
		}
	}
	return letters, sc.Err()
}
