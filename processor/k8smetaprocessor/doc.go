// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:generate mdatagen metadata.yaml

// Package k8smetaprocessor adds the Kubernetes identity of the sidecar's own Pod to
// telemetry, from the Downward API and optionally from one watch of that Pod, and turns
// restarts of the app container into log records that say why it died.
package k8smetaprocessor // import "github.com/flightlog/flightlog/processor/k8smetaprocessor"
