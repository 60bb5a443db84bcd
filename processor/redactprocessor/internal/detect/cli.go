// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

package detect // import "github.com/flightlog/flightlog/processor/redactprocessor/internal/detect"

import "strings"

// cliFlags are the command-line flags that take a credential in the tools people script
// and log: -u/--user user:password (curl, wget), user,password (lftp), -U user%password (smbclient),
// -p password or -pPASSWORD (mysql, sshpass, docker login), -a password (redis-cli),
// -w password (ldapsearch). A trace or a logged argv shows them as written: `-p pw`,
// `'-p', 'pw'` (a repr), `-p, pw` (a Java list).
var cliFlags = []string{"-u", "--user", "-p", "-a", "-w"}

// checkPassFlag redacts the value of a flag whose name holds "pass", as tools name their
// password flags: keytool's -storepass and -keypass, openssl's -passin pass:SECRET, a
// --pass or -passwd of anything, rclone's --ftp-pass. openssl's env:, file: and fd: name where the password is,
// not what it is.
func checkPassFlag(s string, start, end int) (Span, bool) {
	d := start
	for d > 0 && isLower(s[d-1]) {
		d-- // the flag's name before "pass": store, key, srcstore
	}
	f := d
	for f > 0 && (isLower(s[f-1]) || isDigit(s[f-1]) || s[f-1] == '-') {
		f-- // the words and dashes before it: --ftp-pass, --db2-pass
	}
	if d == 0 || s[d-1] != '-' || s[f] != '-' || f > 0 && strings.IndexByte(" '\"[,", s[f-1]) < 0 {
		return Span{}, false // not a flag: "bypass", "compass-x", "/etc/key-pass"
	}
	k := end
	for k < len(s) && isLower(s[k]) {
		k++ // the name after "pass": in, out, word, wd, phrase
	}
	if k < len(s) && (s[k] == '=' || s[k] == '_' || isUpper(s[k]) || isDigit(s[k])) {
		return Span{}, false // -pass_hint is no flag
	}
	switch s[d:k] {
	case "password", "passwd", "passphrase":
		if k == len(s) || s[k] == ' ' || s[k] == '=' {
			return Span{}, false // the password detector's: --password value
		}
		// In an argv list (["--password","pw"], ['--password', 'pw']) it is this one's.
	}
	vs := k
	for vs < len(s) && strings.IndexByte(" '\",", s[vs]) >= 0 {
		vs++
	}
	if vs == k || vs == len(s) || s[vs] == '-' {
		return Span{}, false
	}
	ve := vs
	for ve < len(s) && !isValueEnd(s[ve]) && s[ve] != ']' {
		ve++
	}
	v := s[vs:ve]
	for _, ref := range []string{"env:", "file:", "fd:", "stdin"} {
		if strings.HasPrefix(v, ref) {
			return Span{}, false
		}
	}
	if strings.HasPrefix(v, "pass:") {
		vs += len("pass:")
	}
	if ve-vs < 4 {
		return Span{}, false
	}
	return Span{Start: vs, End: ve, Type: "cli_password"}, true
}

// checkSlashPassword redacts the password of a Windows-style flag, /p:SECRET or
// /password:SECRET, as xfreerdp, net use and other tools from Windows take it.
func checkSlashPassword(s string, start, end int) (Span, bool) {
	if start > 0 && strings.IndexByte(" '\"[,", s[start-1]) < 0 {
		return Span{}, false // inside a path or a URL: /srv/p:1
	}
	ve := end
	for ve < len(s) && !isValueEnd(s[ve]) {
		ve++
	}
	if v := s[end:ve]; len(v) < 4 || v[0] == '$' || isPlaceholder(v) {
		return Span{}, false
	}
	return Span{Start: end, End: ve, Type: "cli_password"}, true
}

// isCLIFlag tells whether checkCLIPassword reads the value of flag: -U user%password.
func isCLIFlag(flag string) bool {
	for _, f := range cliFlags {
		if strings.EqualFold(flag, f) {
			return true
		}
	}
	return false
}

// passWords are the words that end in PASS and name no password.
var passWords = []string{"BYPASS", "COMPASS", "SURPASS", "TRESPASS", "OVERPASS", "UNDERPASS"}

// checkEnvPassword redacts the value of an environment variable that a command is run with,
// named in capitals with PASS, PASSWD or PASSWORD at its end and glued to the rest of
// the name (env SSHPASS=... sshpass -e, PGPASSWORD=... psql, RCLONE_CONFIG_PASS=...): the
// password detector takes a key that stands apart (DB_PASSWORD=), and a word of lower case
// (bypass=, compass=) is no variable.
func checkEnvPassword(s string, start, end int) (Span, bool) {
	d := start
	for d > 0 && (isUpper(s[d-1]) || isDigit(s[d-1]) || s[d-1] == '_') {
		d--
	}
	if d == start || d > 0 && strings.IndexByte(" '\"[,", s[d-1]) < 0 || !isUpper(s[d]) {
		return Span{}, false // PASS alone is the password detector's; a word must start the name
	}
	k := end + run(s, end, isUpper)
	switch s[start:k] {
	case "PASS", "PASSWD", "PASSWORD":
	default:
		return Span{}, false
	}
	for _, w := range passWords {
		if strings.HasSuffix(s[d:k], w) {
			return Span{}, false // BYPASS=enabled
		}
	}
	if k == len(s) || s[k] != '=' {
		return Span{}, false
	}
	ve := k + 1
	for ve < len(s) && !isValueEnd(s[ve]) {
		ve++
	}
	if v := s[k+1 : ve]; len(v) < 4 || v[0] == '$' || isPlaceholder(v) {
		return Span{}, false
	}
	return Span{Start: k + 1, End: ve, Type: "cli_password"}, true
}

// checkCLIPassword redacts the credential a flag takes. The value must look like a
// password, not a port, a path or a word (ssh -p 2222, docker run -p 8080:80, ls -a dir):
// six bytes or more that mix two of lower case, upper case and digits.
func checkCLIPassword(s string, start, end int) (Span, bool) {
	flag := strings.ToLower(s[start:end])
	if flag == "-u" && start > 0 && isLower(s[start-1]) && strings.HasPrefix(s[end:], "ser") {
		// the last word of a compound flag: curl's --proxy-user user:password
		flag, end = "--user", end+len("ser")
		for start > 0 && (isLower(s[start-1]) || s[start-1] == '-') {
			start--
		}
		if !strings.HasPrefix(s[start:], "--") {
			return Span{}, false
		}
	}
	if start == 0 || strings.IndexByte(" '\"[,", s[start-1]) < 0 {
		return Span{}, false // a flag starts an argument
	}
	vs := end
	switch {
	case end < len(s) && flag == "-p" && !isValueEnd(s[end]) && s[end] != '=':
		// -pPASSWORD, mysql's attached form
	default:
		for vs < len(s) && strings.IndexByte(" '\",", s[vs]) >= 0 {
			vs++ // the separator between a flag and its value: ' ', "', '", ", "
		}
		if vs == end || vs == len(s) {
			return Span{}, false // -password: no value
		}
	}
	quote := byte(0)
	if vs > 0 && (s[vs-1] == '\'' || s[vs-1] == '"') {
		quote = s[vs-1]
	}
	ve := vs
	for ve < len(s) && (quote != 0 && s[ve] != quote || quote == 0 && !isValueEnd(s[ve]) && s[ve] != ']') {
		ve++
	}
	for quote == 0 && ve+1 < len(s) && s[ve] == '\\' && s[ve+1] != ' ' { // a shell escape: falcon7233\*
		for ve += 2; ve < len(s) && !isValueEnd(s[ve]) && s[ve] != ']'; ve++ {
		}
	}
	v := s[vs:ve]
	if v == "" {
		return Span{}, false // a flag at the end of its list: `-p ;`, `[-u ]`
	}
	if v[0] == '-' && (len(v) < 8 || !strong(v)) {
		return Span{}, false // the next flag: -u -v, --no-auth-warning
	}
	if flag == "-u" || flag == "--user" {
		if quote == 0 && ve+1 < len(s) && s[ve] == ',' && !isValueEnd(s[ve+1]) {
			ve += 1 + run(s, ve+1, func(c byte) bool { return !isValueEnd(c) && c != ']' }) // lftp's user,password
			v = s[vs:ve]
		}
		sep := strings.IndexAny(v, ":%,")
		if sep < 1 || len(v)-sep-1 < 3 || run(v, sep+1, isDigit) == len(v)-sep-1 {
			return Span{}, false // a user alone, or host:port
		}
		return Span{Start: vs + sep + 1, End: ve, Type: "cli_password"}, true
	}
	if len(v) < 6 || !strong(v) || strings.IndexByte(v, '=') >= 0 || run(v, 0, func(c byte) bool { return isDigit(c) || c == ':' || c == '.' }) == len(v) {
		return Span{}, false
	}
	return Span{Start: vs, End: ve, Type: "cli_password"}, true
}

// credentialFlagWords are the words of flags that take a credential: --oauth2-bearer,
// --api-token, --client-secret, --x-api-key, --auth-credential. checkCredentialFlag sees them
// with the dash before them, inside a flag's name.
var credentialFlagWords = []string{"-bearer", "-token", "-secret", "-apikey", "-api-key", "-credential"}

// notCredentialFlag are the ends of such flags' names that say the value is not the
// credential but where or what it is: --token-file, --secret-name, --api-key-id, --token-ttl.
var notCredentialFlag = []string{"file", "path", "name", "ref", "id", "ttl", "type", "header", "url", "env", "dir", "len", "length"}

// checkCredentialFlag redacts the value of a command-line flag whose name says it takes a
// credential (credentialFlagWords), written --flag value, --flag=value or --flag 'value', as
// tools take tokens: curl --oauth2-bearer, gh --token, vault --client-secret. The value
// must be six bytes or more and not a path, a variable or a placeholder.
func checkCredentialFlag(s string, start, end int) (Span, bool) {
	d := start
	for d > 0 && (isLower(s[d-1]) || isDigit(s[d-1]) || s[d-1] == '-') {
		d-- // the flag's name before the word, with its dashes: --oauth2-bearer
	}
	if d+2 > start || s[d] != '-' || s[d+1] != '-' || d > 0 && strings.IndexByte(" '\"[,", s[d-1]) < 0 {
		return Span{}, false // not a long flag: "x-api-token", "refresh-token"
	}
	k := end
	for k < len(s) && (isLower(s[k]) || isDigit(s[k]) || s[k] == '-') {
		k++
	}
	name := s[d:k]
	for _, w := range notCredentialFlag {
		if strings.HasSuffix(name, "-"+w) {
			return Span{}, false
		}
	}
	vs := k
	for vs < len(s) && vs < k+4 && strings.IndexByte(" ='\",", s[vs]) >= 0 {
		vs++
	}
	if vs == k || vs == len(s) {
		return Span{}, false
	}
	quote := byte(0)
	if c := s[vs-1]; c == '\'' || c == '"' {
		quote = c
	}
	ve := vs
	for ve < len(s) && (quote != 0 && s[ve] != quote || quote == 0 && !isValueEnd(s[ve]) && s[ve] != ']') {
		ve++
	}
	v := s[vs:ve]
	if len(v) < 6 || v[0] == '-' || v[0] == '/' || v[0] == '$' || v[0] == '@' || isPlaceholder(v) {
		return Span{}, false
	}
	return Span{Start: vs, End: ve, Type: "cli_password"}, true
}

// commandWords are the words a log line shows a command after: "running htpasswd -b ...",
// "running: ...",
// "spawning", "exec: ...", "args: [...]", "argv=[...]", "command", "cmd".
var commandWords = []string{"running ", "running: ", "exec", "spawn", "args", "argv", "command", "cmd"}

// commandWordEnds tells whether the letters that follow a command word make it one of its
// forms (exec, execs, executed, executing, execve, spawned, commands, cmdline) rather than
// another word that begins like it (ExecutionException, Commander).
func commandWordEnds(rest string) bool {
	switch rest[:run(rest, 0, isLetter)] {
	case "", "s", "ed", "ing", "ute", "utes", "uted", "uting", "ve", "vp", "line":
		return true
	}
	return false
}

// maxCommandScan bounds how far after a command word arguments are looked at.
const maxCommandScan = 512

// checkPositionalPassword redacts the first argument of a logged command that is shaped
// like a password (passwordShaped). Tools take passwords as positional arguments, where no
// flag names them: htpasswd -b FILE USER PASS, rabbitmqctl add_user USER PASS, mysqladmin
// password PASS.
func checkPositionalPassword(s string, start, end int) (Span, bool) {
	if start > 0 && isAlnum(s[start-1]) {
		return Span{}, false // inside a word: "xargs", "subcommand"
	}
	if isLetter(s[end-1]) && !commandWordEnds(s[end:]) {
		return Span{}, false // a longer word: ExecutionException, Commander
	}
	limit := min(len(s), end+maxCommandScan)
	if nl := strings.IndexByte(s[end:limit], '\n'); nl >= 0 {
		limit = end + nl // a command is on one line of a record's body
	}
	afterFlag := "" // the flag before the argument, if any
	for j := end; j < limit; {
		for j < limit && isArgSeparator(s[j]) {
			j++
		}
		k := j
		for k < limit && !isArgSeparator(s[k]) {
			k++
		}
		v := strings.TrimRight(s[j:k], ",")
		// A flag's value is the flag's (--id 4fQx...): the flag detectors name passwords.
		// Only a value with a symbol is taken after another flag (openssl enc -k
		// 'falcon53#'): ids, names and paths have none.
		if (afterFlag == "" || strings.ContainsAny(v, symbols) && !isCLIFlag(afterFlag)) && (k < limit || k == len(s) || s[k] == '\n') && passwordShaped(v) {
			return Span{Start: j, End: j + len(v), Type: "cli_password"}, true
		}
		if ps, pe, ok := connectPassword(v); ok {
			return Span{Start: j + ps, End: j + pe, Type: "cli_password"}, true
		}
		afterFlag = ""
		if len(v) > 1 && v[0] == '-' && !strings.Contains(v, "=") {
			afterFlag = v
		}
		j = k
	}
	return Span{}, false
}

// connectPassword finds the password of a connect string, user/password@host[:port][/db],
// as sqlplus and other database clients take one argument: the bounds of password in v.
// There the place says password, so one of six bytes or more with a letter and a digit
// counts (dragon1494_). A module or image reference (org/repo@v1.2.3,
// library/nginx@sha256:...) has a version or a digest where the host would be.
func connectPassword(v string) (int, int, bool) {
	slash := strings.IndexByte(v, '/')
	at := strings.LastIndexByte(v, '@')
	if slash < 1 || at < slash+7 || at == len(v)-1 || run(v, 0, func(c byte) bool { return isAlnum(c) || c == '_' || c == '-' || c == '.' }) != slash {
		return 0, 0, false
	}
	host := run(v, at+1, hostChars)
	if host == 0 || at+1+host < len(v) && v[at+1+host] != ':' && v[at+1+host] != '/' ||
		versionLike(v[at+1:at+1+host]) || strings.HasPrefix(v[at+1:], "sha") {
		return 0, 0, false
	}
	p := v[slash+1 : at]
	if strings.ContainsAny(p, "/@: ") || !passwordShaped(p) && (strings.IndexFunc(p, func(r rune) bool { return r >= '0' && r <= '9' }) < 0 ||
		strings.IndexFunc(p, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }) < 0) {
		return 0, 0, false
	}
	return slash + 1, at, true
}

// isArgSeparator ends an argument as a shell line, an argv repr or a JSON array prints it.
func isArgSeparator(c byte) bool { return strings.IndexByte(" \t\r\"'[](){}", c) >= 0 }

// passwordShaped tells a password from the other arguments of a command: paths, URLs, hosts,
// users, flags, key=value, versions, ids and words. It is eight bytes or more, with none of
// / = @ :, and mixes three of lower case, upper case, digits and the symbols that
// generators and people add (!#$%^&*+?~); or it mixes lower case, upper case and digits
// and is twelve bytes or more, or holds a . - or _ (Summer1878.), but is not a prefixed id
// (evt_..., req_...), a qualified name (com.example.OAuth2Config) or a version
// (v1.2.3-RC1).
func passwordShaped(v string) bool {
	if len(v) < 8 || v[0] == '-' || strings.ContainsAny(v, "/=@:") {
		return false
	}
	if strings.ContainsAny(v, symbols) && classes(v)+1 >= 3 {
		return true
	}
	if p := run(v, 0, isLower); p >= 2 && p < len(v) && (p <= 8 && v[p] == '_' || v[p] == '.') || run(v, 0, isVersionByte) >= 3 {
		return false // evt_..., req_...; com.example.OAuth2Config; v1.2.3-RC1
	}
	return classes(v) == 3 && (len(v) >= 12 || run(v, 0, isAlnum) < len(v))
}

// symbols are the bytes that password generators and people add to letters and digits.
const symbols = "!#$%^&*+?~"

func isVersionByte(c byte) bool { return isDigit(c) || c == '.' || c == 'v' }

// versionLike tells a version (v1.2.3, 1.21) from a host name or an IPv4 address.
func versionLike(h string) bool {
	if len(h) > 1 && h[0] == 'v' && isDigit(h[1]) {
		return true
	}
	return run(h, 0, func(c byte) bool { return isDigit(c) || c == '.' }) == len(h) && strings.Count(h, ".") < 3
}

// findListedPassword redacts a password among the quoted items of an indented line, as
// Node's util.inspect and Python's pprint print a long argv, one or a few arguments a line:
//
//	spawn [
//	  'redis-cli',
//	  '-a',
//	  'C6SVE2Y*Ej_*IwVG00%6.i4N',
//	  'winter8556!', 'chassis',
//
// A record holds one line, so the flag before it may be out of sight: the value must be
// passwordShaped, and hold no space (a quoted sentence is not a password). The line must
// hold nothing but quoted items, commas and spaces.
func findListedPassword(s string) (Span, bool) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	found := Span{}
	for i < len(s) {
		if s[i] != '\'' && s[i] != '"' {
			return Span{}, false
		}
		end := strings.IndexByte(s[i+1:], s[i])
		if end < 0 {
			return Span{}, false
		}
		vs, ve := i+1, i+1+end
		if v := s[vs:ve]; found.End == 0 && strings.IndexByte(v, ' ') < 0 && passwordShaped(v) {
			found = Span{Start: vs, End: ve, Type: "cli_password"}
		}
		for i = ve + 1; i < len(s) && (s[i] == ',' || s[i] == ' '); i++ {
		}
	}
	return found, found.End > 0
}
