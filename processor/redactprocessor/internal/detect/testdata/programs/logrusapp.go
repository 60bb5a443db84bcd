//go:build ignore

// round6 (held out in the fifth round): a Go service logging through logrus (its text formatter, which
// quotes values and prints maps with %v) and zerolog (JSON, with Interface fields for maps
// and structs, and its console writer), as Go services log. capture.sh builds it in a module
// of its own that requires github.com/sirupsen/logrus and github.com/rs/zerolog.
package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/rs/zerolog"
	"github.com/sirupsen/logrus"
)

type credentials struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken"`
	Expiration      string `json:"Expiration"`
}

func argv(f map[string]string) []string {
	u, p, h := f["user"], f["password"], f["host"]
	return map[string][]string{
		"ipmitool-P":   {"ipmitool", "-I", "lanplus", "-H", h, "-U", u, "-P", p, "chassis", "status"},
		"7z-p":         {"7z", "a", "-p" + p, "-mhe=on", "/backup/2026-12-03.7z", "/srv/data"},
		"svn-password": {"svn", "checkout", "--username", u, "--password", p, "https://" + h + "/svn/app/trunk"},
		"net-use":      {"net", "use", `\\` + h + `\share`, p, "/user:" + u},
	}[f["tool"]]
}

func signedURL(f map[string]string) string {
	switch f["kind"] {
	case "azure":
		q := url.Values{"sv": {"2024-05-04"}, "se": {f["se"]}, "sr": {"b"}, "sp": {"rw"}}
		return "https://" + f["account"] + ".blob.core.windows.net/uploads/photo.jpg?" + q.Encode() + "&sig=" + f["sig"]
	case "aws":
		q := url.Values{"X-Amz-Algorithm": {"AWS4-HMAC-SHA256"}, "X-Amz-Credential": {f["akid"] + "/20261203/eu-central-1/s3/aws4_request"},
			"X-Amz-Date": {f["date"]}, "X-Amz-Expires": {"3600"}, "X-Amz-SignedHeaders": {"host"}, "X-Amz-Signature": {f["sig"]}}
		return "https://" + f["account"] + ".s3.eu-central-1.amazonaws.com/uploads/photo.jpg?" + q.Encode()
	}
	q := url.Values{"X-Goog-Algorithm": {"GOOG4-RSA-SHA256"}, "X-Goog-Date": {f["date"]}, "X-Goog-Expires": {"3600"},
		"X-Goog-SignedHeaders": {"host"}, "X-Goog-Signature": {f["sig"]}}
	return "https://storage.googleapis.com/" + f["account"] + "/uploads/photo.jpg?" + q.Encode()
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var cases []struct {
		Cat string            `json:"cat"`
		I   int               `json:"i"`
		F   map[string]string `json:"f"`
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		panic(err)
	}
	lr := logrus.New()
	lr.SetOutput(os.Stdout)
	lr.SetLevel(logrus.DebugLevel)
	lr.SetFormatter(&logrus.TextFormatter{DisableColors: true, FullTimestamp: true})
	zl := zerolog.New(os.Stdout).Level(zerolog.DebugLevel).With().Timestamp().Logger()
	zc := zerolog.New(zerolog.ConsoleWriter{Out: os.Stdout, NoColor: true, TimeFormat: "15:04:05"}).With().Timestamp().Logger()

	for _, c := range cases {
		f, odd := c.F, c.I%2 == 1
		switch c.Cat {
		case "cli_password":
			if odd {
				zl.Debug().Strs("argv", argv(f)).Msg("exec")
			} else {
				lr.Infof("running %s", strings.Join(argv(f), " "))
			}
		case "signed_url":
			if odd {
				zl.Info().Str("url", signedURL(f)).Str("request_id", f["request_id"]).Msg("upload url")
			} else {
				lr.WithField("location", signedURL(f)).Info("redirect")
			}
		case "webhook_secret":
			if odd {
				zc.Warn().Str("provider", f["provider"]).Str("secret", f["secret"]).Str("event", f["event_id"]).Msg("signature mismatch")
			} else {
				lr.Warnf("webhook %s: bad signature (secret %s)", f["event_id"], f["secret"])
			}
		case "session_token":
			creds := credentials{f["akid"], f["secret"], f["token"], f["expiration"]}
			if odd {
				zl.Debug().Interface("credentials", creds).Msg("assumed role")
			} else {
				lr.WithField("creds", fmt.Sprintf("%+v", creds)).Debug("sts")
			}
		case "saas_token":
			if odd {
				zl.Info().Str("provider", f["provider"]).Str("token", f["token"]).Msg("client configured")
			} else {
				lr.Infof("%s client configured with %s", f["provider"], f["token"])
			}
		case "header_map":
			h := map[string][]string{"Accept": {"application/json"}, f["header"]: {f["key"]}, "X-Request-Id": {f["request_id"]}, "If-None-Match": {f["etag"]}}
			if odd {
				zl.Debug().Interface("headers", h).Msg("request")
			} else {
				lr.WithField("headers", h).Debug("outgoing request")
			}
		case "card19":
			if odd {
				zc.Info().Str("card", f["card"]).Str("order", f["order_id"]).Str("ts_ns", f["ts_ns"]).Msg("charge")
			} else {
				lr.Infof("charging %s for order %s at %s", f["card"], f["order_id"], f["ts_ns"])
			}
		case "oauth_response":
			resp := map[string]any{"access_token": f["access"], "token_type": "Bearer", "expires_in": f["expires_in"], "scope": f["scope"]}
			if odd {
				zl.Debug().Interface("response", resp).Msg("token")
			} else {
				lr.WithFields(logrus.Fields(resp)).Debug("token refreshed")
			}
		case "secret_ref":
			if odd {
				zl.Info().Str("secretName", f["name"]).Str("namespace", f["namespace"]).Msg("mounted")
			} else {
				lr.WithFields(logrus.Fields{"secretName": f["name"], "namespace": f["namespace"]}).Info("mounting")
			}
		case "classic":
			lr.WithFields(logrus.Fields{"user": "admin", "password": f["password"]}).Info("login")
			zl.Debug().Str("authorization", "Bearer "+f["bearer"]).Str("github_token", f["github"]).Msg("upstream auth")
		default:
			zl.Info().Str("commit", f["git_sha"]).Str("image", "sha256:"+f["sha256"]).Str("trace_id", f["trace_id"]).
				Str("pod", f["pod"]).Str("payload", f["data"]).Str("port", f["port"]).Msg("deployed")
		}
	}
}
