// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)

	custom := createDefaultConfig().(*Config)
	custom.Include = []string{"/var/log/pods/*/*/*.log"}
	custom.Exclude = []string{"/var/log/pods/*/*/*.gz"}
	custom.StartAt = startAtEnd
	custom.Checkpoint = "/data/checkpoints"
	custom.CheckpointInterval = 100 * time.Millisecond
	custom.CheckpointFsync = true
	custom.PollInterval = time.Second
	custom.MaxLogSize = 64 << 10
	custom.Encoding = "utf-16le"
	custom.FlushPeriod = 2 * time.Second
	custom.IncludeFileName = false
	custom.IncludeFilePath = true
	custom.Resource = map[string]string{"service.name": "checkout"}
	custom.Batch = BatchConfig{MaxLines: 1000, MaxBytes: 1 << 20, MaxInFlight: 4, MaxInFlightBytes: 4 << 20, FlushTimeout: 50 * time.Millisecond}
	custom.Retry = RetryConfig{InitialInterval: 50 * time.Millisecond, MaxInterval: 5 * time.Second}
	custom.DrainTimeout = 30 * time.Second

	defaults := createDefaultConfig().(*Config)
	defaults.Include = []string{"/var/log/app/*.log"}

	recorder := createDefaultConfig().(*Config)
	recorder.Include = []string{"/var/log/app/*.log"}
	recorder.Recorder = RecorderConfig{Enabled: true, ShipLevel: "warn", Triggers: []string{"crash"}, Before: 30 * time.Second,
		BeforeBytes: 8 << 20, After: 5 * time.Second}

	tests := []struct {
		id      component.ID
		want    *Config
		wantErr []string
	}{
		{id: component.NewID(metadata.Type), want: defaults},
		{id: component.NewIDWithName(metadata.Type, "custom"), want: custom},
		{id: component.NewIDWithName(metadata.Type, "no_include"), wantErr: []string{"include: at least one pattern is required"}},
		{id: component.NewIDWithName(metadata.Type, "bad_values"), wantErr: []string{
			`invalid glob pattern "/var/log/[.log"`,
			`start_at: must be "beginning" or "end", got "middle"`,
			"checkpoint: a directory is required",
			"encoding:",
			"batch.max_lines: must be at least 1",
			"batch.max_in_flight: must be at least 1",
			"batch.max_in_flight_bytes: must be at least batch.max_bytes",
			"reclaim.min_chunk: must be a multiple of 4KiB",
			`format: must be "plain", "cri", "docker" or "auto", got "journald"`,
		}},
		{id: component.NewIDWithName(metadata.Type, "recorder"), want: recorder},
		{id: component.NewIDWithName(metadata.Type, "bad_recorder"), wantErr: []string{
			`recorder.ship_level: must be one of trace, debug, info, warn, error, fatal; got "verbose"`,
			"recorder.triggers: crash needs crash_detection.enabled",
			`recorder.triggers: must be crash or error, got "oom"`,
			"recorder.before: must be positive, got 0s",
			"recorder.before_bytes: must be at least max_log_size (1048576), got 1024",
			"recorder.after: must not be negative, got -1s",
		}},
		{id: component.NewIDWithName(metadata.Type, "recorder_without_triggers"), wantErr: []string{
			"recorder.triggers: at least one of crash, error is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.id.String(), func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig()
			sub, err := cm.Sub(tt.id.String())
			require.NoError(t, err)
			require.NoError(t, sub.Unmarshal(cfg))
			err = confmap.Validate(cfg)
			if len(tt.wantErr) > 0 {
				require.Error(t, err)
				for _, msg := range tt.wantErr {
					assert.ErrorContains(t, err, msg)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, cfg)
		})
	}
}
