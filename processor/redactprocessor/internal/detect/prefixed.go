// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package detect // import "github.com/flightlog/flightlog/processor/redactprocessor/internal/detect"

import "strings"

// Prefixed tokens: since GitHub's ghp_ (2021), services mint API tokens as a short vendor
// prefix, a separator and a long random tail (NRAK-..., sntrys_..., HRKU-..., pnu_...), so
// scanners can find them. findPrefixedToken finds that shape for vendors no rule names. It
// tells a token from a prefixed id by its tail: at least minPrefixedTail bytes (longer than
// a KSUID's 27 or a Stripe id's 24), not hex alone (request and trace ids; gitleaks' rules
// name the vendors whose tokens are hex), mixed, of high entropy, and with one run of at
// least minTokenSegment bytes between separators (a UUID's longest is 12, and so are the
// words of slugs and Kubernetes names).
// A tail of capitals and digits after a prefix of capitals (NRAK-..., CFPAT-...) is no
// KSUID, which mixes cases, and no ULID, which has 26 bytes: it counts from minCapsTail.
const (
	maxPrefix       = 12
	minPrefixedTail = 28
	minCapsTail     = 27
	minTokenSegment = 16
)

// notVendors are prefixes of digests, not tokens: sha256-<base64> in subresource integrity.
var notVendors = []string{"sha1", "sha256", "sha384", "sha512", "md5"}

// Dotted tokens: other services join random base64url segments with dots, as a JWT does
// without its eyJ: Discord's bot tokens (three segments), Mapbox's sk. and pk. tokens
// (a prefix, then two). findDottedToken takes such a run when two of its segments are at
// least minDottedSegment bytes and one of them mixes lower case, upper case and digits at
// high entropy: a Java class path has one long segment at most (its class), a host name
// none.
const minDottedSegment = 20

// findPrefixedToken looks at the separator s[i] that follows an alphanumeric byte. It
// also returns where the tail it looked at ends: no separator before it starts a token.
func findPrefixedToken(s string, i int) (Span, int, bool) {
	if s[i] == '.' {
		return findDottedToken(s, i)
	}
	n := tailLength(s, i+1) // first: most separators join short words (order_id, duration_ms)
	if n < minCapsTail {
		return Span{}, i + 1 + n, false
	}
	p := i
	for p > 0 && i-p < maxPrefix && isAlnum(s[p-1]) {
		p--
	}
	end := i + 1 + n
	if n < minPrefixedTail && (run(s, p, isUpper) != i-p || run(s, i+1, upperDigit) != n) {
		return Span{}, end, false
	}
	if i-p < 2 || !isUpper(s[p]) && !isLower(s[p]) || p > 0 && isTokenByte(s[p-1]) {
		return Span{}, end, false // not the first separator of a token that starts with a letter
	}
	for _, d := range notVendors {
		if strings.EqualFold(s[p:i], d) {
			return Span{}, end, false
		}
	}
	tail := s[i+1 : end]
	if run(tail, 0, isHexOrSeparator) == n || !strong(tail) || entropy(tail) < 3.5 || longestSegment(tail) < minTokenSegment && !randomTail(tail) {
		return Span{}, end, false
	}
	return Span{Start: p, End: end, Type: "prefixed_token"}, end, true
}

// findDottedToken looks at the first dot s[i] of a run of base64url segments. A run whose
// segments before the last are one or two short words (dp.st., hvs.) is also a token when
// its last segment is a tail findPrefixedToken would take.
func findDottedToken(s string, i int) (Span, int, bool) {
	p := i
	for p > 0 && base64URL(s[p-1]) {
		p--
	}
	end, long, random, words, segs, seg := i, 0, false, 0, 0, p
	for {
		segs++
		if n := end - seg; n >= minDottedSegment {
			long++
			v := s[seg:end]
			random = random || entropy(v) >= 3.5 && classes(v) == 3
		} else if n <= 4 && run(s, seg, isLower) == n {
			words++
		}
		if end+1 >= len(s) || s[end] != '.' || !base64URL(s[end+1]) {
			break
		}
		seg = end + 1
		end = seg + run(s, seg, base64URL)
	}
	if p > 0 && isTokenByte(s[p-1]) {
		return Span{}, end, false
	}
	tail := s[seg:end]
	wordsThenTail := segs <= 3 && words == segs-1 && len(tail) >= minPrefixedTail && strong(tail) &&
		entropy(tail) >= 3.5 && run(tail, 0, hexDigit) < len(tail) && digits(tail) >= minTailDigits
	if (long < 2 || !random) && !wordsThenTail {
		return Span{}, end, false
	}
	return Span{Start: p, End: end, Type: "prefixed_token"}, end, true
}

// randomTail tells a base64url tail whose own '-' and '_' cut it short (Figma's
// figd_sdA9eb_O-svnVpdRo_...) from names of words joined by them: from minRandomTail bytes,
// it mixes lower case, upper case and digits at minRandomTailEntropy bits a byte (random
// 32-byte tails: 95 % above it; Get_User_Profile_By_Id_V2_Handler: 4.07), and holds no
// run of one case longer than maxCaseRun, as words and acronyms are (NodePool_USEast1b_
// ProdV2_Workers: 4.40 bits, but "orkers"). Of random 32- to 44-byte tails, 80-83 % pass.
const (
	minRandomTail        = 32
	minRandomTailEntropy = 4.3
	maxCaseRun           = 5
)

func randomTail(v string) bool {
	if len(v) < minRandomTail || classes(v) < 3 || entropy(v) < minRandomTailEntropy {
		return false
	}
	for i := 0; i < len(v); {
		n := max(run(v, i, isLower), run(v, i, isUpper))
		if n > maxCaseRun {
			return false
		}
		i += max(n, 1)
	}
	return true
}

// minTailDigits is how many digits a random tail after short dotted words holds at least: a
// qualified class name has words there and few digits or none
// (java.lang.UnsupportedOperationException), a token many (dp.st.'s 43 bytes of lower case
// and digits hold 12 on average; fewer than 4 in 1 of about 1,400).
const minTailDigits = 4

func digits(v string) int {
	n := 0
	for i := 0; i < len(v); i++ {
		if isDigit(v[i]) {
			n++
		}
	}
	return n
}

// tailLength is the length of the token tail at s[j:]: alphanumerics, '_' and '-', and '='
// inside a long random run, as Atlassian's tokens have it (but not in key=value).
func tailLength(s string, j int) int {
	k, segment := j, 0
	for ; k < len(s); k++ {
		switch c := s[k]; {
		case isAlnum(c):
			segment++
		case c == '_' || c == '-':
			segment = 0
		case c == '=' && segment >= minTokenSegment && k+1 < len(s) && isAlnum(s[k+1]):
			segment = 0
		default:
			return k - j
		}
	}
	return k - j
}

func isTokenTail(c byte) bool      { return isAlnum(c) || c == '_' || c == '-' }
func isTokenByte(c byte) bool      { return isTokenTail(c) || c == '.' }
func isHexOrSeparator(c byte) bool { return hexDigit(c) || c == '_' || c == '-' }

func longestSegment(v string) int {
	longest, cur := 0, 0
	for i := 0; i < len(v); i++ {
		if v[i] == '_' || v[i] == '-' || v[i] == '=' {
			cur = 0
			continue
		}
		cur++
		longest = max(longest, cur)
	}
	return longest
}
