// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
)

// The fuzz targets below run in make test for a few seconds each, on the seeds added here
// and those checked in under testdata/fuzz; `go test -fuzz FuzzName` explores further.

// fuzzRecord is one record as the grouper emitted it.
type fuzzRecord struct {
	text       string
	start, end int64
	part       int32
}

// FuzzSplitAndGroup writes arbitrary bytes to a real file in arbitrary pieces, reads them
// with a reader after each piece (line splitting, the runtime's format, crash grouping),
// ends the incarnation, and checks that no byte is lost, invented or reordered: in plain
// format the records cover the file back to back and each holds exactly its lines.
func FuzzSplitAndGroup(f *testing.F) {
	fixtures, _ := filepath.Glob("../crash/testdata/fixtures/*.log")
	for _, name := range fixtures {
		data, err := os.ReadFile(name)
		if err == nil {
			f.Add(data, uint8(0), uint16(0), true, uint8(0))
			f.Add(data, uint8(7), uint16(80), true, uint8(0))
		}
	}
	f.Add([]byte("a\r\nb\n\n\r\nc"), uint8(1), uint16(0), false, uint8(0))
	f.Add([]byte(criStdout("panic: boom")+criStdout("")+criStdout("goroutine 1 [running]:")+
		"2026-11-26T10:00:00Z stderr P half\nnot cri\n"+criStdout("main.main()")), uint8(3), uint16(20), true, uint8(1))
	f.Add([]byte(`{"log":"a\n","stream":"stdout","time":"2026-11-26T10:00:00Z"}`+"\n"+`{"log":"b\"","stream":"stderr"}`+"\n"), uint8(5), uint16(0), true, uint8(3))

	formats := []string{FormatPlain, FormatCRI, FormatAuto, FormatDocker}
	settings := [2]Settings{testSettings(f, false), testSettings(f, true)} // crash detection off, on
	f.Fuzz(func(t *testing.T, data []byte, piece uint8, maxLog uint16, crashes bool, format uint8) {
		set := settings[0]
		if crashes {
			set = settings[1]
		}
		set.Format = formats[int(format)%len(formats)]
		if maxLog > 0 {
			set.MaxLogSize = 16 + int(maxLog)%4096 // over-long lines in parts
		}
		path := filepath.Join(t.TempDir(), "app.log")
		file, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		rd := New(set, nopTable{}, recycler{}, file, FileID{}, path, fingerprint.Fingerprint{}, Start{Key: "key"})
		var records []fuzzRecord
		rd.group.emit = func(text []byte, start, end int64, tk Token) {
			records = append(records, fuzzRecord{string(text), start, end, tk.Part})
		}
		step := 1 + int(piece)
		for written := 0; written < len(data); written += step {
			if _, err := file.Write(data[written:min(len(data), written+step)]); err != nil {
				t.Fatal(err)
			}
			rd.Read(time.Now(), false)
		}
		rd.endIncarnation(false)

		var end int64
		for i, rec := range records {
			if rec.start > rec.end || rec.end < end || rec.end > int64(len(data)) {
				t.Fatalf("record %d covers [%d, %d) after one that ended at %d, in a file of %d bytes", i, rec.start, rec.end, end, len(data))
			}
			if set.Format == FormatPlain {
				if rec.start != end {
					t.Fatalf("record %d starts at %d, the previous one ended at %d", i, rec.start, end)
				}
				if want := linesOf(data[rec.start:rec.end]); rec.text != want {
					t.Fatalf("record %d [%d, %d) holds %q, its bytes are the lines %q", i, rec.start, rec.end, rec.text, want)
				}
			}
			end = rec.end
		}
		if len(data) > 0 && end != int64(len(data)) {
			t.Fatalf("the records end at %d, the file at %d", end, len(data))
		}
	})
}

// linesOf is what records made of raw hold: its lines joined by '\n', a line that ends in a
// newline without its "\r\n" or "\n".
func linesOf(raw []byte) string {
	raw, terminated := bytes.CutSuffix(raw, []byte{'\n'})
	lines := bytes.Split(raw, []byte{'\n'})
	for i, l := range lines {
		if i < len(lines)-1 || terminated {
			lines[i] = bytes.TrimSuffix(l, []byte{'\r'})
		}
	}
	return string(bytes.Join(lines, []byte{'\n'}))
}

// FuzzParseContainerLogs checks the parsers of the kubelet's formats: any line leaves them
// without a panic, a message they find is the end of the line (CRI) and what a runtime
// wrote comes back as it was, and a time is read as time.Parse reads it or not at all.
func FuzzParseContainerLogs(f *testing.F) {
	f.Add([]byte(criTime+" stdout F hello"), int64(1764151200123456789), true, true, []byte("hello"))
	f.Add([]byte("2026-11-26T10:00:00Z stderr P:x half"), int64(0), false, false, []byte(`a "quoted" \ line`))
	f.Add([]byte(`{"log":"a\tb\n","stream":"stderr","time":"2026-11-26T10:00:00.5Z"}`), int64(-1), false, true, []byte("\x00\xff"))
	f.Add([]byte("2026-13-45T99:99:99Z"), int64(0), true, false, []byte{})
	f.Fuzz(func(t *testing.T, line []byte, nanos int64, stdout, full bool, msg []byte) {
		if got, _, _, ok := parseCRI(line); ok && !bytes.HasSuffix(line, got) {
			t.Fatalf("parseCRI(%q) found %q, not the end of the line", line, got)
		}
		_, _, _, _ = parseDocker(line)
		if got, ok := parseTime(line); ok {
			want, err := time.Parse(time.RFC3339Nano, string(line))
			if err != nil || want.UnixNano() != got {
				t.Fatalf("parseTime(%q) = %d, time.Parse: %d, %v", line, got, want.UnixNano(), err)
			}
		}

		// What a runtime writes comes back as it was.
		msg = bytes.ReplaceAll(msg, []byte{'\n'}, nil) // a line holds no newline
		stamp := time.Unix(0, nanos).UTC()
		if stamp.Year() < 0 || stamp.Year() > 9999 {
			return
		}
		stream, tag, want := "stderr", "P", lineMeta{time: stamp.UnixNano(), stream: StreamStderr}
		if stdout {
			stream, want.stream = "stdout", StreamStdout
		}
		if full {
			tag = "F"
		}
		cri := fmt.Appendf(nil, "%s %s %s %s", stamp.Format(time.RFC3339Nano), stream, tag, msg)
		got, meta, gotFull, ok := parseCRI(cri)
		if !ok || !bytes.Equal(got, msg) || meta != want || gotFull != full {
			t.Fatalf("parseCRI(%q) = %q %+v full=%v ok=%v, want %q %+v full=%v", cri, got, meta, gotFull, ok, msg, want, full)
		}
		if !utf8.Valid(msg) {
			return // Docker writes valid JSON strings only
		}
		logged := string(msg)
		if full {
			logged += "\n"
		}
		docker, err := json.Marshal(struct {
			Log    string `json:"log"`
			Stream string `json:"stream"`
			Time   string `json:"time"`
		}{logged, stream, stamp.Format(time.RFC3339Nano)})
		if err != nil {
			t.Fatal(err)
		}
		got, meta, gotFull, ok = parseDocker(docker)
		if !ok || !bytes.Equal(got, msg) || meta != want || gotFull != full {
			t.Fatalf("parseDocker(%s) = %q %+v full=%v ok=%v, want %q %+v full=%v", docker, got, meta, gotFull, ok, msg, want, full)
		}
	})
}
