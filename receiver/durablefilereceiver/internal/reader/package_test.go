// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package reader

import (
	"testing"

	"go.uber.org/goleak"
)

// The reader starts no goroutine; a leak would be a bug of its tests.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
