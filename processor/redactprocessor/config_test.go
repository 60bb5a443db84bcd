// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package redactprocessor

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/flightlog/flightlog/processor/redactprocessor/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	tests := []struct {
		id      component.ID
		want    *Config
		wantErr []string
	}{
		{id: component.NewID(metadata.Type), want: createDefaultConfig().(*Config)},
		{id: component.NewIDWithName(metadata.Type, "custom"), want: &Config{
			Profiles:         []string{"secrets", "pii", "pii_extended"},
			Disable:          []string{"ip_address"},
			BlockedKeys:      []string{"x-api-key", "ssn"},
			AllowedKeys:      []string{"trace_id"},
			Scan:             ScanConfig{Body: true, Attributes: true, ResourceAttributes: true},
			Action:           "hash",
			BlockedKeyAction: "remove",
			HashKey:          "0123456789abcdef0123",
			Summary:          true,
			Custom:           []CustomDetector{{Name: "employee_id", Regex: `EMP-(\d{6})`, Keywords: []string{"employee"}}},
		}},
		{id: component.NewIDWithName(metadata.Type, "bad"), wantErr: []string{
			`profiles: unknown profile "everything"`,
			`action: must be "mask" or "hash", got "shred"`,
			`blocked_key_action: must be "mask", "hash" or "remove", got "burn"`,
			"custom[0].name: required",
			`custom[0].regex: "(" is not a valid regular expression`,
			`custom[0].validator: must be empty or luhn, got "crc"`,
			"scan: nothing is scanned",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.id.String(), func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig()
			sub, err := cm.Sub(tt.id.String())
			require.NoError(t, err)
			require.NoError(t, sub.Unmarshal(cfg))
			err = confmap.Validate(cfg)
			if len(tt.wantErr) > 0 {
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
