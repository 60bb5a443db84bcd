// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package inspect tells what durable_file has and has not delivered, from its checkpoint
// directory and the files it names, without changing either: `flightlog checkpoints`.
package inspect // import "github.com/flightlog/flightlog/receiver/durablefilereceiver/inspect"

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/checkpoint"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/deadletter"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
)

// The states of a tracked file.
const (
	// StateTailing: the file at the path is the one checkpointed.
	StateTailing = "tailing"
	// StateReplaced: the path now holds another file (rotated, or rewritten); the
	// checkpointed one is under another name or gone.
	StateReplaced = "replaced"
	// StateGone: nothing is at the path any more.
	StateGone = "gone"
)

// File is one tracked file incarnation.
type File struct {
	Checkpoint     string    `json:"checkpoint"` // the checkpoint file that tracks it
	Key            string    `json:"key"`
	Path           string    `json:"path"`
	Fingerprint    string    `json:"fingerprint"`
	FingerprintLen int       `json:"fingerprint_len"`
	Offset         int64     `json:"offset"`        // the first byte not yet delivered
	Size           int64     `json:"size"`          // -1 unless tailing
	LagBytes       int64     `json:"lag_bytes"`     // size - offset; -1 unless tailing
	LastDelivery   time.Time `json:"last_delivery"` // when its checkpoint last moved
	State          string    `json:"state"`
	// The identity the checkpoint holds (format 3): the file's device and inode, and the
	// hash of the TailLen bytes before Offset; 0 for an entry of format 2, which only its
	// fingerprint identifies.
	Device  uint64 `json:"device"`
	Inode   uint64 `json:"inode"`
	Tail    string `json:"tail"`
	TailLen int    `json:"tail_len"`
	// The flight recorder's window (format 4): [WindowStart, Offset) holds records held back
	// that a trigger could still ship; after the trigger at TriggerAt every record ships up
	// to the line time ShipUntil. Zero without the recorder.
	WindowStart int64     `json:"window_start,omitempty"`
	WindowBytes int64     `json:"window_bytes,omitempty"`
	TriggerAt   int64     `json:"trigger_at,omitempty"`
	ShipUntil   time.Time `json:"ship_until,omitzero"`
}

// Window is the flight recorder's window as the table prints it, "-" without one.
func (f File) Window() string {
	var parts []string
	if f.WindowBytes > 0 {
		parts = append(parts, fmt.Sprintf("held [%d, %d)", f.WindowStart, f.Offset))
	}
	if !f.ShipUntil.IsZero() {
		parts = append(parts, fmt.Sprintf("trigger@%d ships all until %s", f.TriggerAt, f.ShipUntil.Format(time.RFC3339)))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, "; ")
}

// Identity is the identity a checkpoint holds, as the table prints it.
func (f File) Identity() string {
	if f.Inode == 0 {
		return "- (format 2: fingerprint only)"
	}
	return fmt.Sprintf("%x:%d tail=%s/%d", f.Device, f.Inode, f.Tail, f.TailLen)
}

// Dir reads every checkpoint file in dir (one per durable_file receiver) and returns the
// files they track, ordered by path. A checkpoint that cannot be read is an error naming it;
// the others are still returned.
func Dir(dir string) ([]File, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.checkpoint"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return nil, err
		}
		return nil, errors.New("no checkpoint file (*.checkpoint) in " + dir)
	}
	var files []File
	var errs []error
	for _, p := range paths {
		entries, err := checkpoint.Read(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for key, e := range entries {
			f := File{
				Checkpoint: filepath.Base(p), Key: key, Path: e.Path, Fingerprint: e.Fingerprint,
				FingerprintLen: e.FingerprintLen, Offset: e.Offset, Size: -1, LagBytes: -1,
				LastDelivery: time.Unix(e.Updated, 0).UTC(), Device: e.Dev, Inode: e.Ino, TailLen: e.TailLen,
				WindowBytes: e.WindowBytes, TriggerAt: e.TriggerAt,
			}
			if e.WindowBytes > 0 {
				f.WindowStart = e.Offset - e.WindowBytes
			}
			if e.ShipUntil != 0 {
				f.ShipUntil = time.Unix(0, e.ShipUntil).UTC()
			}
			if e.HasIdentity() {
				f.Tail = fmt.Sprintf("%016x", e.Tail)
			}
			f.State, f.Size = look(e)
			if f.State == StateTailing {
				f.LagBytes = max(0, f.Size-f.Offset)
			}
			files = append(files, f)
		}
	}
	sort.Slice(files, func(i, j int) bool {
		if files[i].Path != files[j].Path {
			return files[i].Path < files[j].Path
		}
		return files[i].LastDelivery.After(files[j].LastDelivery)
	})
	return files, errors.Join(errs...)
}

// look tells whether the file at e's path is the one e checkpoints, and its size if so: the
// same inode holding the delivered bytes before the offset, as durable_file tells it (or,
// for an entry of format 2, the same first bytes).
func look(e checkpoint.Entry) (state string, size int64) {
	f, err := os.Open(e.Path)
	if err != nil {
		return StateGone, -1
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return StateGone, -1
	}
	if e.HasIdentity() {
		st, ok := info.Sys().(*syscall.Stat_t)
		_, same := fingerprint.Tail{Len: e.TailLen, Hash: e.Tail}.Verify(f, e.Offset)
		if !ok || uint64(st.Dev) != e.Dev || st.Ino != e.Ino || !same { //nolint:unconvert // Dev is not uint64 on every platform
			return StateReplaced, -1
		}
		return StateTailing, info.Size()
	}
	head := make([]byte, fingerprint.Size)
	n, _ := io.ReadFull(f, head)
	if !fingerprint.New(head[:n]).HasPrefixHash(e.FingerprintLen, e.Fingerprint) {
		return StateReplaced, -1
	}
	return StateTailing, info.Size()
}

// DeadLetters is one dead-letter file: the records the backend refused for good that
// durable_file kept, beside the checkpoint of the receiver that wrote them.
type DeadLetters struct {
	File    string              `json:"file"`
	Size    int64               `json:"size"`
	Letters []deadletter.Letter `json:"letters"`
}

// DeadLettersIn reads every dead-letter file in dir.
func DeadLettersIn(dir string) ([]DeadLetters, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*"+deadletter.Suffix))
	if err != nil {
		return nil, err
	}
	var out []DeadLetters
	var errs []error
	for _, p := range paths {
		letters, err := deadletter.Read(p)
		info, statErr := os.Stat(p)
		if err = errors.Join(err, statErr); err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, DeadLetters{File: filepath.Base(p), Size: info.Size(), Letters: letters})
	}
	return out, errors.Join(errs...)
}
