// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"testing"

	"go.uber.org/goleak"
)

// Every goroutine a test starts (sinks, proxies, writers, the waits on child processes) ends
// with it.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
