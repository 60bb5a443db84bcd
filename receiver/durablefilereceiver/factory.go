// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
)

// NewFactory creates the durable_file receiver factory.
func NewFactory() receiver.Factory {
	return receiver.NewFactory(
		metadata.Type,
		createDefaultConfig,
		receiver.WithLogs(createLogsReceiver, metadata.LogsStability),
	)
}

func createDefaultConfig() component.Config {
	return &Config{
		StartAt:            startAtBeginning,
		Checkpoint:         "/var/lib/flightlog/checkpoints",
		CheckpointInterval: 10 * time.Millisecond,
		PollInterval:       200 * time.Millisecond,
		// stanza's default; a Pod's own logs are a handful of files.
		MaxConcurrentFiles: 1024,
		MaxLogSize:         1 << 20,
		Encoding:           "utf-8",
		Format:             reader.FormatPlain,
		FlushPeriod:        500 * time.Millisecond,
		IncludeFileName:    true,
		Batch: BatchConfig{
			MaxLines:    8192,
			MaxBytes:    2 << 20,
			MaxInFlight: 2,
			// Two files catching up at once; more wait their turn in their files.
			MaxInFlightBytes: 8 << 20,
			// The default favours cost: every batch costs an export, a checkpoint write and
			// the runtime's wake-ups whatever its size, and a sidecar's CPU is paid in every
			// Pod. 200 ms keeps p99 write-to-arrival under 250 ms; 40 ms is the low-latency
			// setting (the README states what each costs).
			FlushTimeout: 200 * time.Millisecond,
		},
		Retry: RetryConfig{
			InitialInterval: 100 * time.Millisecond,
			MaxInterval:     10 * time.Second,
		},
		// A record refused for good would block its file forever under retry; in the
		// dead-letter file it is kept on the volume, counted and logged, and the rest ships.
		OnPermanentError: onPermanentErrorDeadLetter,
		DeadLetter:       DeadLetterConfig{MaxSize: 16 << 20},
		DrainTimeout:     10 * time.Second,
		CrashDetection: CrashDetectionConfig{
			Enabled:  true,
			MaxLines: 1000,
			MaxBytes: 1 << 20,
		},
		Reclaim: ReclaimConfig{
			Keep:     16 << 20,
			MinChunk: 1 << 20,
		},
		Recorder: RecorderConfig{
			ShipLevel:   "info",
			Triggers:    []string{triggerCrash, triggerError},
			Before:      time.Minute,
			BeforeBytes: 4 << 20,
			After:       10 * time.Second,
		},
	}
}

func createLogsReceiver(_ context.Context, set receiver.Settings, cfg component.Config, next consumer.Logs) (receiver.Logs, error) {
	return newReceiver(set, cfg.(*Config), next)
}
