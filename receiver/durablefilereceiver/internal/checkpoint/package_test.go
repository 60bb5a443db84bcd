// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package checkpoint

import (
	"testing"

	"go.uber.org/goleak"
)

// The store's writer goroutine must end with Close.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
