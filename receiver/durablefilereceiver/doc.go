// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:generate mdatagen metadata.yaml

// Package durablefilereceiver tails log files and delivers every line at least once:
// the checkpoint of a byte range advances only after the pipeline accepted its records.
package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"
