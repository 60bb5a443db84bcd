// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package detect finds secrets and personal data in text. One pass of an Aho-Corasick
// automaton over the bytes finds every detector's keywords and prefixes, and a digit scan
// in the same pass finds candidate card and social security numbers; only then does a
// detector look closer, with checksums, lengths, character classes, entropy and the key a
// value stands under. A clean line costs one pass and no allocation.
package detect // import "github.com/flightlog/flightlog/processor/redactprocessor/internal/detect"

import (
	"fmt"
	mbits "math/bits"
	"regexp"
	"sort"
	"strings"
)

// Span is a detected value: bytes [Start, End) of the text, found by detector Type.
type Span struct {
	Start, End int
	Type       string
}

// Custom is a user-defined detector.
type Custom struct {
	Name string
	// Regex matches the value; its first capture group, if any, is what is redacted.
	Regex *regexp.Regexp
	// Keywords must occur (case-insensitively) before the match, within keywordWindow bytes.
	Keywords []string
	// Validator is "" or "luhn".
	Validator string
}

// keywordWindow is how far before a custom detector's match its keywords are looked for.
const keywordWindow = 64

// check verifies a keyword hit that ends at end and returns the span to redact.
type check func(s string, start, end int) (Span, bool)

type pattern struct {
	text  string
	check check
}

// Engine runs a set of detectors.
type Engine struct {
	ac       *automaton
	checks   []check
	gates    []gate // per pattern: the gitleaks rule its keyword gates, if any
	rules    []compiledRule
	allow    func() compiledAllow
	cards    bool
	ssn      bool
	email    bool
	phone    bool
	iban     bool
	ip       bool
	listArgs bool // cli_password: a password alone on a line of a printed list
	custom   []Custom
	triggers [256]uint8 // per byte: startsCandidate, separatesPrefix
}

// gate is what a pattern that is a gitleaks rule's keyword runs: rule is 1 + the rule's
// index (0: the pattern's check runs instead), exact the case the rule needs ("" for any).
type gate struct {
	rule  int
	exact string
}

// What a byte may begin, for Engine.triggers.
const (
	startsCandidate = 1 + iota // a card, SSN, phone, IP, IBAN or email
	separatesPrefix            // the end of a token's vendor prefix: NRAK-, sntrys_
)

// Names of the built-in detectors, by profile.
var (
	SecretDetectors = []string{
		"aws_access_key_id", "aws_secret_access_key", "github_token", "gitlab_token", "slack_token",
		"slack_webhook", "stripe_key", "google_api_key", "openai_key", "npm_token", "sendgrid_key",
		"twilio_key", "jwt", "private_key", "authorization", "password", "secret", "url_password",
		"azure_account_key", "session_cookie", "url_signature", "webhook_secret", "cli_password", "known_tokens", "prefixed_token",
		"high_entropy",
	}
	DefaultPIIDetectors = []string{"credit_card", "us_ssn"}
	OptInPIIDetectors   = []string{"email", "phone", "iban", "ip_address"}
)

// New builds an engine with the named built-in detectors, extra blocked keys (whose
// values are always redacted, typed "blocked_key") and custom detectors.
func New(enabled []string, blockedKeys []string, custom []Custom) (*Engine, error) {
	on := map[string]bool{}
	known := map[string]bool{}
	for _, n := range append(append(append([]string{}, SecretDetectors...), DefaultPIIDetectors...), OptInPIIDetectors...) {
		known[n] = true
	}
	for _, n := range enabled {
		if !known[n] {
			return nil, fmt.Errorf("unknown detector %q", n)
		}
		on[n] = true
	}
	e := &Engine{
		cards: on["credit_card"], ssn: on["us_ssn"], email: on["email"], phone: on["phone"],
		iban: on["iban"], ip: on["ip_address"], listArgs: on["cli_password"], custom: custom,
	}
	var patterns []pattern
	add := func(name string, ps ...pattern) {
		if on[name] {
			patterns = append(patterns, ps...)
		}
	}
	add("aws_access_key_id", prefixed("AKIA", "aws_access_key_id", 16, 16, upperDigit), prefixed("ASIA", "aws_access_key_id", 16, 16, upperDigit))
	// A temporary session token (STS) begins with the base64 of its fixed header, whatever
	// key or none it is printed under: a value alone on a wrapped line of a printed map.
	add("aws_secret_access_key", prefixed("IQoJb3JpZ2luX2V", "aws_session_token", 100, 4096, base64Chars),
		prefixed("FwoGZXIvYXdzE", "aws_session_token", 100, 4096, base64Chars), prefixed("FQoGZXIvYXdzE", "aws_session_token", 100, 4096, base64Chars),
		keyValue("aws_secret_access_key", "aws_secret_access_key", 40),
		keyValue("secretaccesskey", "aws_secret_access_key", 40), keyValue("aws_secret_key", "aws_secret_access_key", 40))
	add("github_token", prefixed("ghp_", "github_token", 36, 255, alnum), prefixed("gho_", "github_token", 36, 255, alnum),
		prefixed("ghu_", "github_token", 36, 255, alnum), prefixed("ghs_", "github_token", 36, 255, alnum),
		prefixed("ghr_", "github_token", 36, 255, alnum), prefixed("github_pat_", "github_token", 22, 255, alnumUnderscore))
	add("gitlab_token", prefixed("glpat-", "gitlab_token", 20, 255, tokenChars))
	add("slack_token", prefixed("xoxb-", "slack_token", 10, 255, tokenChars), prefixed("xoxp-", "slack_token", 10, 255, tokenChars),
		prefixed("xoxa-", "slack_token", 10, 255, tokenChars), prefixed("xoxr-", "slack_token", 10, 255, tokenChars),
		prefixed("xoxs-", "slack_token", 10, 255, tokenChars))
	add("slack_webhook", pattern{"hooks.slack.com/services/", checkAfter("slack_webhook", 20, pathChars)})
	add("stripe_key", prefixed("sk_live_", "stripe_key", 16, 255, alnum), prefixed("rk_live_", "stripe_key", 16, 255, alnum),
		prefixed("sk_test_", "stripe_key", 16, 255, alnum), prefixed("rk_test_", "stripe_key", 16, 255, alnum))
	add("google_api_key", prefixed("AIza", "google_api_key", 35, 35, tokenCharsUnderscore))
	add("openai_key", prefixed("sk-", "openai_key", 20, 255, tokenCharsUnderscore))
	add("npm_token", prefixed("npm_", "npm_token", 36, 36, alnum))
	add("sendgrid_key", pattern{"SG.", checkSendGrid})
	add("twilio_key", prefixed("SK", "twilio_key", 32, 32, hexDigit))
	add("jwt", pattern{"eyJ", checkJWT})
	add("private_key", pattern{"-----BEGIN ", checkPrivateKey})
	add("authorization", pattern{"bearer ", checkAuth}, pattern{"basic ", checkAuth})
	for _, k := range []string{"password", "passwd", "pwd", "passphrase", "db_pass", "pgpassword"} {
		add("password", keyValue(k, "password", 1))
	}
	for _, k := range spellings("client_secret", "secret_key", "api_key", "access_token", "refresh_token",
		"auth_token", "id_token", "private_key", "secret", "token", "credential", "credentials", "access_key", "signing_key", "encryption_key") {
		add("secret", highEntropyValue(k, "secret"))
	}
	add("secret", pattern{"-key", checkCompoundKey}, proseOnly("key", "secret"), pattern{"x-", checkCustomHeader})
	add("url_signature", pattern{"sig=", checkURLSignature}, pattern{"signature=", checkURLSignature},
		pattern{"x-amz-security-token=", checkURLSignature})
	add("webhook_secret", prefixed("whsec_", "webhook_secret", 24, 255, base64Chars))
	for _, f := range cliFlags {
		add("cli_password", pattern{f, checkCLIPassword})
	}
	add("cli_password", pattern{"pass", checkPassFlag}, pattern{"pass", checkEnvPassword},
		pattern{"/p:", checkSlashPassword}, pattern{"/password:", checkSlashPassword})
	for _, w := range commandWords {
		add("cli_password", pattern{w, checkPositionalPassword})
	}
	for _, w := range credentialFlagWords {
		add("cli_password", pattern{w, checkCredentialFlag})
	}
	for _, w := range proseLeads {
		add("high_entropy", pattern{w, checkRandomAfter})
	}
	add("high_entropy", pattern{"string(", checkDumpedString})
	add("url_password", pattern{"://", checkURLPassword})
	add("azure_account_key", keyValue("accountkey", "azure_account_key", 20), keyValue("sharedaccesskey", "azure_account_key", 20))
	for _, k := range []string{"session", "sessionid", "session_id", "jsessionid", "phpsessid", "connect.sid", "_session", "sid"} {
		add("session_cookie", cookie(k))
	}
	for _, k := range blockedKeys {
		patterns = append(patterns, keyValue(strings.ToLower(k), "blocked_key", 1))
	}
	e.gates = make([]gate, len(patterns), len(patterns)+2*len(gitleaksRules)) // the patterns so far check
	if on["known_tokens"] {
		e.rules, e.allow = knownTokenRules()
		for i, r := range e.rules {
			for j, k := range r.keywords {
				patterns = append(patterns, pattern{k, nil})
				e.gates = append(e.gates, gate{rule: i + 1, exact: r.exact[j]})
			}
		}
	}
	texts := make([]string, len(patterns))
	e.checks = make([]check, len(patterns))
	for i, p := range patterns {
		texts[i], e.checks[i] = p.text, p.check
	}
	e.ac = newAutomaton(texts)
	if e.cards || e.ssn || e.phone || e.iban || e.ip {
		for c := '0'; c <= '9'; c++ {
			e.triggers[c] = startsCandidate
		}
	}
	if e.phone {
		e.triggers['+'], e.triggers['('] = startsCandidate, startsCandidate
	}
	if e.iban {
		for c := 'A'; c <= 'Z'; c++ {
			e.triggers[c] = startsCandidate
		}
	}
	if e.email {
		e.triggers['@'] = startsCandidate
	}
	if on["prefixed_token"] {
		e.triggers['_'], e.triggers['-'], e.triggers['.'] = separatesPrefix, separatesPrefix, separatesPrefix
	}
	return e, nil
}

// spellings returns each key as written with '_', with '-' (HTTP headers) and with
// nothing between its words: access_token, access-token, accesstoken.
func spellings(keys ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range keys {
		for _, v := range []string{k, strings.ReplaceAll(k, "_", "-"), strings.ReplaceAll(k, "_", "")} {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out
}

// Find appends the spans found in s to spans, sorted and without overlaps. It allocates
// only when it finds something.
func (e *Engine) Find(s string, spans []Span) []Span {
	first := len(spans)
	row := int32(0)
	prev := byte(' ')
	var rules [maxRules / 64]uint64 // the gitleaks rules whose keywords the line holds
	looked := 0                     // prefixed tokens: where the last tail looked at ends
	for i := 0; i < len(s); i++ {
		c := s[i]
		row = e.ac.next[row+int32(e.ac.class[c])]
		if row < 0 {
			row = -row
			for _, id := range e.ac.ends(row) {
				if g := &e.gates[id]; g.rule > 0 {
					// Not when the keyword is in the case the rule cannot match, nor inside
					// a secret a detector of ours found already (AIza, AKIA, glpat-).
					r, k := g.rule-1, g.exact
					if (k == "" || s[i+1-len(k):i+1] == k) && !inLast(spans[first:], i+1-e.ac.lens[id]) {
						rules[r>>6] |= 1 << (r & 63)
					}
					continue
				}
				start := i + 1 - e.ac.lens[id]
				if sp, ok := e.checks[id](s, start, i+1); ok {
					spans = append(spans, sp)
				}
			}
		}
		switch e.triggers[c] {
		case startsCandidate:
			if c == '@' || !isAlnum(prev) {
				if sp, ok := e.candidate(s, i); ok {
					spans = append(spans, sp)
				}
			}
		case separatesPrefix:
			if isAlnum(prev) && i >= looked {
				sp, end, ok := findPrefixedToken(s, i)
				if ok {
					spans = append(spans, sp)
				}
				looked = end // the separators of that tail start no token
			}
		}
		prev = c
	}
	if e.listArgs && len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		if sp, ok := findListedPassword(s); ok {
			spans = append(spans, sp)
		}
	}
	for w, set := range rules {
		for bits := set; bits != 0; bits &= bits - 1 {
			spans = e.rules[w<<6+mbits.TrailingZeros64(bits)].find(s, e.allow, spans)
		}
	}
	for _, cd := range e.custom {
		spans = cd.find(s, spans)
	}
	if len(spans)-first > 1 {
		spans = append(spans[:first], merge(spans[first:])...)
	}
	return spans
}

// candidate looks for a digit-shaped value (card, SSN, phone, IP, IBAN) or an email that
// starts at s[i], which follows a non-alphanumeric byte.
func (e *Engine) candidate(s string, i int) (Span, bool) {
	c := s[i]
	switch {
	case c >= '0' && c <= '9':
		if e.ssn {
			if sp, ok := findSSN(s, i); ok {
				return sp, true
			}
		}
		if e.cards {
			if sp, ok := findCard(s, i); ok {
				return sp, true
			}
		}
		if e.ip {
			if sp, ok := findIPv4(s, i); ok {
				return sp, true
			}
		}
		if e.phone {
			return findPhone(s, i)
		}
	case c == '+' || c == '(':
		return findPhone(s, i)
	case c == '@':
		return findEmail(s, i)
	case c >= 'A' && c <= 'Z':
		return findIBAN(s, i)
	}
	return Span{}, false
}

func (cd Custom) find(s string, spans []Span) []Span {
	for _, m := range cd.Regex.FindAllStringSubmatchIndex(s, -1) {
		start, end := m[0], m[1]
		if len(m) >= 4 && m[2] >= 0 {
			start, end = m[2], m[3]
		}
		if len(cd.Keywords) > 0 && !keywordBefore(s, m[0], cd.Keywords) {
			continue
		}
		if cd.Validator == "luhn" && !luhn(s[start:end]) {
			continue
		}
		spans = append(spans, Span{Start: start, End: end, Type: cd.Name})
	}
	return spans
}

func keywordBefore(s string, at int, keywords []string) bool {
	window := strings.ToLower(s[max(0, at-keywordWindow):at])
	for _, k := range keywords {
		if strings.Contains(window, strings.ToLower(k)) {
			return true
		}
	}
	return false
}

// merge sorts spans and joins overlapping ones; the earlier span's type wins, and of two
// that start and end together, the one that names the secret: aws_access_key_id before
// secret.
func merge(spans []Span) []Span {
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].Start != spans[j].Start {
			return spans[i].Start < spans[j].Start
		}
		if spans[i].End != spans[j].End {
			return spans[i].End > spans[j].End
		}
		return !generic(spans[i].Type) && generic(spans[j].Type)
	})
	out := spans[:1]
	for _, sp := range spans[1:] {
		last := &out[len(out)-1]
		if sp.Start < last.End {
			last.End = max(last.End, sp.End)
			continue
		}
		out = append(out, sp)
	}
	return out
}

// inLast tells whether byte at lies in the last of spans, one that names its secret: a
// generic span (secret, prefixed_token) leaves the rule to name it.
func inLast(spans []Span, at int) bool {
	if len(spans) == 0 {
		return false
	}
	last := spans[len(spans)-1]
	return last.Start <= at && at < last.End && !generic(last.Type)
}

// generic tells whether a type says only that a value is secret, not what it is.
func generic(typ string) bool {
	return typ == "secret" || typ == "prefixed_token" || typ == "high_entropy"
}

// Replace returns s with each span replaced by repl(span). spans must be sorted and
// disjoint, as Find returns them.
func Replace(s string, spans []Span, repl func(Span) string) string {
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.Start])
		b.WriteString(repl(sp))
		last = sp.End
	}
	b.WriteString(s[last:])
	return b.String()
}
