// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckpointAdvancesOnlyOverTheContiguousAcknowledgedPrefix(t *testing.T) {
	a := newAckTracker(100)
	s0, s1, s2 := a.register(), a.register(), a.register() // [100,200) [200,300) [300,400)

	off, moved := a.ack(s2, 400)
	assert.False(t, moved, "batch 2 is acknowledged, but 0 and 1 are not")
	assert.Equal(t, int64(100), off)
	off, moved = a.ack(s0, 200)
	assert.True(t, moved)
	assert.Equal(t, int64(200), off, "only batch 0 joins the prefix")
	off, moved = a.ack(s1, 300)
	assert.True(t, moved)
	assert.Equal(t, int64(400), off, "batch 1 closes the gap up to batch 2's end")
}

func TestWaitRecordedReleasesOnlyWhenACheckpointCoversTheBatch(t *testing.T) {
	a := newAckTracker(0)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, ok := a.waitRecorded(ctx, 10)
	assert.False(t, ok, "nothing recorded yet")

	done := make(chan uint64)
	go func() {
		gen, ok := a.waitRecorded(context.Background(), 20)
		assert.True(t, ok)
		done <- gen
	}()
	a.recorded(10, 1)
	select {
	case <-done:
		t.Fatal("released before a checkpoint covered the batch's end")
	case <-time.After(20 * time.Millisecond):
	}
	a.recorded(20, 2)
	require.Equal(t, uint64(2), <-done)

	retired := newAckTracker(0)
	retired.retire()
	_, ok = retired.waitRecorded(context.Background(), 10)
	assert.False(t, ok, "a retired incarnation releases its waiters")
}
