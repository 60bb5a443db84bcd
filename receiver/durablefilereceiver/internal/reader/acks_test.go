// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/fingerprint"
)

func TestCheckpointAdvancesOnlyOverTheContiguousAcknowledgedPrefix(t *testing.T) {
	a := NewAcks(100)
	s0, s1, s2 := a.register(), a.register(), a.register() // [100,200) [200,300) [300,400)

	at := func(end int64) AckPoint { return AckPoint{End: end, Tail: fingerprint.Tail{Len: 1, Hash: uint64(end)}} }
	var recorded []AckPoint
	record := func(p AckPoint) uint64 { recorded = append(recorded, p); return uint64(len(recorded)) }
	acked, moved := a.Ack(s2, at(400), record)
	assert.False(t, moved, "batch 2 is acknowledged, but 0 and 1 are not")
	assert.Equal(t, int64(100), acked.End)
	acked, moved = a.Ack(s0, at(200), record)
	assert.True(t, moved)
	assert.Equal(t, at(200), acked, "only batch 0 joins the prefix")
	acked, moved = a.Ack(s1, at(300), record)
	assert.True(t, moved)
	assert.Equal(t, at(400), acked, "batch 1 closes the gap up to batch 2's end, whose tail the checkpoint takes")
	assert.Equal(t, []AckPoint{at(200), at(400)}, recorded, "the prefix is put into the store as it moves, in order")
}

// Two delivery callers acknowledge batches of one file at once. The prefix is put into the
// store and recorded under the tracker's lock, so the recorded end never moves back and
// every waiter is released: recorded outside it, a caller could record an earlier prefix
// after a later one, and the caller waiting for the later end waited for the file's next
// acknowledgement, forever once the file went quiet.
func TestConcurrentAcknowledgementsNeverMoveTheRecordedEndBack(t *testing.T) {
	for range 200 {
		a := NewAcks(0)
		const n = 8
		seqs := make([]uint64, n)
		for i := range seqs {
			seqs[i] = a.register()
		}
		var last int64
		var gen uint64
		record := func(p AckPoint) uint64 { // called with the tracker's lock held
			assert.Greater(t, p.End, last, "the store gets the prefix in order")
			last = p.End
			gen++
			return gen
		}
		done := make(chan struct{})
		for i, seq := range seqs {
			go func() {
				end := int64(i+1) * 10
				a.Ack(seq, AckPoint{End: end}, record)
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				_, ok := a.WaitRecorded(ctx, end)
				assert.True(t, ok, "the caller that acknowledged %d is released", end)
				done <- struct{}{}
			}()
		}
		for range n {
			<-done
		}
		assert.Equal(t, int64(n*10), a.Acked())
	}
}

func TestWaitRecordedReleasesOnlyWhenACheckpointCoversTheBatch(t *testing.T) {
	a := NewAcks(0)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, ok := a.WaitRecorded(ctx, 10)
	assert.False(t, ok, "nothing recorded yet")

	done := make(chan uint64)
	go func() {
		gen, ok := a.WaitRecorded(context.Background(), 20)
		assert.True(t, ok)
		done <- gen
	}()
	s0, s1 := a.register(), a.register()
	a.Ack(s0, AckPoint{End: 10}, func(AckPoint) uint64 { return 1 })
	select {
	case <-done:
		t.Fatal("released before a checkpoint covered the batch's end")
	case <-time.After(20 * time.Millisecond):
	}
	a.Ack(s1, AckPoint{End: 20}, func(AckPoint) uint64 { return 2 })
	require.Equal(t, uint64(2), <-done)

	retired := NewAcks(0)
	retired.retire()
	_, ok = retired.WaitRecorded(context.Background(), 10)
	assert.False(t, ok, "a retired incarnation releases its waiters")
}
