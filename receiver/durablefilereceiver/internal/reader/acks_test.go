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
	acked, moved := a.Ack(s2, at(400))
	assert.False(t, moved, "batch 2 is acknowledged, but 0 and 1 are not")
	assert.Equal(t, int64(100), acked.End)
	acked, moved = a.Ack(s0, at(200))
	assert.True(t, moved)
	assert.Equal(t, at(200), acked, "only batch 0 joins the prefix")
	acked, moved = a.Ack(s1, at(300))
	assert.True(t, moved)
	assert.Equal(t, at(400), acked, "batch 1 closes the gap up to batch 2's end, whose tail the checkpoint takes")
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
	a.Recorded(10, 1)
	select {
	case <-done:
		t.Fatal("released before a checkpoint covered the batch's end")
	case <-time.After(20 * time.Millisecond):
	}
	a.Recorded(20, 2)
	require.Equal(t, uint64(2), <-done)

	retired := NewAcks(0)
	retired.retire()
	_, ok = retired.WaitRecorded(context.Background(), 10)
	assert.False(t, ok, "a retired incarnation releases its waiters")
}
