// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"bufio"
	"bytes"
	"errors"
	"io"

	"go.uber.org/zap"
)

// replay reads the file's records of [from, to) again, through a decoder and grouper of
// their own, into the recorder, which rebuilds what it held at the checkpoint at to:
// nothing is batched. The checkpoint ends on a record's end, so the records end there too.
func (rd *Reader) replay(from, to int64) {
	rc := rd.rec
	rc.replaying = true
	defer func() { rc.replaying, rc.expired = false, 0 }() // counted before the restart
	g := newGrouper(rd.set.Grouping, rc.record)
	d := newDecoder(rd.set.Format, rd.set.MaxLogSize, g.line)
	buf := make([]byte, 0, readChunk)
	at, part := from, int32(-1) // file offset of buf[0]; the next part of an over-long line
	for {
		if len(buf) == cap(buf) { // a line longer than what was read
			buf = append(buf, make([]byte, cap(buf))...)[:len(buf)]
		}
		end := at + int64(len(buf))
		if n := int(min(int64(cap(buf)-len(buf)), to-end)); n > 0 {
			got, err := rd.file.ReadAt(buf[len(buf):len(buf)+n], end)
			buf = buf[:len(buf)+got]
			if err != nil && !errors.Is(err, io.EOF) || got == 0 {
				rd.set.Logger.Warn("Cannot read the flight recorder's window again; what it held before the restart is not shipped",
					zap.String("path", rd.path), zap.Int64("from", from), zap.Int64("to", to), zap.Error(err))
				return
			}
		}
		atEOF := at+int64(len(buf)) >= to
		i := 0
		for i < len(buf) {
			advance, tok, err := rd.set.Split(buf[i:], atEOF)
			p := int32(-1)
			switch {
			case err != nil && !errors.Is(err, bufio.ErrFinalToken):
				return
			case advance == 0 && tok == nil:
				if len(buf)-i < rd.set.MaxLogSize {
					break
				}
				advance, tok = rd.set.MaxLogSize, buf[i:i+rd.set.MaxLogSize] // as tokenize splits it
				part = max(part, 0)
				p, part = part, part+1
			default:
				p, part = part, -1
			}
			if advance == 0 {
				break
			}
			start := at + int64(i)
			d.line(tok, start, start+int64(advance), p, atEOF && i+advance == len(buf) && !bytes.HasSuffix(buf[i:i+advance], []byte{'\n'}))
			i += advance
		}
		if atEOF {
			break
		}
		n := copy(buf, buf[i:])
		buf, at = buf[:n], at+int64(i)
	}
	d.flush(to)
	g.flush()
}
