// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Written by hand, not by the builder (`make generate` leaves it alone): the builder's main
// offers no way to add a command, so `flightlog checkpoints` is taken before the collector's
// command parses the arguments, and a request for help is answered by the collector's
// command with `checkpoints` added, so that `flightlog --help` lists every subcommand.

package main

import (
	"os"
	"slices"

	"github.com/spf13/cobra"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/otelcol"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/inspect"
)

func init() {
	args := os.Args[1:]
	switch {
	case len(args) > 0 && args[0] == "checkpoints":
		os.Exit(inspect.Main(args[1:], os.Stdout, os.Stderr))
	case len(args) > 0 && args[0] == "help", slices.Contains(args, "--help"), slices.Contains(args, "-h"):
		cmd := otelcol.NewCommand(otelcol.CollectorSettings{BuildInfo: component.BuildInfo{Command: "flightlog"}, Factories: components})
		cmd.AddCommand(&cobra.Command{
			Use:                "checkpoints --dir DIR [--json] [--dead-letters]",
			Short:              "Show what durable_file has and has not delivered, per file, and its dead letters",
			DisableFlagParsing: true,
			Run:                func(_ *cobra.Command, args []string) { os.Exit(inspect.Main(args, os.Stdout, os.Stderr)) },
		})
		cmd.SetArgs(args)
		if cmd.Execute() != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
}
