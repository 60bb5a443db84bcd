// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package durablefilereceiver // import "github.com/flightlog/flightlog/receiver/durablefilereceiver"

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/reader"
	"github.com/flightlog/flightlog/receiver/durablefilereceiver/internal/severity"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/stanza/operator/helper"
	"golang.org/x/sys/unix"
)

const (
	startAtBeginning = "beginning"
	startAtEnd       = "end"

	onPermanentErrorRetry      = "retry"
	onPermanentErrorDeadLetter = "dead_letter"
)

// Config defines the durable_file receiver's settings.
type Config struct {
	// Include lists glob patterns of files to read; Exclude removes matches again.
	Include []string `mapstructure:"include"`
	Exclude []string `mapstructure:"exclude"`
	// StartAt applies to files found on the very first start, when no checkpoint exists.
	// Files found later are always read from their beginning.
	StartAt string `mapstructure:"start_at"`
	// Checkpoint is the directory where acknowledged offsets are persisted.
	Checkpoint string `mapstructure:"checkpoint"`
	// CheckpointInterval is the shortest time between two checkpoint writes: updates that
	// arrive meanwhile share one write. 0 writes as soon as an acknowledged batch waits, which costs
	// one write per acknowledgement when many files are busy.
	CheckpointInterval time.Duration `mapstructure:"checkpoint_interval"`
	// CheckpointFsync syncs every checkpoint write to the device. A write without it survives
	// a crash of the collector, not of the node; as with file_storage's fsync, off by default.
	CheckpointFsync bool `mapstructure:"checkpoint_fsync"`
	// PollInterval is how often files are listed and checked when no notification came.
	PollInterval time.Duration `mapstructure:"poll_interval"`
	// MaxConcurrentFiles bounds the files open for reading. Beyond it, files that are idle
	// and fully delivered are closed until they grow, and new files wait for a free slot.
	MaxConcurrentFiles int `mapstructure:"max_concurrent_files"`
	// MaxLogSize is the longest record; longer lines are split into parts.
	MaxLogSize helper.ByteSize `mapstructure:"max_log_size"`
	// Encoding of the files, as an IANA name (utf-8, utf-16le, latin1, ...).
	Encoding string `mapstructure:"encoding"`
	// Format is plain (the app's own lines), cri or docker (a container runtime's log of
	// the app's stdout and stderr), or auto (CRI or Docker, told per file).
	Format string `mapstructure:"format"`
	// FlushPeriod is how long a final line without a newline waits before it is sent.
	FlushPeriod time.Duration `mapstructure:"flush_period"`
	// IncludeFileName and IncludeFilePath add log.file.name and log.file.path.
	IncludeFileName bool `mapstructure:"include_file_name"`
	IncludeFilePath bool `mapstructure:"include_file_path"`
	// Resource attributes added to every batch.
	Resource map[string]string `mapstructure:"resource"`
	// Batch bounds what is sent in one ConsumeLogs call and how much may be unacknowledged.
	Batch BatchConfig `mapstructure:"batch"`
	// Retry is the backoff between attempts when the pipeline refuses a batch.
	Retry RetryConfig `mapstructure:"retry"`
	// OnPermanentError is what becomes of a record the backend refuses for good (OTLP/HTTP
	// 400, gRPC InvalidArgument), once splitting the batch found it: dead_letter writes it
	// to the dead-letter file and goes on, retry retries it until it is accepted.
	OnPermanentError string `mapstructure:"on_permanent_error"`
	// DeadLetter bounds the dead-letter file.
	DeadLetter DeadLetterConfig `mapstructure:"dead_letter"`
	// DrainTimeout bounds how long shutdown waits for read data to be acknowledged.
	DrainTimeout time.Duration `mapstructure:"drain_timeout"`
	// CrashDetection groups stack traces into one record and labels crashes.
	CrashDetection CrashDetectionConfig `mapstructure:"crash_detection"`
	// Reclaim gives back the disk space of delivered bytes.
	Reclaim ReclaimConfig `mapstructure:"reclaim"`
	// FollowSymlinksOutside follows a symlink whose target lies outside every include
	// pattern's base directory (/var/log/containers -> /var/log/pods). Off, such a link is
	// not read: a link in a log directory must not ship a file from elsewhere.
	FollowSymlinksOutside bool `mapstructure:"follow_symlinks_outside"`
	// Recorder is the flight recorder: records below ship_level stay in the file and ship
	// only around a trigger.
	Recorder RecorderConfig `mapstructure:"recorder"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// BatchConfig bounds batches.
type BatchConfig struct {
	MaxLines int             `mapstructure:"max_lines"`
	MaxBytes helper.ByteSize `mapstructure:"max_bytes"`
	// MaxInFlight is how many batches of one file may be unacknowledged at once. It is
	// also the bound on what a SIGKILL can make the receiver send twice, per file.
	MaxInFlight int `mapstructure:"max_in_flight"`
	// MaxInFlightBytes bounds the bytes read and not yet acknowledged across all files: with
	// many files catching up, max_in_flight batches each would hold max_bytes per file.
	MaxInFlightBytes helper.ByteSize `mapstructure:"max_in_flight_bytes"`
	// FlushTimeout is how long a batch that is not full may wait for more lines: an app
	// that writes line by line would otherwise cost one export per line.
	FlushTimeout time.Duration `mapstructure:"flush_timeout"`
}

// CrashDetectionConfig controls the grouping of stack traces.
type CrashDetectionConfig struct {
	Enabled bool `mapstructure:"enabled"`
	// MaxLines and MaxBytes bound one grouped record; a longer trace continues in the next.
	MaxLines int             `mapstructure:"max_lines"`
	MaxBytes helper.ByteSize `mapstructure:"max_bytes"`
	// StartPatterns are regular expressions of lines that begin a trace of a format the
	// built-in rules do not know; the indented lines after them join the record.
	StartPatterns []string `mapstructure:"start_patterns"`
}

// ReclaimConfig gives back the space of bytes a durable checkpoint covers, so that a log on
// an emptyDir does not grow until the Pod is evicted.
type ReclaimConfig struct {
	Enabled bool `mapstructure:"enabled"`
	// Keep is how many of the most recent bytes of each file are never given back, so that
	// tail still shows the end of the log.
	Keep helper.ByteSize `mapstructure:"keep"`
	// MinChunk is the unit holes are punched in, aligned in the file.
	MinChunk helper.ByteSize `mapstructure:"min_chunk"`
	// RemoveRotated deletes a rotated file once it is fully delivered and newer files in its
	// directory hold at least Keep bytes.
	RemoveRotated bool `mapstructure:"remove_rotated"`
}

// RecorderConfig is the flight recorder. Records whose level is below ShipLevel are held
// back: they stay in the file and are not exported, unless a trigger comes within Before
// after them (they ship then, ahead of it, marked as backfill) or they come within After
// of a trigger. Records with no level ship.
type RecorderConfig struct {
	Enabled bool `mapstructure:"enabled"`
	// ShipLevel is the lowest level shipped always: trace, debug, info, warn, error, fatal.
	ShipLevel string `mapstructure:"ship_level"`
	// Triggers are what ships the window: crash (a crash record, crash_detection's) and
	// error (a record at ERROR or above).
	Triggers []string `mapstructure:"triggers"`
	// Before is how much of the file's line time before a trigger ships with it, at most
	// BeforeBytes of held records, which each file keeps in memory.
	Before      time.Duration   `mapstructure:"before"`
	BeforeBytes helper.ByteSize `mapstructure:"before_bytes"`
	// After is how long after a trigger every record ships.
	After time.Duration `mapstructure:"after"`
}

const (
	triggerCrash = "crash"
	triggerError = "error"
)

// shipLevels are the level names ship_level takes.
var shipLevels = map[string]int32{
	"trace": severity.Trace, "debug": severity.Debug, "info": severity.Info,
	"warn": severity.Warn, "error": severity.Error, "fatal": severity.Fatal,
}

// validate checks the recorder's settings, when it is on.
func (r RecorderConfig) validate(c *Config) []error {
	if !r.Enabled {
		return nil
	}
	var errs []error
	if _, ok := shipLevels[r.ShipLevel]; !ok {
		errs = append(errs, fmt.Errorf("recorder.ship_level: must be one of trace, debug, info, warn, error, fatal; got %q", r.ShipLevel))
	}
	if len(r.Triggers) == 0 {
		errs = append(errs, errors.New("recorder.triggers: at least one of crash, error is required; without one nothing held back would ever ship"))
	}
	for _, t := range r.Triggers {
		switch {
		case t == triggerCrash && !c.CrashDetection.Enabled:
			errs = append(errs, errors.New("recorder.triggers: crash needs crash_detection.enabled"))
		case t != triggerCrash && t != triggerError:
			errs = append(errs, fmt.Errorf("recorder.triggers: must be crash or error, got %q", t))
		}
	}
	if r.Before <= 0 {
		errs = append(errs, fmt.Errorf("recorder.before: must be positive, got %s", r.Before))
	}
	if r.BeforeBytes < c.MaxLogSize {
		errs = append(errs, fmt.Errorf("recorder.before_bytes: must be at least max_log_size (%d), got %d", c.MaxLogSize, r.BeforeBytes))
	}
	if r.After < 0 {
		errs = append(errs, fmt.Errorf("recorder.after: must not be negative, got %s", r.After))
	}
	return errs
}

// settings is what a reader needs of the recorder's configuration.
func (r RecorderConfig) settings() reader.RecorderSettings {
	return reader.RecorderSettings{
		Enabled:     r.Enabled,
		ShipLevel:   shipLevels[r.ShipLevel],
		OnCrash:     slices.Contains(r.Triggers, triggerCrash),
		OnError:     slices.Contains(r.Triggers, triggerError),
		Before:      r.Before,
		BeforeBytes: int(r.BeforeBytes),
		After:       r.After,
	}
}

// DeadLetterConfig is the file where records the backend refused for good are kept,
// <checkpoint>/<component id>.dead-letter.jsonl.
type DeadLetterConfig struct {
	// MaxSize bounds the file; once it is full, refused records are retried as with
	// on_permanent_error: retry, until it has room again.
	MaxSize helper.ByteSize `mapstructure:"max_size"`
}

// RetryConfig is an exponential backoff without an end: data is never given up on.
type RetryConfig struct {
	InitialInterval time.Duration `mapstructure:"initial_interval"`
	MaxInterval     time.Duration `mapstructure:"max_interval"`
}

// Validate checks the configuration before anything starts.
func (c *Config) Validate() error {
	var errs []error
	if len(c.Include) == 0 {
		errs = append(errs, errors.New("include: at least one pattern is required"))
	}
	for _, p := range append(append([]string{}, c.Include...), c.Exclude...) {
		if !doublestar.ValidatePattern(p) {
			errs = append(errs, fmt.Errorf("include/exclude: invalid glob pattern %q", p))
		}
	}
	for _, p := range c.Include {
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			errs = append(errs, fmt.Errorf("include: %q is a directory; name the files in it, for example %q", p, filepath.Join(p, "*.log")))
		}
	}
	if c.StartAt != startAtBeginning && c.StartAt != startAtEnd {
		errs = append(errs, fmt.Errorf("start_at: must be %q or %q, got %q", startAtBeginning, startAtEnd, c.StartAt))
	}
	if c.Checkpoint == "" {
		errs = append(errs, errors.New("checkpoint: a directory is required; offsets are persisted there"))
	} else if err := writableDir(c.Checkpoint); err != nil {
		errs = append(errs, fmt.Errorf("checkpoint: %q %w", c.Checkpoint, err))
	}
	if c.CheckpointInterval < 0 || c.CheckpointInterval > time.Second {
		errs = append(errs, fmt.Errorf("checkpoint_interval: must be between 0 and 1s, got %s", c.CheckpointInterval))
	}
	if c.PollInterval <= 0 {
		errs = append(errs, errors.New("poll_interval: must be positive"))
	}
	if c.MaxConcurrentFiles < 1 {
		errs = append(errs, fmt.Errorf("max_concurrent_files: must be at least 1, got %d", c.MaxConcurrentFiles))
	}
	if c.MaxLogSize < 1024 {
		errs = append(errs, fmt.Errorf("max_log_size: must be at least 1KiB, got %d", c.MaxLogSize))
	}
	if _, err := lookupEncoding(c.Encoding); err != nil {
		errs = append(errs, fmt.Errorf("encoding: %w", err))
	}
	switch c.Format {
	case reader.FormatPlain, reader.FormatCRI, reader.FormatDocker, reader.FormatAuto:
	default:
		errs = append(errs, fmt.Errorf("format: must be %q, %q, %q or %q, got %q", reader.FormatPlain, reader.FormatCRI, reader.FormatDocker, reader.FormatAuto, c.Format))
	}
	if c.FlushPeriod <= 0 {
		errs = append(errs, errors.New("flush_period: must be positive"))
	}
	if c.Batch.MaxLines < 1 {
		errs = append(errs, errors.New("batch.max_lines: must be at least 1"))
	}
	if c.Batch.MaxBytes < c.MaxLogSize {
		errs = append(errs, fmt.Errorf("batch.max_bytes: must be at least max_log_size (%d), got %d", c.MaxLogSize, c.Batch.MaxBytes))
	}
	if c.Batch.FlushTimeout < 0 || c.Batch.FlushTimeout > time.Second {
		errs = append(errs, fmt.Errorf("batch.flush_timeout: must be between 0 and 1s, got %s", c.Batch.FlushTimeout))
	}
	if c.Batch.MaxInFlight < 1 {
		errs = append(errs, errors.New("batch.max_in_flight: must be at least 1"))
	}
	if c.Batch.MaxInFlightBytes < c.Batch.MaxBytes {
		errs = append(errs, fmt.Errorf("batch.max_in_flight_bytes: must be at least batch.max_bytes (%d), got %d", c.Batch.MaxBytes, c.Batch.MaxInFlightBytes))
	}
	if c.Retry.InitialInterval <= 0 || c.Retry.MaxInterval < c.Retry.InitialInterval {
		errs = append(errs, errors.New("retry: initial_interval must be positive and max_interval at least initial_interval"))
	}
	if c.OnPermanentError != onPermanentErrorRetry && c.OnPermanentError != onPermanentErrorDeadLetter {
		errs = append(errs, fmt.Errorf("on_permanent_error: must be %q or %q, got %q", onPermanentErrorDeadLetter, onPermanentErrorRetry, c.OnPermanentError))
	}
	if c.DeadLetter.MaxSize < c.MaxLogSize {
		errs = append(errs, fmt.Errorf("dead_letter.max_size: must be at least max_log_size (%d), got %d", c.MaxLogSize, c.DeadLetter.MaxSize))
	}
	if c.CrashDetection.MaxLines < 1 {
		errs = append(errs, errors.New("crash_detection.max_lines: must be at least 1"))
	}
	if c.CrashDetection.MaxBytes < 1 || c.CrashDetection.MaxBytes > c.Batch.MaxBytes {
		errs = append(errs, fmt.Errorf("crash_detection.max_bytes: must be between 1 and batch.max_bytes (%d), got %d", c.Batch.MaxBytes, c.CrashDetection.MaxBytes))
	}
	for _, p := range c.CrashDetection.StartPatterns {
		if _, err := regexp.Compile(p); err != nil {
			errs = append(errs, fmt.Errorf("crash_detection.start_patterns: %w", err))
		}
	}
	if c.Reclaim.Keep < 0 {
		errs = append(errs, fmt.Errorf("reclaim.keep: must not be negative, got %d", c.Reclaim.Keep))
	}
	if c.Reclaim.MinChunk < 4096 || c.Reclaim.MinChunk%4096 != 0 {
		errs = append(errs, fmt.Errorf("reclaim.min_chunk: must be a multiple of 4KiB (the filesystem's block), got %d", c.Reclaim.MinChunk))
	}
	if c.DrainTimeout < 0 {
		errs = append(errs, errors.New("drain_timeout: must not be negative"))
	}
	errs = append(errs, c.Recorder.validate(c)...)
	return errors.Join(errs...)
}

// writableDir tells what keeps path from being a directory the receiver can write its
// checkpoint in. A path that does not exist yet is created at start, which fails there if
// it cannot be.
func writableDir(path string) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("cannot be read: %w", err)
	case !info.IsDir():
		return errors.New("is not a directory")
	}
	if err := unix.Access(path, unix.W_OK|unix.X_OK); err != nil {
		return fmt.Errorf("is not writable by this process (uid %d): %w", os.Getuid(), err)
	}
	return nil
}
