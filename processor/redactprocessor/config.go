// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package redactprocessor // import "github.com/flightlog/flightlog/processor/redactprocessor"

import (
	"errors"
	"fmt"
	"regexp"

	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/flightlog/flightlog/processor/redactprocessor/internal/detect"
)

const (
	actionMask   = "mask"
	actionHash   = "hash"
	actionRemove = "remove"

	profileSecrets     = "secrets"
	profilePII         = "pii"
	profilePIIExtended = "pii_extended"
)

// Config defines the redact processor's settings.
type Config struct {
	// Profiles select groups of built-in detectors: secrets, pii, pii_extended.
	Profiles []string `mapstructure:"profiles"`
	// Enable and Disable add or remove single detectors by name.
	Enable  []string `mapstructure:"enable"`
	Disable []string `mapstructure:"disable"`
	// BlockedKeys are attribute and JSON-body keys whose values are always redacted.
	BlockedKeys []string `mapstructure:"blocked_keys"`
	// AllowedKeys are attribute keys whose values are never scanned.
	AllowedKeys []string `mapstructure:"allowed_keys"`
	// Scan selects what is scanned.
	Scan ScanConfig `mapstructure:"scan"`
	// Action is what replaces a detected value: mask or hash.
	Action string `mapstructure:"action"`
	// BlockedKeyAction is what happens to a blocked attribute: mask, hash or remove.
	BlockedKeyAction string `mapstructure:"blocked_key_action"`
	// HashKey is the HMAC-SHA256 key for action hash; use ${env:VAR} to keep it out of
	// the configuration file.
	HashKey configopaque.String `mapstructure:"hash_key"`
	// Custom detectors.
	Custom []CustomDetector `mapstructure:"custom"`
	// Summary adds redaction.count and redaction.types to records that had redactions.
	Summary bool `mapstructure:"summary"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// ScanConfig selects the parts of a record that are scanned.
type ScanConfig struct {
	Body               bool `mapstructure:"body"`
	Attributes         bool `mapstructure:"attributes"`
	ResourceAttributes bool `mapstructure:"resource_attributes"`
}

// CustomDetector is a detector of the user's.
type CustomDetector struct {
	Name string `mapstructure:"name"`
	// Regex matches the value; with a capture group, only the group is redacted.
	Regex string `mapstructure:"regex"`
	// Keywords, if set, must appear (case-insensitively) shortly before a match.
	Keywords []string `mapstructure:"keywords"`
	// Validator is "" or luhn.
	Validator string `mapstructure:"validator"`
}

// Validate checks the configuration before anything starts.
func (c *Config) Validate() error {
	var errs []error
	if _, err := c.detectors(); err != nil {
		errs = append(errs, err)
	}
	if c.Action != actionMask && c.Action != actionHash {
		errs = append(errs, fmt.Errorf("action: must be %q or %q, got %q", actionMask, actionHash, c.Action))
	}
	switch c.BlockedKeyAction {
	case actionMask, actionHash, actionRemove:
	default:
		errs = append(errs, fmt.Errorf("blocked_key_action: must be %q, %q or %q, got %q", actionMask, actionHash, actionRemove, c.BlockedKeyAction))
	}
	if (c.Action == actionHash || c.BlockedKeyAction == actionHash) && len(c.HashKey) < 16 {
		errs = append(errs, errors.New("hash_key: at least 16 bytes are required for action hash (use ${env:VAR})"))
	}
	for i, cd := range c.Custom {
		if cd.Name == "" {
			errs = append(errs, fmt.Errorf("custom[%d].name: required", i))
		}
		if _, err := regexp.Compile(cd.Regex); err != nil || cd.Regex == "" {
			errs = append(errs, fmt.Errorf("custom[%d].regex: %q is not a valid regular expression", i, cd.Regex))
		}
		if cd.Validator != "" && cd.Validator != "luhn" {
			errs = append(errs, fmt.Errorf("custom[%d].validator: must be empty or luhn, got %q", i, cd.Validator))
		}
	}
	if !c.Scan.Body && !c.Scan.Attributes && !c.Scan.ResourceAttributes {
		errs = append(errs, errors.New("scan: nothing is scanned; enable body, attributes or resource_attributes"))
	}
	return errors.Join(errs...)
}

// detectors resolves profiles, enable and disable into detector names.
func (c *Config) detectors() ([]string, error) {
	on := map[string]bool{}
	for _, p := range c.Profiles {
		var names []string
		switch p {
		case profileSecrets:
			names = detect.SecretDetectors
		case profilePII:
			names = detect.DefaultPIIDetectors
		case profilePIIExtended:
			names = detect.OptInPIIDetectors
		default:
			return nil, fmt.Errorf("profiles: unknown profile %q (secrets, pii, pii_extended)", p)
		}
		for _, n := range names {
			on[n] = true
		}
	}
	all := map[string]bool{}
	for _, group := range [][]string{detect.SecretDetectors, detect.DefaultPIIDetectors, detect.OptInPIIDetectors} {
		for _, n := range group {
			all[n] = true
		}
	}
	for _, n := range c.Enable {
		if !all[n] {
			return nil, fmt.Errorf("enable: unknown detector %q", n)
		}
		on[n] = true
	}
	for _, n := range c.Disable {
		if !all[n] {
			return nil, fmt.Errorf("disable: unknown detector %q", n)
		}
		delete(on, n)
	}
	var out []string
	for _, group := range [][]string{detect.SecretDetectors, detect.DefaultPIIDetectors, detect.OptInPIIDetectors} {
		for _, n := range group {
			if on[n] {
				out = append(out, n)
			}
		}
	}
	return out, nil
}
