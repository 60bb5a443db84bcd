// Copyright Flightlog Authors
// SPDX-License-Identifier: Apache-2.0

// Package corpus generates labelled log lines for the redact processor's tests and
// benchmarks: realistic formats (JSON, logfmt, access logs, header dumps, stack traces,
// SQL, command lines) with secrets in the places they leak from, and look-alikes (ids,
// hashes, digests, timestamps, order numbers) that must survive.
package corpus // import "github.com/flightlog/flightlog/processor/redactprocessor/internal/corpus"

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Secret is a value that must not survive redaction.
type Secret struct {
	Type  string
	Value string
}

// Record is one labelled log line.
type Record struct {
	Line     string
	Secrets  []Secret
	Harmless []Lookalike // must come out unchanged
}

// Lookalike is a value that resembles a secret or personal data and is neither.
type Lookalike struct {
	Kind  string
	Value string
}

// Generator makes records from a seed, so the corpus is the same on every run.
type Generator struct {
	r *rand.Rand
}

// New returns a generator for seed.
func New(seed uint64) *Generator { return &Generator{r: rand.New(rand.NewPCG(seed, 0x5eed))} }

const (
	upperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	alnums      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b64         = alnums + "+/"
	b64url      = alnums + "-_"
	hexChars    = "0123456789abcdef"
	pwChars     = alnums + "!@#$%^*-_+=.~"
)

func (g *Generator) str(n int, chars string) string {
	var b strings.Builder
	for range n {
		b.WriteByte(chars[g.r.IntN(len(chars))])
	}
	return b.String()
}

func (g *Generator) pick(options ...string) string { return options[g.r.IntN(len(options))] }

// secret returns a secret of a type and how it appears in a log ("context"), which
// contains the value; atEnd asks for the context at the end of the line.
func (g *Generator) secret(typ string) (context string, s Secret, atEnd bool) {
	s.Type = typ
	switch typ {
	case "aws_access_key_id":
		s.Value = g.pick("AKIA", "ASIA") + g.str(16, upperDigits)
		context = g.pick("aws_access_key_id="+s.Value, `"AccessKeyId": "`+s.Value+`"`, "using key "+s.Value)
	case "aws_secret_access_key":
		s.Value = g.str(40, b64)
		context = g.pick("aws_secret_access_key="+s.Value, `"SecretAccessKey":"`+s.Value+`"`, "AWS_SECRET_ACCESS_KEY="+s.Value)
	case "github_token":
		s.Value = g.pick("ghp_"+g.str(36, alnums), "gho_"+g.str(36, alnums), "github_pat_"+g.str(22, alnums)+"_"+g.str(59, alnums))
		context = g.pick("GITHUB_TOKEN="+s.Value, "token "+s.Value, `"github_token":"`+s.Value+`"`)
	case "gitlab_token":
		s.Value = "glpat-" + g.str(20, b64url)
		context = g.pick("PRIVATE-TOKEN: "+s.Value, "gitlab token="+s.Value)
	case "slack_token":
		s.Value = g.pick("xoxb-", "xoxp-") + g.str(12, "0123456789") + "-" + g.str(13, "0123456789") + "-" + g.str(24, alnums)
		context = g.pick("slack_token="+s.Value, `"token": "`+s.Value+`"`)
	case "slack_webhook":
		s.Value = "T" + g.str(10, upperDigits) + "/B" + g.str(10, upperDigits) + "/" + g.str(24, alnums)
		context = g.pick("webhook=https://hooks.slack.com/services/"+s.Value, `"url": "https://hooks.slack.com/services/`+s.Value+`"`)
	case "stripe_key":
		s.Value = g.pick("sk_live_", "rk_live_") + g.str(24, alnums)
		context = g.pick("stripe.api_key = "+s.Value, "Stripe key "+s.Value)
	case "google_api_key":
		s.Value = "AIza" + g.str(35, b64url)
		context = g.pick("https://maps.googleapis.com/maps/api/geocode/json?key="+s.Value, "GOOGLE_API_KEY="+s.Value)
	case "openai_key":
		s.Value = g.pick("sk-proj-"+g.str(48, b64url), "sk-"+g.str(48, alnums))
		context = g.pick("OPENAI_API_KEY="+s.Value, `Authorization: Bearer `+s.Value)
	case "npm_token":
		s.Value = "npm_" + g.str(36, alnums)
		context = "//registry.npmjs.org/:_authToken=" + s.Value
	case "sendgrid_key":
		s.Value = "SG." + g.str(22, b64url) + "." + g.str(43, b64url)
		context = g.pick("SENDGRID_API_KEY="+s.Value, "sendgrid key "+s.Value)
	case "twilio_key":
		s.Value = "SK" + g.str(32, hexChars)
		context = "twilio api key sid " + s.Value
	case "jwt":
		s.Value = "eyJ" + g.str(30, b64url) + ".eyJ" + g.str(60, b64url) + "." + g.str(43, b64url)
		context = g.pick("id_token="+s.Value, `"jwt":"`+s.Value+`"`, "cookie auth="+s.Value)
	case "private_key":
		s.Value = "-----BEGIN " + g.pick("RSA ", "EC ", "OPENSSH ", "") + "PRIVATE KEY-----\\n" + g.str(64, b64) + "\\n" + g.str(64, b64) + "\\n-----END PRIVATE KEY-----"
		context = `"private_key": "` + s.Value + `"`
	case "authorization":
		if g.r.IntN(2) == 0 {
			s.Value = g.str(40, b64url)
			context = g.pick("Authorization: Bearer "+s.Value, `"Authorization": "Bearer `+s.Value+`"`)
		} else {
			s.Value = base64.StdEncoding.EncodeToString([]byte(g.pick("admin", "svc", "alice") + ":" + g.str(12, alnums)))
			context = "Authorization: Basic " + s.Value
		}
	case "password":
		s.Value = g.str(8+g.r.IntN(12), pwChars)
		context = g.pick("password="+s.Value, `"password":"`+s.Value+`"`, "--password "+s.Value, "db_password: "+s.Value,
			"PGPASSWORD="+s.Value, "Password="+s.Value+";", "passwd="+s.Value)
	case "secret":
		s.Value = g.str(32, alnums)
		context = g.pick("client_secret="+s.Value, `"api_key": "`+s.Value+`"`, "x-api-key: "+s.Value, "refresh_token="+s.Value,
			"SIGNING_KEY="+s.Value, `"webhook_secret":"`+s.Value+`"`)
	case "url_password":
		s.Value = g.str(10+g.r.IntN(10), alnums+"-_.~")
		context = g.dsn(s.Value)
	case "password_passphrase":
		// What people type: words and spaces, unquoted after a key or a flag.
		s.Value = g.passphrase()
		switch g.r.IntN(6) {
		case 0:
			context = "password=" + s.Value + " result=fail"
		case 1:
			context = "--password " + s.Value + " -h db.internal"
		case 2:
			context = `password="` + s.Value + `"`
		case 3:
			context = `"password":"` + s.Value + `"`
		case 4:
			context, atEnd = "passphrase: "+s.Value, true
		default:
			context, atEnd = "password="+s.Value, true
		}
	case "url_password_unencoded":
		// Pasted into a DSN without percent-encoding: '@', '#', '%', '!' and spaces.
		if g.r.IntN(4) == 0 {
			s.Value = g.passphrase()
		} else {
			s.Value = g.str(3+g.r.IntN(5), alnums) + g.pick("@", "#", "%", "!", "!@", "%@") + g.str(3+g.r.IntN(5), alnums) +
				g.pick("", "#", "@", "!") + g.str(g.r.IntN(4), alnums)
		}
		url := g.dsn(s.Value)
		switch g.r.IntN(4) {
		case 0:
			context = "DATABASE_URL=" + url + " pool=10"
		case 1:
			context = `dsn="` + url + `"`
		case 2:
			context = `"dsn":"` + url + `"`
		default:
			context, atEnd = "connecting to "+url, true
		}
	case "azure_account_key":
		s.Value = g.str(86, b64) + "=="
		context = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + s.Value + ";EndpointSuffix=core.windows.net"
	case "session_cookie":
		s.Value = g.str(32, hexChars)
		context = g.pick("Cookie: theme=dark; sessionid="+s.Value+"; lang=en", "Set-Cookie: JSESSIONID="+s.Value+"; Path=/; HttpOnly",
			"cookie=connect.sid="+s.Value)
	case "credit_card":
		s.Value = g.card()
		context = g.pick("card="+s.Value, `"card_number": "`+s.Value+`"`, "paid with "+s.Value, "VALUES ('"+s.Value+"', 12.50)")
	case "us_ssn":
		s.Value = fmt.Sprintf("%03d-%02d-%04d", 1+g.r.IntN(665), 1+g.r.IntN(99), 1+g.r.IntN(9999))
		context = g.pick("ssn="+s.Value, `"ssn":"`+s.Value+`"`, "SSN "+s.Value+" verified")
	default:
		panic("unknown secret type " + typ)
	}
	return context, s, atEnd
}

func (g *Generator) dsn(password string) string {
	return g.pick("postgres://app:"+password+"@db.internal:5432/orders", "mongodb+srv://svc:"+password+"@cluster0.example.net/app",
		"redis://:"+password+"@cache:6379/0", "amqp://guest:"+password+"@rabbit/", "mysql://root:"+password+"@10.0.0.5/db")
}

var words = strings.Fields("purple monkey dishwasher correct horse battery staple blue river stone quiet " +
	"autumn lantern maple orbit copper window tiger velvet harbor summit")

// passphrase is two to four words, sometimes with a digit or a sign.
func (g *Generator) passphrase() string {
	n := 2 + g.r.IntN(3)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = words[g.r.IntN(len(words))]
	}
	return strings.Join(parts, " ") + g.pick("", "", "7", "!", " 2024")
}

// SecretTypes are the types the generator makes, one per default detector.
var SecretTypes = []string{
	"aws_access_key_id", "aws_secret_access_key", "github_token", "gitlab_token", "slack_token", "slack_webhook", "stripe_key",
	"google_api_key", "openai_key", "npm_token", "sendgrid_key", "twilio_key", "jwt", "private_key",
	"authorization", "password", "secret", "url_password", "azure_account_key", "session_cookie",
	"credit_card", "us_ssn",
}

// VariantTypes are secrets that real people and programs write in harder forms, found by
// the password and url_password detectors: passphrases with spaces, and DSN passwords
// that are not percent-encoded.
var VariantTypes = []string{"password_passphrase", "url_password_unencoded"}

// card makes a Luhn-valid number of a real network, plain or grouped.
func (g *Generator) card() string {
	prefix, n := "4", 16
	switch g.r.IntN(4) {
	case 1:
		prefix = fmt.Sprint(51 + g.r.IntN(5))
	case 2:
		prefix, n = g.pick("34", "37"), 15
	case 3:
		prefix = "6011"
	}
	d := []byte(prefix + g.str(n-len(prefix)-1, "0123456789") + "0")
	d[n-1] = byte('0' + (10-luhnSum(d[:n-1]))%10)
	digits := string(d)
	switch g.r.IntN(3) {
	case 0:
		return digits
	case 1:
		return group(digits, " ")
	default:
		return group(digits, "-")
	}
}

func group(d, sep string) string {
	sizes := []int{4, 4, 4, 4}
	if len(d) == 15 {
		sizes = []int{4, 6, 5}
	}
	var parts []string
	for _, n := range sizes {
		parts = append(parts, d[:n])
		d = d[n:]
	}
	return strings.Join(parts, sep)
}

// luhnSum is the Luhn sum of digits to which a check digit will be appended.
func luhnSum(d []byte) int {
	sum := 0
	for k := 0; k < len(d); k++ {
		v := int(d[len(d)-1-k] - '0')
		if k%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum % 10
}

// harmless returns a look-alike value.
func (g *Generator) harmless() Lookalike {
	switch g.r.IntN(13) {
	case 12:
		// Words and pairs around the keywords detectors look for.
		return Lookalike{"keyword pair", g.pick("token_type=bearer", "password_reset=sent", "tokens=128", "secret_rotation=enabled", "session=new",
			"auth=ok", "key=user_id", "password_changed=true", "basic-auth", "Bearer realm=api", "sk-learn", "task-runner",
			"passwordless=true", "api_key_id=k-17", "token=expired", "PWD=/srv/app", "secret: none", "AKIA-docs",
			"4111-1111-1111-1112", "000-12-3456", "https://example.com:8443/a@b", "user@host:22",
			"http://mirror:8080 or ops@example.org", "http://localhost:9090?next=a@b")}
	case 0:
		return Lookalike{"uuid", g.str(8, hexChars) + "-" + g.str(4, hexChars) + "-4" + g.str(3, hexChars) + "-a" + g.str(3, hexChars) + "-" + g.str(12, hexChars)}
	case 1:
		return Lookalike{"trace id", g.str(32, hexChars)}
	case 2:
		return Lookalike{"span id", g.str(16, hexChars)}
	case 3:
		return Lookalike{"git sha", g.str(40, hexChars)}
	case 4:
		return Lookalike{"digest", "sha256:" + g.str(64, hexChars)}
	case 5:
		return Lookalike{"epoch ms", fmt.Sprint(1764000000000 + g.r.IntN(100000000))}
	case 6:
		return Lookalike{"order number", g.orderNumber()}
	case 7:
		return Lookalike{"timestamp", fmt.Sprintf("2026-11-%02dT%02d:%02d:%02d.%03dZ", 1+g.r.IntN(28), g.r.IntN(24), g.r.IntN(60), g.r.IntN(60), g.r.IntN(1000))}
	case 8:
		return Lookalike{"pod name", g.pick("checkout", "payments", "api") + "-" + g.str(9, "bcdfghjklmnpqrstvwxz2456789") + "-" + g.str(5, "bcdfghjklmnpqrstvwxz2456789")}
	case 9:
		return Lookalike{"opaque id", g.str(24, alnums)}
	case 10:
		return Lookalike{"version", fmt.Sprintf("%d.%d.%d", g.r.IntN(20), g.r.IntN(50), g.r.IntN(200))}
	default:
		return Lookalike{"reference", fmt.Sprintf("%03d-%03d-%04d", g.r.IntN(1000), g.r.IntN(1000), g.r.IntN(10000))} // not an SSN
	}
}

// orderNumber is 13 to 19 digits that look like a card but fail Luhn.
func (g *Generator) orderNumber() string {
	n := 13 + g.r.IntN(7)
	d := []byte(g.pick("4", "5", "37", "6011", "1", "9") + g.str(n, "0123456789"))[:n]
	if (10-luhnSum(d[:n-1]))%10 == int(d[n-1]-'0') {
		d[n-1] = byte('0' + (int(d[n-1]-'0')+1)%10)
	}
	return string(d)
}

// Next returns a record with one secret of typ (or none when typ is "") and harmless
// look-alikes, in one of the formats logs come in.
func (g *Generator) Next(typ string) Record {
	var rec Record
	ctx, atEnd := "", false
	if typ != "" {
		var s Secret
		ctx, s, atEnd = g.secret(typ)
		rec.Secrets = append(rec.Secrets, s)
	}
	l1, l2 := g.harmless(), g.harmless()
	rec.Harmless = []Lookalike{l1, l2}
	h1, h2 := l1.Value, l2.Value
	ts := fmt.Sprintf("2026-11-25T10:%02d:%02d.%03dZ", g.r.IntN(60), g.r.IntN(60), g.r.IntN(1000))
	switch n := g.r.IntN(7); {
	case atEnd:
		rec.Line = fmt.Sprintf(`ts=%s level=error msg="login failed" trace_id=%s ref=%s %s`, ts, h1, h2, ctx)
	case n == 0:
		member := ctx // a JSON member already, or a fragment to put in a string
		if !strings.HasPrefix(ctx, `"`) {
			member = `"detail":"` + strings.ReplaceAll(ctx, `"`, `\"`) + `"`
		}
		rec.Line = fmt.Sprintf(`{"ts":"%s","level":"info","msg":"request handled","trace_id":"%s",%s,"ref":"%s"}`, ts, h1, member, h2)
	case n == 1:
		rec.Line = fmt.Sprintf(`ts=%s level=warn msg="upstream call" trace_id=%s %s ref=%s`, ts, h1, ctx, h2)
	case n == 2:
		rec.Line = fmt.Sprintf(`10.1.2.3 - - [25/Nov/2026:10:00:00 +0000] "GET /api/v1/orders/%s?trace=%s HTTP/1.1" 200 512 "-" "curl/8.4.0" %s`, h1, h2, ctx)
	case n == 3:
		rec.Line = fmt.Sprintf("> GET /v1/items HTTP/1.1\\r\\n> X-Request-Id: %s\\r\\n> %s\\r\\n> X-Trace: %s", h1, ctx, h2)
	case n == 4:
		rec.Line = fmt.Sprintf("\tat com.example.db.Pool.connect(Pool.java:88) [id=%s] config: %s (build %s)", h1, ctx, h2)
	case n == 5:
		rec.Line = fmt.Sprintf("SQL: UPDATE accounts SET note='%s' WHERE id='%s' /* %s */", ctx, h1, h2)
	default:
		rec.Line = fmt.Sprintf("exec: deploy --env prod --id %s %s --ref %s", h1, ctx, h2)
	}
	for _, s := range rec.Secrets {
		if !strings.Contains(rec.Line, s.Value) {
			panic("corpus: the secret is not in the line: " + rec.Line)
		}
	}
	return rec
}
