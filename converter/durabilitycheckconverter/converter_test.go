// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durabilitycheckconverter

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{file: "safe.yaml"},
		{file: "unsafe.yaml", want: []string{
			`pipeline "logs": processor "batch" acknowledges`,
			`pipeline "logs": exporter "otlp_grpc" has an in-memory sending_queue`,
			`pipeline "logs": exporter "otlp_http/explicit" has an in-memory sending_queue`,
		}},
		{file: "other_receiver.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			cm, err := confmaptest.LoadConf(filepath.Join("testdata", tt.file))
			require.NoError(t, err)
			got := Check(cm.ToStringMap())
			require.Len(t, got, len(tt.want), "%v", got)
			for i, prefix := range tt.want {
				assert.Contains(t, got[i], prefix)
			}
		})
	}
}

func TestConvertLeavesConfigUnchanged(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "unsafe.yaml"))
	require.NoError(t, err)
	before := cm.ToStringMap()
	conv := NewFactory().Create(confmap.ConverterSettings{})
	require.NoError(t, conv.Convert(context.Background(), cm))
	assert.Equal(t, before, cm.ToStringMap())
}
