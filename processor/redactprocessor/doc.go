// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:generate make -C ../.. generate

// Package redactprocessor removes secrets and personal data from logs.
package redactprocessor // import "github.com/flightlog/flightlog/processor/redactprocessor"
