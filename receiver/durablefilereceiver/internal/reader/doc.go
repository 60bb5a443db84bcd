// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package reader follows one file for durable_file: it reads what was appended (read.go),
// turns a container runtime's lines back into the app's (decode.go), groups a stack trace
// into one record (group.go) and packs records into batches of contiguous byte ranges
// (batch.go, linger.go), which it hands to a Sink within max_in_flight. A batch carries the
// incarnation it was read in and its acknowledgement tracker (acks.go), so the stages after
// it never look at the reader.
//
// Its state is unexported: the receiver's file table decides a file's lifecycle and the
// scheduler when it is read, both through the small API of Reader, and a reader knows
// nothing of either beyond the Table and Sink it was built with.
package reader // import "github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
