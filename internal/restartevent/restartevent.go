// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package restartevent names the record that durable_file sends when an application's log
// started over (the file was truncated, or deleted and created again). k8s_meta links its own
// record of a container restart to it, so the two components must agree on these names.
package restartevent // import "github.com/flightlog/flightlog/internal/restartevent"

const (
	// AttrEventName is the semantic conventions' key for an event's name.
	AttrEventName = "event.name"
	// Name is the value of AttrEventName on the record.
	Name = "flightlog.app.restart"
)
