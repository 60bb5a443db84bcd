// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
)

func woken(r *releases) bool {
	select {
	case <-r.wake:
		return true
	default:
		return false
	}
}

// The scheduler is woken by a release only while it waits for one, and never misses one
// that came between its last take and its sleep.
func TestReleasesWakeTheSchedulerOnlyWhileItWaits(t *testing.T) {
	r := newReleases()
	r.expect(4)
	r.post(&reader.Batch{Raw: make([]byte, 10)})
	assert.False(t, woken(r), "nobody waits")
	r.arm()
	assert.True(t, woken(r), "posted since the last take: at once")

	owners, bytes := r.take(nil)
	assert.Len(t, owners, 1)
	assert.Equal(t, int64(10), bytes)
	r.arm()
	assert.False(t, woken(r))
	r.post(&reader.Batch{Raw: make([]byte, 5)})
	assert.True(t, woken(r), "armed: the post wakes it")
	r.post(&reader.Batch{Raw: make([]byte, 5)})
	assert.False(t, woken(r), "one wake per arm")

	settled := make(chan struct{})
	go func() { r.settled(); close(settled) }()
	select {
	case <-settled:
		t.Fatal("one batch is still out")
	case <-time.After(20 * time.Millisecond):
	}
	r.post(&reader.Batch{})
	select {
	case <-settled:
	case <-time.After(5 * time.Second):
		t.Fatal("settled did not return once every batch was posted")
	}
	owners, bytes = r.take(owners[:0])
	require.Len(t, owners, 3)
	assert.Equal(t, int64(10), bytes)
}
