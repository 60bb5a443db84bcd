// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package k8smetaprocessor // import "github.com/flightlog/flightlog/processor/k8smetaprocessor"

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.uber.org/zap"

	"github.com/flightlog/flightlog/processor/k8smetaprocessor/internal/metadata"
)

// source knows the own Pod and keeps its attributes ready. One source serves every
// pipeline the processor is in, so there is one watch per processor, not per signal.
type source struct {
	id        component.ID
	owner     *sources
	cfg       *Config
	logger    *zap.Logger
	telemetry *metadata.TelemetryBuilder

	attrs atomic.Pointer[pcommon.Map] // read-only once published

	mu          sync.Mutex
	started     int
	cancel      context.CancelFunc
	done        sync.WaitGroup
	info        podInfo
	restarts    map[string]int64 // restartCount per container, as last seen
	termination *termination     // the app container's last termination, once seen
	events      chan restartEvent
}

// sources are the sources of one factory's processors, by component ID: the factory owns
// them, so there is no state at the package's level.
type sources struct {
	mu  sync.Mutex
	all map[component.ID]*source
}

func newSources() *sources { return &sources{all: map[component.ID]*source{}} }

// acquire returns the source of the processor id, creating it for the first pipeline.
func (ss *sources) acquire(set processor.Settings, cfg *Config) (*source, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if s, ok := ss.all[set.ID]; ok {
		return s, nil
	}
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	s := &source{
		id:        set.ID,
		owner:     ss,
		cfg:       cfg,
		logger:    set.Logger,
		telemetry: tb,
		restarts:  map[string]int64{},
		events:    make(chan restartEvent, 16),
	}
	empty := pcommon.NewMap()
	s.attrs.Store(&empty)
	ss.all[set.ID] = s
	return s, nil
}

func (s *source) start(context.Context, component.Host) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.started++
	if s.started > 1 {
		return nil
	}
	s.info = downwardEnv(s.cfg.Env)
	if s.info.namespace == "" || s.info.name == "" {
		s.logger.Warn("Not in a Kubernetes Pod: the environment variables that name it are empty; no Kubernetes attributes are added",
			zap.String("namespace_env", s.cfg.Env.Namespace), zap.String("pod_name_env", s.cfg.Env.PodName))
		return nil
	}
	if err := s.readFilesLocked(); err != nil {
		s.logger.Warn("Cannot read the downwardAPI files; going on without them", zap.Error(err))
	}
	s.publishLocked()

	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		watchFiles(ctx, s.logger, []string{s.cfg.LabelsFile, s.cfg.AnnotationsFile}, s.filesChanged)
	}()
	if s.cfg.API.Enabled {
		s.done.Add(1)
		go func() {
			defer s.done.Done()
			s.watchPod(ctx)
		}()
	}
	return nil
}

func (s *source) shutdown(context.Context) error {
	s.mu.Lock()
	s.started--
	last := s.started <= 0
	cancel := s.cancel
	s.mu.Unlock()
	if !last {
		return nil
	}
	if cancel != nil {
		cancel()
	}
	s.done.Wait()
	s.owner.release(s)
	s.telemetry.Shutdown()
	return nil
}

// release forgets s once its last pipeline shut down: a reloaded configuration gets a new
// source.
func (ss *sources) release(s *source) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.all[s.id] == s {
		delete(ss.all, s.id)
	}
}

// lastTermination is the app container's last termination, nil until one was seen.
func (s *source) lastTermination() *termination {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.termination
}

// restartEvents delivers each restart of the app container as the Pod watch sees it.
func (s *source) restartEvents() <-chan restartEvent { return s.events }

func (s *source) filesChanged() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.readFilesLocked(); err != nil {
		s.logger.Warn("Cannot re-read the downwardAPI files; keeping what was read before", zap.Error(err))
		return
	}
	s.publishLocked()
}

func (s *source) readFilesLocked() error {
	labels, err := readKeyValues(s.cfg.LabelsFile)
	if err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	annotations, err := readKeyValues(s.cfg.AnnotationsFile)
	if err != nil {
		return fmt.Errorf("annotations: %w", err)
	}
	// What the API server told is as fresh; the files only fill in without API access.
	if !s.info.fromAPI {
		s.info.labels, s.info.annotations = labels, annotations
	}
	return nil
}

// publishLocked recomputes the attributes; processing picks them up with one atomic load.
func (s *source) publishLocked() {
	m := resourceAttributes(s.cfg, &s.info)
	s.attrs.Store(&m)
}

func (s *source) apply(res pcommon.Resource) {
	apply(*s.attrs.Load(), res.Attributes(), s.cfg.Override)
}

func (s *source) processTraces(_ context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	for _, rs := range td.ResourceSpans().All() {
		s.apply(rs.Resource())
	}
	return td, nil
}

func (s *source) processMetrics(_ context.Context, md pmetric.Metrics) (pmetric.Metrics, error) {
	for _, rm := range md.ResourceMetrics().All() {
		s.apply(rm.Resource())
	}
	return md, nil
}
