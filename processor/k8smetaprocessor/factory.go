// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor // import "github.com/flightlog/flightlog/processor/k8smetaprocessor"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/flightlog/flightlog/processor/k8smetaprocessor/internal/metadata"
)

// NewFactory creates the k8s_meta processor factory. Its processors of one component ID
// share one source, whatever the signals: one watch of the Pod per processor.
func NewFactory() processor.Factory {
	ss := newSources()
	return processor.NewFactory(
		metadata.Type,
		createDefaultConfig,
		processor.WithLogs(ss.createLogs, metadata.LogsStability),
		processor.WithTraces(ss.createTraces, metadata.TracesStability),
		processor.WithMetrics(ss.createMetrics, metadata.MetricsStability),
	)
}

func createDefaultConfig() component.Config {
	return &Config{
		Env: EnvConfig{
			Namespace: "K8S_NAMESPACE_NAME",
			PodName:   "K8S_POD_NAME",
			PodUID:    "K8S_POD_UID",
			NodeName:  "K8S_NODE_NAME",
			PodIP:     "K8S_POD_IP",
		},
		LabelsFile:      "/etc/podinfo/labels",
		AnnotationsFile: "/etc/podinfo/annotations",
		WellKnownLabels: true,
		API:             APIConfig{Enabled: true, RestartEvents: true, ResyncPeriod: 5 * time.Minute},
	}
}

var capabilities = processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true})

func (ss *sources) createLogs(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Logs) (processor.Logs, error) {
	s, err := ss.acquire(set, cfg.(*Config))
	if err != nil {
		return nil, err
	}
	p := &logsProcessor{source: s, next: next}
	return processorhelper.NewLogs(ctx, set, cfg, next, p.process, capabilities,
		processorhelper.WithStart(p.start), processorhelper.WithShutdown(p.shutdown))
}

func (ss *sources) createTraces(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Traces) (processor.Traces, error) {
	s, err := ss.acquire(set, cfg.(*Config))
	if err != nil {
		return nil, err
	}
	return processorhelper.NewTraces(ctx, set, cfg, next, s.processTraces, capabilities,
		processorhelper.WithStart(s.start), processorhelper.WithShutdown(s.shutdown))
}

func (ss *sources) createMetrics(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Metrics) (processor.Metrics, error) {
	s, err := ss.acquire(set, cfg.(*Config))
	if err != nil {
		return nil, err
	}
	return processorhelper.NewMetrics(ctx, set, cfg, next, s.processMetrics, capabilities,
		processorhelper.WithStart(s.start), processorhelper.WithShutdown(s.shutdown))
}
