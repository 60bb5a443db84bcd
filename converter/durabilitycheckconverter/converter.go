// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package durabilitycheckconverter warns about pipelines that weaken the durable_file
// receiver's guarantee. A checkpoint advances when ConsumeLogs returns nil, so every hop
// that returns nil before the data is safe (the batch processor, an in-memory sending
// queue that does not wait for the result) turns at-least-once into at-most-once for
// whatever it holds when the process dies. The converter changes nothing; it only looks
// at the resolved configuration, so the warnings appear in `flightlog validate` as well as
// at start.
package durabilitycheckconverter // import "github.com/flightlog/flightlog/converter/durabilitycheckconverter"

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"go.opentelemetry.io/collector/confmap"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

const receiverType = "durable_file"

// exportersWithDefaultQueue have an in-memory sending_queue unless it is configured away.
var exportersWithDefaultQueue = map[string]bool{
	"otlp_grpc": true, "otlp_http": true, "otlp": true, "otlphttp": true,
}

// NewFactory returns the converter factory. Warnings go to stderr through a logger of
// the converter's own: during `validate` the collector buffers its logger and never
// writes it out.
func NewFactory() confmap.ConverterFactory {
	return confmap.NewConverterFactory(func(confmap.ConverterSettings) confmap.Converter {
		enc := zap.NewDevelopmentEncoderConfig()
		logger := zap.New(zapcore.NewCore(zapcore.NewConsoleEncoder(enc), zapcore.Lock(os.Stderr), zapcore.WarnLevel))
		return &converter{logger: logger}
	})
}

type converter struct {
	logger *zap.Logger
}

func (c *converter) Convert(_ context.Context, conf *confmap.Conf) error {
	for _, w := range Check(conf.ToStringMap()) {
		c.logger.Warn(w)
	}
	return nil
}

// Check returns one warning for each hop that acknowledges data before it is safe in a
// pipeline fed by durable_file.
func Check(cfg map[string]any) []string {
	service, _ := cfg["service"].(map[string]any)
	pipelines, _ := service["pipelines"].(map[string]any)
	exporters, _ := cfg["exporters"].(map[string]any)
	names := make([]string, 0, len(pipelines))
	for name := range pipelines {
		names = append(names, name)
	}
	sort.Strings(names)

	var warnings []string
	for _, name := range names {
		p, _ := pipelines[name].(map[string]any)
		if !anyOfType(list(p["receivers"]), receiverType) {
			continue
		}
		for _, id := range list(p["processors"]) {
			if typeOf(id) == "batch" {
				warnings = append(warnings, fmt.Sprintf(
					"pipeline %q: processor %q acknowledges logs before they are exported, so durable_file checkpoints data that a crash can still lose; batch in the exporter's sending_queue instead", name, id))
			}
		}
		for _, id := range list(p["exporters"]) {
			ecfg, _ := exporters[id].(map[string]any)
			if queueAcknowledgesEarly(typeOf(id), ecfg) {
				warnings = append(warnings, fmt.Sprintf(
					"pipeline %q: exporter %q has an in-memory sending_queue that acknowledges before export, so durable_file checkpoints data that a crash can still lose; set sending_queue.wait_for_result: true, put the queue on file_storage (sending_queue.storage), or disable it", name, id))
			}
		}
	}
	return warnings
}

func queueAcknowledgesEarly(typ string, exporter map[string]any) bool {
	raw, present := exporter["sending_queue"]
	queue, _ := raw.(map[string]any)
	enabled := exportersWithDefaultQueue[typ] || (present && raw != nil)
	if v, ok := queue["enabled"].(bool); ok {
		enabled = v
	}
	if !enabled {
		return false
	}
	if v, _ := queue["wait_for_result"].(bool); v {
		return false
	}
	return queue["storage"] == nil
}

func list(v any) []string {
	items, _ := v.([]any)
	out := make([]string, 0, len(items))
	for _, it := range items {
		if s, ok := it.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func anyOfType(ids []string, typ string) bool {
	for _, id := range ids {
		if typeOf(id) == typ {
			return true
		}
	}
	return false
}

func typeOf(id string) string {
	t, _, _ := strings.Cut(id, "/")
	return t
}
