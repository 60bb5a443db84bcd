// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTimeMatchesTimeParse(t *testing.T) {
	for _, s := range []string{criTime, "2026-11-26T10:00:00Z", "2026-11-26T10:00:00.5Z", "2026-02-28T23:59:59.000000001Z", "2026-11-26T11:00:00.25+01:00"} {
		want, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		got, ok := parseTime([]byte(s))
		assert.True(t, ok, s)
		assert.Equal(t, want.UnixNano(), got, s)
	}
	_, ok := parseTime([]byte("2026-11-26 10:00:00"))
	assert.False(t, ok)
}
