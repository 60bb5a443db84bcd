// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package alerts checks deploy/alerts/flightlog-rules.yaml with Prometheus' own rule parser
// (what promtool check rules runs) and query engine, against recorded series: a module of
// its own, so that Prometheus is a dependency of this test and not of Flightlog.
package alerts

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/promql/promqltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const rulesFile = "../../deploy/alerts/flightlog-rules.yaml"

// rules parses the rule file as Prometheus does, and returns each alert's expression.
func rules(t *testing.T) map[string]string {
	t.Helper()
	groups, errs := rulefmt.ParseFile(rulesFile, false, model.UTF8Validation, parser.NewParser(parser.Options{}), slog.New(slog.DiscardHandler))
	require.Empty(t, errs, "the rules do not pass Prometheus' checks")
	out := map[string]string{}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			out[r.Alert] = r.Expr
		}
	}
	return out
}

// firing evaluates expr at at against series loaded in promqltest's notation, and returns
// the label sets it fires for.
func firing(t *testing.T, expr, series string, at time.Duration) []string {
	t.Helper()
	storage := promqltest.LoadedStorage(t, series)
	t.Cleanup(func() { _ = storage.Close() })
	engine := promql.NewEngine(promql.EngineOpts{MaxSamples: 50_000_000, Timeout: time.Minute, LookbackDelta: 5 * time.Minute})
	q, err := engine.NewInstantQuery(context.Background(), storage, nil, expr, time.Unix(0, 0).Add(at))
	require.NoError(t, err)
	res := q.Exec(context.Background())
	require.NoError(t, res.Err)
	vec, err := res.Vector()
	require.NoError(t, err)
	var out []string
	for _, s := range vec {
		out = append(out, s.Metric.String())
	}
	return out
}

func TestTheRulesPassPrometheusChecks(t *testing.T) {
	got := rules(t)
	for _, name := range []string{"FlightlogAppCrashLoop", "FlightlogAppNewExceptionType", "FlightlogAppCrashRateRising", "FlightlogLagGrowing"} {
		assert.Contains(t, got, name)
	}
}

func TestACrashLoopFires(t *testing.T) {
	expr := rules(t)["FlightlogAppCrashLoop"]
	// checkout-a restarts 3 times in 4 minutes; checkout-b once.
	series := `
load 1m
  otelcol_processor_k8s_meta_restarts{namespace="shop", pod="checkout-a", reason="OOMKilled", exit_code="137"} 0 0 1 1 2
  otelcol_processor_k8s_meta_restarts{namespace="shop", pod="checkout-a", reason="Error", exit_code="1"} 0 0 0 1 1
  otelcol_processor_k8s_meta_restarts{namespace="shop", pod="checkout-b", reason="Error", exit_code="1"} 0 0 0 0 1
`
	assert.Equal(t, []string{`{namespace="shop", pod="checkout-a"}`}, firing(t, expr, series, 4*time.Minute))
}

func TestANewExceptionTypeFires(t *testing.T) {
	expr := rules(t)["FlightlogAppNewExceptionType"]
	// ValueError all along for 8 days; KeyError first in the last 10 minutes. One load each,
	// in time order: a load appends its series in map order, and the test storage refuses a
	// sample more than 12 hours older than the newest (it failed 1 run in 8 when KeyError's
	// came first).
	const samples = 8 * 24 * 12 // 5-minute samples
	series := fmt.Sprintf(`
load 5m
  otelcol_receiver_durable_file_app_crashes{namespace="shop", pod="checkout-a", exception_type="ValueError"} 0+1x%d

load 5m
  otelcol_receiver_durable_file_app_crashes{namespace="shop", pod="checkout-a", exception_type="KeyError"} _x%d 0 1 2
`, samples, samples-2)
	at := time.Duration(samples) * 5 * time.Minute
	assert.Equal(t, []string{`{exception_type="KeyError", namespace="shop"}`}, firing(t, expr, series, at))
}

func TestARisingCrashRateFires(t *testing.T) {
	expr := rules(t)["FlightlogAppCrashRateRising"]
	// shop: 1 crash every 20 minutes for 2 hours, then 10 in the last 10 minutes.
	// billing: the same slow pace all along. new: no crash before, 4 in the last 10 minutes.
	series := `
load 5m
  otelcol_receiver_durable_file_app_crashes{namespace="shop", pod="a", exception_type="ValueError"} 0 0 0 0 1 1 1 1 2 2 2 2 3 3 3 3 4 4 4 4 5 5 5 5 5 10 15
  otelcol_receiver_durable_file_app_crashes{namespace="billing", pod="b", exception_type="ValueError"} 0 0 0 0 1 1 1 1 2 2 2 2 3 3 3 3 4 4 4 4 5 5 5 5 6 6 6
  otelcol_receiver_durable_file_app_crashes{namespace="new", pod="c", exception_type="KeyError"} _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ 0 2 4
`
	assert.ElementsMatch(t, []string{`{namespace="shop"}`, `{namespace="new"}`}, firing(t, expr, series, 26*5*time.Minute))
}

func TestAStuckDeliveryAndDeadLettersFire(t *testing.T) {
	all := rules(t)
	// checkout-a's delivery has been refused for 6 minutes; checkout-b's for 1.
	stuck := `
load 1m
  otelcol_receiver_durable_file_stuck_seconds{namespace="shop", pod="checkout-a"} 0 0 60 120 180 240 300 360 420
  otelcol_receiver_durable_file_stuck_seconds{namespace="shop", pod="checkout-b"} 0 0 0 0 0 0 0 0 60
`
	assert.Equal(t, []string{`{namespace="shop", pod="checkout-a"}`}, names(firing(t, all["FlightlogDeliveryStuck"], stuck, 8*time.Minute)))
	dead := `
load 1m
  otelcol_receiver_durable_file_dead_letters{namespace="shop", pod="checkout-a"} 0 0 0 1 1
  otelcol_receiver_durable_file_dead_letters{namespace="shop", pod="checkout-b"} 0 0 0 0 0
`
	assert.Equal(t, []string{`{namespace="shop", pod="checkout-a"}`}, names(firing(t, all["FlightlogRecordsDeadLettered"], dead, 4*time.Minute)))
}

// names drops the metric name from label sets, as an alert's labels do not carry it.
func names(sets []string) []string {
	out := make([]string, 0, len(sets))
	for _, s := range sets {
		if i := strings.Index(s, "__name__="); i >= 0 {
			end := strings.Index(s[i:], ", ")
			s = s[:i] + s[i+end+2:]
		}
		out = append(out, s)
	}
	return out
}
