// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package detect // import "github.com/flightlog/flightlog/processor/redactprocessor/internal/detect"

import "strings"

// Random tokens in prose: a key that no rule names and no key announces ("mistral client
// configured with EWYOiUFS8Cwix9nakf0WBIEylEaiOfzt") still looks random, as detect-secrets'
// Base64HighEntropyString finds it. After a word that prose puts before what it uses
// (proseLeads), a run of base64 bytes (letters, digits, + = _ -) of at least minRandomToken
// bytes that mixes lower case, upper case and digits at more than minRandomEntropy bits a
// byte is taken (Vercel's tokens have 24). Ids stay: UUIDs and hex (trace ids, digests) have
// one case; nanoids (21) are shorter; a word and a tail (user_2Nv3..., order_01ARZ...) is
// findPrefixedToken's to tell. Looking at every run of every line instead cost 60-80 % of
// Find on a line without keywords (BenchmarkFind/no_keyword 588 -> 1,062 ns, n=8): the
// automaton's loop slowed down, not the check.
const (
	minRandomToken   = 24
	minRandomEntropy = 4.0
)

// proseLeads are the words after which prose names what something uses.
var proseLeads = []string{" with ", " using ", " uses "}

// checkDumpedString looks at the value of PHP's var_dump, string(40) "...": var_dump prints
// it on the line after its key, so the key is out of sight, and only its randomness tells a
// credential from an id.
func checkDumpedString(s string, _, end int) (Span, bool) {
	j := end + run(s, end, isDigit)
	if j == end || !strings.HasPrefix(s[j:], `) "`) {
		return Span{}, false
	}
	return randomTokenAt(s, j+len(`) "`))
}

// checkRandomAfter looks at the token after a prose lead word.
func checkRandomAfter(s string, _, end int) (Span, bool) {
	j := end
	for j < len(s) && (s[j] == '\'' || s[j] == '"' || s[j] == '(') {
		j++
	}
	return randomTokenAt(s, j)
}

// randomTokenAt looks at the run of randomTokenByte bytes that starts at s[j].
func randomTokenAt(s string, j int) (Span, bool) {
	k := j
	for k < len(s) && randomTokenByte[s[k]] {
		k++
	}
	if k-j < minRandomToken {
		return Span{}, false
	}
	return findRandomToken(s, j, k)
}

// randomTokenByte marks the bytes a random token is made of; '=' only as padding, checked
// where the run ends, so key=value is two runs.
var randomTokenByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = isAlnum(byte(c)) || c == '+' || c == '_' || c == '-'
	}
	return t
}()

// findRandomToken looks at the run s[start:end] of randomTokenByte bytes, with the '='
// padding that follows it.
func findRandomToken(s string, start, end int) (Span, bool) {
	for end < len(s) && s[end] == '=' && end-start < 4096 {
		end++
	}
	v := s[start:end]
	if len(v) < minRandomToken || classes(v) < 3 || entropy(v) <= minRandomEntropy {
		return Span{}, false
	}
	if p := run(v, 0, isLetter); p >= 2 && p <= maxPrefix && p < len(v) && (v[p] == '_' || v[p] == '-') {
		return Span{}, false // a word, then a tail: findPrefixedToken tells tokens (sk_live_...) from ids (user_2Nv3...)
	}
	for _, d := range notVendors {
		if len(v) > len(d) && v[len(d)] == '-' && v[:len(d)] == d {
			return Span{}, false // sha512-<base64>: a subresource integrity digest
		}
	}
	return Span{Start: start, End: end, Type: "high_entropy"}, true
}
