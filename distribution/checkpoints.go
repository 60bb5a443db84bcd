// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Written by hand, not by the builder (`make generate` leaves it alone): the builder's main
// offers no way to add a command, so `flightlog checkpoints` is taken before the collector's
// command parses the arguments.

package main

import (
	"os"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/inspect"
)

func init() {
	if len(os.Args) > 1 && os.Args[1] == "checkpoints" {
		os.Exit(inspect.Main(os.Args[2:], os.Stdout, os.Stderr))
	}
}
