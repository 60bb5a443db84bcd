// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package detect // import "github.com/flightlog/flightlog/processor/redactprocessor/internal/detect"

import (
	"math"
	"strings"
)

type class func(c byte) bool

func isDigit(c byte) bool              { return c >= '0' && c <= '9' }
func isUpper(c byte) bool              { return c >= 'A' && c <= 'Z' }
func isLower(c byte) bool              { return c >= 'a' && c <= 'z' }
func isAlnum(c byte) bool              { return isDigit(c) || isUpper(c) || isLower(c) }
func isLetter(c byte) bool             { return isUpper(c) || isLower(c) }
func alnum(c byte) bool                { return isAlnum(c) }
func upperDigit(c byte) bool           { return isUpper(c) || isDigit(c) }
func alnumUnderscore(c byte) bool      { return isAlnum(c) || c == '_' }
func tokenChars(c byte) bool           { return isAlnum(c) || c == '-' }
func tokenCharsUnderscore(c byte) bool { return isAlnum(c) || c == '-' || c == '_' }
func hexDigit(c byte) bool             { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
func hostChars(c byte) bool            { return isAlnum(c) || c == '.' || c == '-' || c == '_' }
func pathChars(c byte) bool            { return isAlnum(c) || c == '/' || c == '_' || c == '-' }
func base64URL(c byte) bool            { return isAlnum(c) || c == '-' || c == '_' }
func authTokenChars(c byte) bool       { return isAlnum(c) || strings.IndexByte("-._~+/=", c) >= 0 }
func isKeyByte(c byte) bool            { return isAlnum(c) || c == '_' }
func base64Chars(c byte) bool          { return isAlnum(c) || c == '+' || c == '/' || c == '=' }
func secretChars(c byte) bool          { return isAlnum(c) || strings.IndexByte("-_.+/=~", c) >= 0 }
func isValueEnd(c byte) bool           { return strings.IndexByte(" \t\r\n,;&\"'()[]{}<>|\\`", c) >= 0 }
func isSpace(c byte) bool              { return c == ' ' || c == '\t' }
func run(s string, i int, in class) int { // length of the run of class bytes at s[i:]
	j := i
	for j < len(s) && in(s[j]) {
		j++
	}
	return j - i
}

// strong tells whether a random-looking value mixes at least two of lower case, upper
// case and digits, as generated tokens do and words and slugs do not.
func strong(v string) bool { return classes(v) >= 2 }

// classes counts which of lower case, upper case and digits v holds.
func classes(v string) int {
	var lower, upper, digit bool
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case isLower(c):
			lower = true
		case isUpper(c):
			upper = true
		case isDigit(c):
			digit = true
		}
	}
	n := 0
	for _, b := range []bool{lower, upper, digit} {
		if b {
			n++
		}
	}
	return n
}

func entropy(v string) float64 {
	var counts [256]int
	for i := 0; i < len(v); i++ {
		counts[v[i]]++
	}
	h := 0.0
	for _, n := range counts {
		if n > 0 {
			p := float64(n) / float64(len(v))
			h -= p * math.Log2(p)
		}
	}
	return h
}

// prefixed detects a token that starts with a fixed, case-sensitive prefix followed by
// minLen to maxLen bytes of a class.
func prefixed(prefix, typ string, minLen, maxLen int, in class) pattern {
	mustMix := minLen >= 20 || typ == "twilio_key"
	return pattern{prefix, func(s string, start, end int) (Span, bool) {
		if s[start:end] != prefix || (start > 0 && isAlnum(s[start-1])) {
			return Span{}, false
		}
		n := run(s, end, in)
		if n < minLen || n > maxLen {
			return Span{}, false
		}
		if mustMix && !strong(s[end:end+n]) {
			return Span{}, false
		}
		return Span{Start: start, End: end + n, Type: typ}, true
	}}
}

func checkAfter(typ string, minLen int, in class) check {
	return func(s string, start, end int) (Span, bool) {
		n := run(s, end, in)
		if n < minLen {
			return Span{}, false
		}
		return Span{Start: end, End: end + n, Type: typ}, true
	}
}

// value finds the value after a key that ends at end: key=value, key: value,
// "key": "value", key => value, and the command line's --key value. It returns the
// value's bounds.
func value(s string, start, end int) (int, int, bool) {
	if start > 0 && isAlnum(s[start-1]) && !camelBoundary(s, start) {
		return 0, 0, false // inside a longer word: "mypassword", but "dbPassword" is camelCase
	}
	return valueAfter(s, start, end)
}

// camelBoundary tells whether a camelCase word starts at s[i]: dbPassword, sessionToken.
func camelBoundary(s string, i int) bool { return isLower(s[i-1]) && isUpper(s[i]) }

// valueAfter is value for a key whose start needs no check.
func valueAfter(s string, start, end int) (int, int, bool) {
	j := end
	if j < len(s) && isKeyByte(s[j]) {
		return 0, 0, false // the key goes on: "password_hint", "tokens"
	}
	switch {
	case j < len(s) && (s[j] == '"' || s[j] == '\'' || s[j] == ']'): // ']': print_r's [Key] => value
		j++
		if strings.HasPrefix(s[j:], ">>") {
			j += 2 // an Erlang binary: <<"key">> => <<"value">>
		}
	case j+1 < len(s) && s[j] == '\\' && s[j+1] == '"': // JSON inside a JSON string
		j += 2
	}
	for j < len(s) && isSpace(s[j]) {
		j++
	}
	switch {
	case j > end && j < len(s) && s[end] == ' ' && start >= 2 && s[start-1] == '-':
		// --password value (CLI), even when the value begins with '='
	case j < len(s) && (s[j] == '=' || s[j] == ':'):
		j++
		// key => value and key == value; but in key==value the value begins with '='.
		if j < len(s) && (s[j] == '>' || s[j] == '=' && (j+1 == len(s) || isSpace(s[j+1]))) {
			j++
		}
	case j < len(s) && s[j] == ',' && tupleKey(s, start):
		j++ // a pair as a tuple: {"x-api-key", "value"}, ('Authorization', 'Bearer ...')
	default:
		return 0, 0, false
	}
	for j < len(s) && isSpace(s[j]) {
		j++
	}
	if j+1 < len(s) && s[j] == '\\' && s[j+1] == '"' {
		j += 2 // \"value\": the value ends at the backslash
	}
	if strings.HasPrefix(s[j:], "<<\"") {
		j += 2
	}
	if j+1 < len(s) && s[j] == '[' && (!isValueEnd(s[j+1]) || s[j+1] == '"') {
		j++ // a header map's list: Java's {Key=[value]}, Go's map[Key:[value]], JSON's "Key":["value"]
	}
	if strings.HasPrefix(s[j:], "[]") {
		if n := run(s, j+2, isKeyByte); n > 0 && j+2+n < len(s) && s[j+2+n] == '{' {
			j += 3 + n // Go's %#v of a header map: "Key":[]string{"value"}
		}
	}
	if j < len(s) && (s[j] == '"' || s[j] == '\'') {
		q := s[j]
		k := j + 1
		for k < len(s) && s[k] != q {
			if s[k] == '\\' {
				k++
			}
			k++
		}
		k = min(k, len(s))
		return j + 1, k, k > j+1
	}
	k := j
	for k < len(s) && !isValueEnd(s[k]) {
		k++
	}
	return j, k, k > j
}

// tupleKey tells whether the key around s[start] is the first item of a tuple: a list of
// pairs as Erlang and Elixir print headers ([{"accept", "..."}, {<<"x-api-key">>, <<"...">>}])
// and options ({signing_secret, <<"...">>}), and Python prints http.client's getheaders()
// ([('Accept', '...'), ...]). The value is then the tuple's second item.
func tupleKey(s string, start int) bool {
	k := start
	for k > 0 && (isKeyByte(s[k-1]) || s[k-1] == '-' || s[k-1] == '.') {
		k--
	}
	switch {
	case k >= 1 && (s[k-1] == '{' || s[k-1] == '('):
		return true // an atom or a name: {signing_secret, ...}
	case k >= 2 && (s[k-1] == '"' || s[k-1] == '\''):
		return s[k-2] == '{' || s[k-2] == '(' || k >= 4 && s[k-2] == '<' && s[k-3] == '<' && s[k-4] == '{'
	}
	return false
}

var placeholders = map[string]bool{
	"null": true, "none": true, "nil": true, "true": true, "false": true, "undefined": true,
	"redacted": true, "[redacted]": true, "<redacted>": true, "***": true, "****": true, "*****": true,
	"******": true, "********": true, "xxx": true, "xxxx": true, "{": true, "[": true,
}

func isPlaceholder(v string) bool {
	if strings.HasPrefix(v, "[REDACTED") || strings.HasPrefix(v, "${") || strings.HasPrefix(v, "{{") {
		return true
	}
	if len(v) > 12 {
		return false
	}
	return placeholders[strings.ToLower(v)]
}

// keyValue redacts the value of a key; any non-placeholder value of minLen bytes counts.
func keyValue(key, typ string, minLen int) pattern {
	return pattern{key, func(s string, start, end int) (Span, bool) {
		vs, ve, ok := value(s, start, end)
		if !ok || ve-vs < minLen || isPlaceholder(s[vs:ve]) {
			return Span{}, false
		}
		if key == "pwd" && (s[vs] == '/' || s[vs] == '~') {
			return Span{}, false // the shell's working directory, PWD=/srv/app
		}
		if typ == "password" && ve < len(s) && isSpace(s[ve]) {
			ve = passphraseEnd(s, ve)
		}
		return Span{Start: vs, End: ve, Type: typ}, true
	}}
}

// passphraseEnd extends an unquoted password that stopped at a space over the words that
// follow, up to the next key=value token, the next -flag or the end of the line:
// "password=purple monkey dishwasher result=fail", "--password purple monkey -h db".
func passphraseEnd(s string, end int) int {
	for end < len(s) && isSpace(s[end]) {
		j := end
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j == len(s) || startsKeyOrFlag(s, j) {
			break
		}
		w := j
		for w < len(s) && !isValueEnd(s[w]) {
			w++
		}
		if w == j {
			break // a quote or a bracket, not a word
		}
		end = w
	}
	return end
}

// startsKeyOrFlag tells whether s[j:] begins "key=" or a command-line flag ("-h", "--db").
func startsKeyOrFlag(s string, j int) bool {
	if s[j] == '-' {
		return j+1 < len(s) && (isAlnum(s[j+1]) || s[j+1] == '-')
	}
	k := j
	for k < len(s) && (isKeyByte(s[k]) || s[k] == '.' || s[k] == '-') {
		k++
	}
	return k > j && k < len(s) && s[k] == '='
}

// generated tells whether a value looks machine-made: one token of secret characters,
// mixed, and of high entropy, as keys and tokens are and words, slugs and ids are not.
// A ':' may join its parts, as in a Telegram bot's 123456:AA... token; JSON may write its
// '/' as \/ (PHP's json_encode, lua-cjson).
func generated(v string) bool {
	if strings.Contains(v, `\/`) {
		v = strings.ReplaceAll(v, `\/`, "/")
	}
	return run(v, 0, secretOrColon) == len(v) && strong(v) && entropy(v) >= 3.0
}

func secretOrColon(c byte) bool { return secretChars(c) || c == ':' }

// highEntropyValue redacts the value of a secret-like key when it looks generated: long
// enough, mixed, and of high entropy, so "token=expired" or "secret: none" survive. Prose
// names its secrets too ("verifying with secret f9378ab3..."): a word after the key and one
// space counts when it is longer still and not a UUID, which ids and references are.
func highEntropyValue(key, typ string) pattern {
	return pattern{key, func(s string, start, end int) (Span, bool) {
		vs, ve, ok := value(s, start, end)
		if !ok {
			vs, ve, ok = proseValue(s, start, end)
		}
		if !ok || ve-vs < 12 || isPlaceholder(s[vs:ve]) {
			return Span{}, false
		}
		v := s[vs:ve]
		if !generated(v) {
			return Span{}, false
		}
		return Span{Start: vs, End: ve, Type: typ}, true
	}}
}

// proseOnly redacts a generated word after a key in prose only ("signed with key
// 2da19f84..."), for keys too common in key=value form ("key=user:42") to take that.
func proseOnly(key, typ string) pattern {
	return pattern{key, func(s string, start, end int) (Span, bool) {
		vs, ve, ok := proseValue(s, start, end)
		if !ok || isPlaceholder(s[vs:ve]) {
			return Span{}, false
		}
		if !generated(s[vs:ve]) {
			return Span{}, false
		}
		return Span{Start: vs, End: ve, Type: typ}, true
	}}
}

// proseValue finds the word that follows a key and one space, quoted or not: "secret
// f9378ab35ee8fc9f", `secret "f9378ab35ee8fc9f"` (Go's %q, a repr).
func proseValue(s string, start, end int) (int, int, bool) {
	if start > 0 && isAlnum(s[start-1]) || end+1 >= len(s) || s[end] != ' ' {
		return 0, 0, false
	}
	if q := s[end+1]; q == '"' || q == '\'' {
		end++
		if n := run(s, end+1, secretChars); end+1+n >= len(s) || s[end+1+n] != q {
			return 0, 0, false // a quoted sentence, not one word
		}
	}
	n := run(s, end+1, secretChars)
	if n < 16 || end+1+n < len(s) && !isValueEnd(s[end+1+n]) {
		return 0, 0, false
	}
	// Prose names more than secrets: "object key exports/2026/report.csv", "rotating secret
	// db-password-v2", "request token 3f2b8c1e-...". A path, a file or host name, a slug of
	// short words, a UUID or a key=value is not taken.
	if v := s[end+1 : end+1+n]; strings.ContainsAny(v, "/.") || longestSegment(v) < 12 || isUUID(v) || isKeyValue(v) {
		return 0, 0, false
	}
	return end + 1, end + 1 + n, true
}

// isKeyValue tells whether a token holds '=' before its end, as key=value does and a
// token, whose '=' can only pad its end, does not: "token_type=Bearer".
func isKeyValue(v string) bool {
	eq := strings.IndexByte(v, '=')
	return eq >= 0 && strings.Trim(v[eq:], "=") != ""
}

func isUUID(v string) bool {
	return len(v) == 36 && v[8] == '-' && v[13] == '-' && v[18] == '-' && v[23] == '-' &&
		run(v, 0, hexDigit) == 8 && run(v, 9, hexDigit) == 4 && run(v, 24, hexDigit) == 12
}

// checkCompoundKey redacts a high-entropy value under a compound key whose last word is
// "key", as API gateways name their headers: Ocp-Apim-Subscription-Key, X-Functions-Key,
// x-master-key. UUIDs stay: an idempotency or cache key is an id, not a credential.
func checkCompoundKey(s string, start, end int) (Span, bool) {
	if start == 0 || !isAlnum(s[start-1]) {
		return Span{}, false // "-key" alone, or a flag
	}
	n := start
	for n > 0 && (isAlnum(s[n-1]) || s[n-1] == '-' || s[n-1] == '_') {
		n--
	}
	if namesNoCredential(s[n:start]) {
		return Span{}, false // X-Cache-Key, Idempotency-Key
	}
	vs, ve, ok := valueAfter(s, start, end)
	if v := s[vs:ve]; !ok || ve-vs < 16 || isUUID(v) || v[0] == '/' || strings.Contains(v, "://") || !generated(v) {
		return Span{}, false // X-Cache-Key: /api/v1/orders?page=2 is a path
	}
	return Span{Start: vs, End: ve, Type: "secret"}, true
}

// notCredentialHeaders are words in the names of headers that carry ids, routing or caching,
// whose random-looking values are not credentials: X-Request-Id, X-B3-TraceId, X-Amz-Cf-Id,
// X-Correlation-ID, X-Forwarded-For, X-Cache-Key, Idempotency-Key.
var notCredentialHeaders = []string{"trace", "span", "request", "correlation", "forwarded",
	"cache", "etag", "version", "nonce", "signature", "hash", "digest", "checksum", "sha", "md5", "idempotency"}

// namesNoCredential tells whether a header's name says its value is an id, a route or a
// cache entry: a part of it (between '-', '_' and camel-case humps) that begins with one of
// notCredentialHeaders (X-B3-TraceId, X-Amz-Content-Sha256) or is id, uid or uuid; a word
// that only holds one stays (X-Mashape-Key is no hash).
func namesNoCredential(name string) bool {
	lower := strings.ToLower(name)
	if strings.Contains(lower, "real-ip") {
		return true
	}
	for i := 0; i < len(name); {
		j := i + 1
		for j < len(name) && name[j] != '-' && name[j] != '_' && !camelBoundary(name, j) {
			j++
		}
		part := lower[i:j]
		switch part {
		case "id", "uid", "guid", "uuid":
			return true
		}
		for _, w := range notCredentialHeaders {
			if strings.HasPrefix(part, w) {
				return true
			}
		}
		for i = j; i < len(name) && (name[i] == '-' || name[i] == '_'); i++ {
		}
	}
	return false
}

// checkCustomHeader redacts a generated value under a custom header, X-..., whose name does
// not say it is an id: an API may call its key anything (X-Honeycomb-Team, X-Riot-Token,
// X-Emby-Authorization), and a request's other random values go under names that say id,
// trace or cache.
func checkCustomHeader(s string, start, end int) (Span, bool) {
	if start > 0 && strings.IndexByte("-_?&", s[start-1]) >= 0 || start > 0 && isAlnum(s[start-1]) {
		return Span{}, false // inside a word (max-age) or a URL's query (?X-Amz-Algorithm=...)
	}
	n := run(s, end, func(c byte) bool { return isAlnum(c) || c == '-' || c == '_' })
	if n < 3 {
		return Span{}, false
	}
	if namesNoCredential(s[end : end+n]) {
		return Span{}, false
	}
	vs, ve, ok := valueAfter(s, start, end+n)
	if v := s[vs:ve]; !ok || ve-vs < 16 || isUUID(v) || !generated(v) {
		return Span{}, false
	}
	return Span{Start: vs, End: ve, Type: "secret"}, true
}

// cookie redacts a session cookie's value: "Cookie: session=...; theme=dark".
func cookie(name string) pattern {
	return pattern{name + "=", func(s string, start, end int) (Span, bool) {
		if start > 0 && strings.IndexByte(" ;,\t:=", s[start-1]) < 0 {
			return Span{}, false
		}
		n := 0
		for end+n < len(s) && !isValueEnd(s[end+n]) {
			n++
		}
		if n < 8 {
			return Span{}, false
		}
		return Span{Start: end, End: end + n, Type: "session_cookie"}, true
	}}
}

func checkSendGrid(s string, start, end int) (Span, bool) {
	if s[start:end] != "SG." || (start > 0 && isAlnum(s[start-1])) {
		return Span{}, false
	}
	a := run(s, end, base64URL)
	if a != 22 || end+a >= len(s) || s[end+a] != '.' {
		return Span{}, false
	}
	b := run(s, end+a+1, base64URL)
	if b != 43 {
		return Span{}, false
	}
	return Span{Start: start, End: end + a + 1 + b, Type: "sendgrid_key"}, true
}

func checkJWT(s string, start, end int) (Span, bool) {
	if s[start:end] != "eyJ" || (start > 0 && isAlnum(s[start-1])) {
		return Span{}, false
	}
	j := start
	for seg := 0; seg < 3; seg++ {
		n := run(s, j, base64URL)
		if n < 10 {
			return Span{}, false
		}
		j += n
		if seg < 2 {
			if j >= len(s) || s[j] != '.' {
				return Span{}, false
			}
			j++
		}
	}
	return Span{Start: start, End: j, Type: "jwt"}, true
}

func checkPrivateKey(s string, start, end int) (Span, bool) {
	if s[start:end] != "-----BEGIN " {
		return Span{}, false
	}
	head := s[end:min(len(s), end+40)]
	if !strings.Contains(head, "PRIVATE KEY-----") {
		return Span{}, false
	}
	rest := s[end:]
	stop := len(s)
	if i := strings.Index(rest, "-----END "); i >= 0 {
		if k := strings.Index(rest[i:], "PRIVATE KEY-----"); k >= 0 {
			stop = end + i + k + len("PRIVATE KEY-----")
		}
	}
	return Span{Start: start, End: stop, Type: "private_key"}, true
}

func checkAuth(s string, start, end int) (Span, bool) {
	if start > 0 && isAlnum(s[start-1]) {
		return Span{}, false
	}
	n := run(s, end, authTokenChars)
	if n < 8 || !strong(s[end:end+n]) {
		return Span{}, false
	}
	if isKeyValue(s[end : end+n]) {
		return Span{}, false // token_type=Bearer expires_in=3599
	}
	return Span{Start: end, End: end + n, Type: "authorization"}, true
}

// checkURLSignature redacts a signature in a signed URL's query: Azure SAS's sig=, AWS's
// X-Amz-Signature= and X-Amz-Security-Token=, Google's X-Goog-Signature=, CloudFront's
// Signature=. Whoever holds the URL holds the access until it expires.
func checkURLSignature(s string, start, end int) (Span, bool) {
	if start == 0 {
		return Span{}, false
	}
	// A query parameter; signature= also as the tail of X-Amz-Signature=.
	if p := s[start-1]; p != '?' && p != '&' && (p != '-' || end-start == len("sig=")) {
		return Span{}, false
	}
	n := 0
	for end+n < len(s) && !isValueEnd(s[end+n]) && s[end+n] != '&' && s[end+n] != '#' {
		n++
	}
	if n < 16 {
		return Span{}, false
	}
	return Span{Start: end, End: end + n, Type: "url_signature"}, true
}

// maxURLPassword bounds how far a URL's password is looked for.
const maxURLPassword = 128

// checkURLPassword redacts the password in scheme://user:password@host. People paste
// passwords into DSNs without percent-encoding them, so the password runs from the first
// ':' after the user to the last '@' that a host follows, and may hold '@', '#', '%', '!'
// and spaces: redis://:p4!@ss#w0rd@cache:6379/0, postgres://app:purple monkey@db/x.
func checkURLPassword(s string, start, end int) (Span, bool) {
	if start < 2 || !isAlnum(s[start-1]) {
		return Span{}, false
	}
	colon := -1
	for j := end; j < len(s) && colon < 0; j++ { // the user
		switch c := s[j]; {
		case c == ':':
			colon = j
		case c == '@' || c == '/' || c == '?' || c == '#' || isSpace(c) || isURLEnd(c):
			return Span{}, false
		}
	}
	if colon < 0 {
		return Span{}, false
	}
	at, spaces := -1, 0
scan:
	for j := colon + 1; j < len(s) && j-colon <= maxURLPassword; j++ {
		switch c := s[j]; {
		case c == '@':
			if hostAt(s, j+1) {
				at = j
			}
		case c == '/' || c == '?' || isURLEnd(c):
			break scan
		case isSpace(c):
			// After the host, or after host:port ("see http://host:8080 or ops@x"), the URL
			// has ended; before any host, a space may be part of a passphrase.
			spaces++
			if at >= 0 || spaces > 4 || run(s, colon+1, isDigit) == j-colon-1 {
				break scan
			}
		}
	}
	if at < 0 || at-colon < 2 {
		return Span{}, false
	}
	return Span{Start: colon + 1, End: at, Type: "url_password"}, true
}

func isURLEnd(c byte) bool { return strings.IndexByte("\"'\n\\<>`", c) >= 0 }

// hostAt tells whether a host name or an IP address starts at s[i] and ends the
// authority: followed by the end, a port, a path, a query, a fragment, a space or a quote.
func hostAt(s string, i int) bool {
	n := 0
	if i < len(s) && s[i] == '[' { // [::1]
		k := strings.IndexByte(s[i:], ']')
		if k < 0 {
			return false
		}
		n = k + 1
	} else {
		n = run(s, i, hostChars)
	}
	if n == 0 {
		return false
	}
	k := i + n
	return k == len(s) || strings.IndexByte(":/?# \t\"',;)>]\\", s[k]) >= 0
}
