// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// counter is one series the collector's metrics endpoint shows.
type counter struct {
	series string
	value  float64
}

// scrape reads the collector's Prometheus endpoint and returns the series of the named
// metrics, in order.
func scrape(port int, names ...string) ([]counter, error) {
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port))
	if err != nil {
		return nil, fmt.Errorf("scrape the collector's metrics: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var out []counter
	for _, l := range strings.Split(string(body), "\n") {
		series, value, ok := strings.Cut(l, " ")
		name, _, _ := strings.Cut(series, "{")
		if !ok || strings.HasPrefix(l, "#") || !slices.Contains(names, name) {
			continue
		}
		if v, err := strconv.ParseFloat(value, 64); err == nil {
			out = append(out, counter{series, v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].series < out[j].series })
	return out, nil
}

// freePort is a loopback port nobody listens on.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
