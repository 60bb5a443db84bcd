// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package detect

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A rule compiles when a line first holds its keyword, in the collector: a regex of the
// generated table that Go could not compile would panic there, so every one compiles here.
func TestEveryGitleaksRuleCompiles(t *testing.T) {
	rules, global := knownTokenRules()
	require.NotEmpty(t, rules)
	for _, r := range rules {
		assert.NotPanics(t, func() { r.compiled() }, r.id)
		assert.Len(t, r.exact, len(r.keywords), r.id)
	}
	assert.NotPanics(t, func() { global() })
}

// A rule's keyword in a case its regex cannot match runs no rule; in the case it needs, it
// does: gitleaks' octopus-deploy-api-key is API- in capitals.
func TestKeywordsInTheCaseTheirRuleNeeds(t *testing.T) {
	e := defaultEngine(t)
	assert.Empty(t, found(e, "api-gateway answered 200 for api-ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
	assert.Equal(t, []string{"octopus-deploy-api-key=API-Q7XK2M9PLR4T8VWZ3NB6HJC5DF"},
		found(e, "octopus key API-Q7XK2M9PLR4T8VWZ3NB6HJC5DF set"))
}
