// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// metric scrapes the collector's Prometheus endpoint on port and returns the sum of the
// series named name exactly (deploy/alerts uses these names); -1 when there is none.
func metric(port int, name string) int {
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port))
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	sum, found := 0.0, false
	for _, l := range strings.Split(string(body), "\n") {
		series, value, ok := strings.Cut(l, " ")
		if !ok || strings.HasPrefix(l, "#") {
			continue
		}
		if n, _, _ := strings.Cut(series, "{"); n == name {
			if v, err := strconv.ParseFloat(value, 64); err == nil {
				sum, found = sum+v, true
			}
		}
	}
	if !found {
		return -1
	}
	return int(sum)
}

// retries is the sidecar's receiver_durable_file_delivery_retries.
func retries(port int) int { return metric(port, "otelcol_receiver_durable_file_delivery_retries") }

// series scrapes the collector's Prometheus endpoint on port and returns the series named
// name, by their labels as Prometheus prints them ({k="v",...}), with their values.
func series(port int, name string) map[string]float64 {
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port))
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	out := map[string]float64{}
	for _, l := range strings.Split(string(body), "\n") {
		s, value, ok := strings.Cut(l, " ")
		if !ok || strings.HasPrefix(l, "#") {
			continue
		}
		n, labels, _ := strings.Cut(s, "{")
		if n != name {
			continue
		}
		if v, err := strconv.ParseFloat(value, 64); err == nil {
			out["{"+labels] = v
		}
	}
	return out
}
