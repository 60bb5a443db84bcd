// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package detect // import "github.com/flightlog/flightlog/processor/redactprocessor/internal/detect"

//go:generate gitleaksrules -module github.com/zricethezav/gitleaks/v8@v8.30.1 -o gitleaks_rules.go
