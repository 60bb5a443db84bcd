// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

//go:build integration

package e2e

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// The alert rules of deploy/alerts are a Prometheus rule file whose expressions name metrics
// the receiver has, as the collector's Prometheus endpoint names them: otelcol_ + the name
// in metadata.yaml (TestCheckpointsShowTheLagAndShippingResumesWithoutARestart scrapes the
// lag and retry metrics under those exact names).
func TestAlertRulesNameTheReceiversMetrics(t *testing.T) {
	var rules struct {
		Groups []struct {
			Name  string `json:"name"`
			Rules []struct {
				Alert       string            `json:"alert"`
				Expr        string            `json:"expr"`
				For         string            `json:"for"`
				Labels      map[string]string `json:"labels"`
				Annotations map[string]string `json:"annotations"`
			} `json:"rules"`
		} `json:"groups"`
	}
	data, err := os.ReadFile("../../deploy/alerts/flightlog-rules.yaml")
	require.NoError(t, err)
	require.NoError(t, yaml.UnmarshalStrict(data, &rules))
	metrics := map[string]any{}
	for _, file := range []string{"../../receiver/durablefilereceiver/metadata.yaml", "../../processor/k8smetaprocessor/metadata.yaml"} {
		var metadata struct {
			Telemetry struct {
				Metrics map[string]any `json:"metrics"`
			} `json:"telemetry"`
		}
		data, err = os.ReadFile(file)
		require.NoError(t, err)
		require.NoError(t, yaml.Unmarshal(data, &metadata))
		for name, m := range metadata.Telemetry.Metrics {
			metrics[name] = m
		}
	}

	require.Len(t, rules.Groups, 2)
	names := regexp.MustCompile(`\botelcol_[a-z0-9_]+`)
	alerts := map[string]bool{}
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			alerts[r.Alert] = true
			_, err := time.ParseDuration(r.For)
			assert.NoError(t, err, r.Alert)
			assert.NotEmpty(t, r.Labels["severity"], r.Alert)
			assert.NotEmpty(t, r.Annotations["summary"], r.Alert)
			for _, m := range names.FindAllString(r.Expr, -1) {
				assert.Contains(t, metrics, strings.TrimPrefix(m, "otelcol_"), "%s: %s is not a metric of Flightlog's", r.Alert, m)
			}
		}
	}
	assert.True(t, alerts["FlightlogLagGrowing"], "the lag alert")
}
