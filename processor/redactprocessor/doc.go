// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:generate mdatagen metadata.yaml

// Package redactprocessor removes secrets and personal data from logs.
package redactprocessor // import "github.com/flightlog/flightlog/processor/redactprocessor"
