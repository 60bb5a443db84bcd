// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package detect // import "github.com/flightlog/flightlog/processor/redactprocessor/internal/detect"

import (
	"regexp"
	"strings"
	"sync"
)

// gitleaksRule is one rule of gitleaks' maintained set (gitleaks_rules.go, generated).
// Its regex runs only on a line that holds one of its keywords, found by the engine's
// single automaton pass, so a line without any keyword costs nothing more.
// maxRules bounds the rules Find tracks in a bit set on its stack, without allocating.
const maxRules = 256

type gitleaksRule struct {
	id          string
	regex       string
	secretGroup int     // the group that holds the secret; 0: the first that matched
	entropy     float64 // the secret's Shannon entropy must exceed it, when set
	keywords    []string
	// exact[i] is keywords[i] in the case the regex requires, "" if any case matches.
	exact []string
	allow []allowlist
}

// allowlist says when a match is not a secret: a regex on the secret (target ""), the
// whole match ("match") or the line ("line"), or a stopword in the secret.
type allowlist struct {
	target    string
	regexes   []string
	stopwords []string
}

// compiledRule compiles its rule when a line first holds one of its keywords: most rules
// never see one, and 213 compiled regexes held 4.6 MiB more of the sidecar's heap (anon RSS
// 14.0 -> 18.7 MiB in make bench's steady 10k lines/s, full pipeline).
type compiledRule struct {
	*gitleaksRule
	compiled func() compiled
}

type compiled struct {
	re    *regexp.Regexp
	allow []compiledAllow
}

type compiledAllow struct {
	target    string
	res       []*regexp.Regexp
	stopwords []string
}

// knownTokenRules builds the table once per process, and every engine shares it.
var knownTokenRules = sync.OnceValues(func() ([]compiledRule, func() compiledAllow) {
	if len(gitleaksRules) > maxRules {
		panic("detect: more gitleaks rules than Find's bit set holds; raise maxRules")
	}
	rules := make([]compiledRule, len(gitleaksRules))
	for i := range gitleaksRules {
		r := &gitleaksRules[i]
		rules[i] = compiledRule{gitleaksRule: r, compiled: sync.OnceValue(func() compiled {
			c := compiled{re: regexp.MustCompile(r.regex)}
			for _, a := range r.allow {
				c.allow = append(c.allow, compileAllow(a))
			}
			return c
		})}
	}
	return rules, sync.OnceValue(func() compiledAllow { return compileAllow(gitleaksAllow) })
})

func compileAllow(a allowlist) compiledAllow {
	c := compiledAllow{target: a.target, stopwords: a.stopwords}
	for _, re := range a.regexes {
		c.res = append(c.res, regexp.MustCompile(re))
	}
	return c
}

// allows tells whether the allowlist excuses secret, found in match, on line.
func (a compiledAllow) allows(line, match, secret string) bool {
	target := secret
	switch a.target {
	case "match":
		target = match
	case "line":
		target = line
	}
	for _, re := range a.res {
		if re.MatchString(target) {
			return true
		}
	}
	lower := strings.ToLower(secret)
	for _, w := range a.stopwords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// find appends the secrets the rule's regex finds in s, as gitleaks would report them.
func (r compiledRule) find(s string, global func() compiledAllow, spans []Span) []Span {
	c := r.compiled()
	for _, m := range c.re.FindAllStringSubmatchIndex(s, -1) {
		start, end := m[0], m[1]
		if r.secretGroup > 0 && 2*r.secretGroup+1 < len(m) {
			start, end = m[2*r.secretGroup], m[2*r.secretGroup+1]
		} else {
			for g := 2; g+1 < len(m); g += 2 {
				if m[g] >= 0 {
					start, end = m[g], m[g+1]
					break
				}
			}
		}
		if start < 0 || start == end {
			continue
		}
		secret := s[start:end]
		if r.entropy > 0 && entropy(secret) <= r.entropy {
			continue
		}
		allowed := global().allows(s, s[m[0]:m[1]], secret)
		for _, a := range c.allow {
			allowed = allowed || a.allows(s, s[m[0]:m[1]], secret)
		}
		if !allowed {
			spans = append(spans, Span{Start: start, End: end, Type: r.id})
		}
	}
	return spans
}
