// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package checkpoint

import (
	"fmt"
	"hash/crc32"
	"os"
	"reflect"
	"testing"
)

// FuzzDecode feeds the checkpoint decoder arbitrary files and arbitrary slot bodies behind
// a valid header, and tears a valid file at an arbitrary byte. It must never panic, a slot
// it accepts must encode back to the same entries, and a torn newer slot must give the
// older slot's entries or the newer's, never anything else and never an error.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("flightlog-checkpoint v2 gen=00000000000000000001 len=0000000002 crc32c=00000000\n{}"),
		[]byte(`{"version":2,"files":{"k":{"path":"/var/log/app.log","offset":4096,"fingerprint_len":1000,"fingerprint":"abc","updated":1}}}`),
		uint64(1), uint32(70), byte(1))
	f.Add([]byte{}, []byte(`{"version":2,"files":null}`), uint64(0), uint32(0), byte(0x80))
	f.Add([]byte("flightlog-checkpoint v3 gen="), []byte(`{"files":{"\u00e9\ud800":{"offset":-1}}}`), ^uint64(0), uint32(4200), byte(0xff))
	// Format 3, with identities, and one that a later format says this one can read.
	f.Add([]byte("flightlog-checkpoint v2 gen=00000000000000000001 len=0000000002 crc32c=00000000\n{}"),
		[]byte(`{"version":3,"files":{"k":{"path":"/var/log/app.log","offset":4096,"fingerprint_len":1000,"fingerprint":"abc","updated":1,"dev":64768,"ino":9,"tail_len":256,"tail":18446744073709551615,"size":8192}}}`),
		uint64(7), uint32(9), byte(4))
	f.Add([]byte("flightlog-checkpoint v4 gen=00000000000000000001 len=0000000002 crc32c=00000000\n{}"),
		[]byte(`{"version":4,"readable_by":3,"files":{"k":{"offset":1,"ino":1,"tail_len":1,"tail":1,"window":[1,2]}}}`),
		uint64(2), uint32(1), byte(0))
	if v2, err := os.ReadFile("testdata/v2.checkpoint"); err == nil {
		f.Add(v2, []byte(`{"version":2,"files":{}}`), uint64(1), uint32(0), byte(0))
	}

	f.Fuzz(func(t *testing.T, data, body []byte, gen uint64, at uint32, mask byte) {
		// Arbitrary bytes, as they are and padded to the smallest file.
		_, _, _ = decode(data)
		_, _, _ = decode(append(data, make([]byte, max(0, slotsCount*minSlot-len(data)))...))

		// An arbitrary body behind a valid header.
		slot := fmt.Appendf(nil, header, version, gen, len(body), crc32.Checksum(body, crcTable))
		slot = append(slot, body...)
		entries, got, err := decodeSlot(append(slot, make([]byte, max(0, minSlot-len(slot)))...))
		if err != nil {
			return
		}
		if got != gen {
			t.Fatalf("generation %d decoded as %d", gen, got)
		}
		if gen+1 == 0 {
			return // no newer generation
		}
		older := map[string]Entry{"older": {Path: "/var/log/app.log", Offset: 1}}
		file := encodeFile(t, older, gen, 0)
		file = encodeFile(t, entries, gen+1, 1, file...)
		again, newest, err := decode(file)
		if err != nil || newest != gen+1 || !reflect.DeepEqual(again, entries) {
			t.Fatalf("entries %v did not encode back: %v gen %d, %v", entries, again, newest, err)
		}

		// A write torn at one byte of the newer slot.
		if mask == 0 {
			return // tears nothing
		}
		size := len(file) / slotsCount
		file[size+int(at)%size] ^= mask
		torn, _, err := decode(file)
		if err != nil {
			t.Fatalf("a torn newer slot made the file unreadable although the older is intact: %v", err)
		}
		if !reflect.DeepEqual(torn, entries) && !reflect.DeepEqual(torn, older) {
			t.Fatalf("a torn slot decoded as %v, neither the newer %v nor the older %v", torn, entries, older)
		}
	})
}

// encodeFile writes entries as generation gen into slot i of file, sizing both slots to fit.
func encodeFile(t *testing.T, entries map[string]Entry, gen uint64, i int, file ...byte) []byte {
	slot, err := encodeSlot(nil, gen, entries)
	if err != nil {
		t.Fatal(err)
	}
	size := max(len(file)/slotsCount, minSlot)
	for size < len(slot) {
		size += minSlot
	}
	if len(file) != slotsCount*size { // grow: keep the other slot's content
		grown := make([]byte, slotsCount*size)
		for k := range slotsCount {
			if len(file) > 0 {
				copy(grown[k*size:], file[k*len(file)/slotsCount:(k+1)*len(file)/slotsCount])
			}
		}
		file = grown
	}
	clear(file[i*size : (i+1)*size])
	copy(file[i*size:], slot)
	return file
}
