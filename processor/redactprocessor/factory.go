// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package redactprocessor // import "github.com/flightlog/flightlog/processor/redactprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/flightlog/flightlog/processor/redactprocessor/internal/metadata"
)

// NewFactory creates the redact processor factory.
func NewFactory() processor.Factory {
	return processor.NewFactory(
		metadata.Type,
		createDefaultConfig,
		processor.WithLogs(createLogsProcessor, metadata.LogsStability),
	)
}

func createDefaultConfig() component.Config {
	return &Config{
		Profiles:         []string{profileSecrets, profilePII},
		Scan:             ScanConfig{Body: true, Attributes: true, ResourceAttributes: false},
		Action:           actionMask,
		BlockedKeyAction: actionMask,
	}
}

func createLogsProcessor(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Logs) (processor.Logs, error) {
	r, err := newRedactor(set, cfg.(*Config))
	if err != nil {
		return nil, err
	}
	return processorhelper.NewLogs(ctx, set, cfg, next, r.processLogs,
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}),
		processorhelper.WithShutdown(func(context.Context) error { r.telemetry.Shutdown(); return nil }))
}
