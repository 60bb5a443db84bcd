//go:build ignore

// Held-out set: a Go service logging through log/slog (text and JSON handlers) and the log
// package, with headers as http.Header prints them, URLs built by net/url, commands by
// exec.Cmd's String and structs by %+v, as Go services print them.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"time"
)

type creds struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      string
}

func command(f map[string]string) *exec.Cmd {
	u, p, h := f["user"], f["password"], f["host"]
	args := map[string][]string{
		"curl-u":             {"curl", "-u", u + ":" + p, "https://" + h + "/"},
		"mysql-p":            {"mysql", "-u", u, "-p" + p, "-h", h},
		"docker-login":       {"docker", "login", "-u", u, "-p", p},
		"git-clone":          {"git", "clone", "https://" + u + ":" + p + "@" + h + "/x.git"},
		"redis-cli-a":        {"redis-cli", "-a", p},
		"sshpass-p":          {"sshpass", "-p", p, "ssh", h},
		"ldapsearch-w":       {"ldapsearch", "-w", p},
		"smbclient-U":        {"smbclient", "-U", u + "%" + p},
		"wget-http-password": {"wget", "--http-user=" + u, "--http-password=" + p, "https://" + h + "/dump.gz"},
		"mongosh-p":          {"mongosh", "--host", h, "-u", u, "-p", p, "--authenticationDatabase", "admin"},
		"openssl-passin":     {"openssl", "pkcs12", "-in", "client.p12", "-nokeys", "-passin", "pass:" + p},
		"keytool-storepass":  {"keytool", "-list", "-keystore", "/etc/app/truststore.jks", "-storepass", p},
	}[f["tool"]]
	return exec.Command(args[0], args[1:]...)
}

func signedURL(f map[string]string) string {
	switch f["kind"] {
	case "azure":
		q := url.Values{"sv": {"2022-11-02"}, "sr": {"b"}, "sp": {"r"}, "se": {f["se"]}}
		return "https://" + f["account"] + ".blob.core.windows.net/archive/2026.parquet?" + q.Encode() + "&sig=" + f["sig"]
	case "aws":
		q := url.Values{"X-Amz-Algorithm": {"AWS4-HMAC-SHA256"}, "X-Amz-Credential": {f["akid"] + "/20261203/ap-south-1/s3/aws4_request"},
			"X-Amz-Date": {f["date"]}, "X-Amz-Expires": {"120"}, "X-Amz-SignedHeaders": {"host"}, "X-Amz-Signature": {f["sig"]}}
		return "https://" + f["account"] + ".s3.ap-south-1.amazonaws.com/archive/2026.parquet?" + q.Encode()
	}
	q := url.Values{"X-Goog-Algorithm": {"GOOG4-RSA-SHA256"}, "X-Goog-Date": {f["date"]}, "X-Goog-Expires": {"120"},
		"X-Goog-SignedHeaders": {"host"}, "X-Goog-Signature": {f["sig"]}}
	return "https://storage.googleapis.com/" + f["account"] + "/archive/2026.parquet?" + q.Encode()
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	var cases []struct {
		Cat string            `json:"cat"`
		I   int               `json:"i"`
		F   map[string]string `json:"f"`
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		log.Fatal(err)
	}
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.String(slog.TimeKey, time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC).Format(time.RFC3339))
		}
		return a
	}
	text := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: noTime}))
	js := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: noTime}))
	std := log.New(os.Stdout, "", log.Ldate|log.Ltime|log.Lmicroseconds|log.LUTC)
	for _, c := range cases {
		f, odd := c.F, c.I%2 == 1
		switch c.Cat {
		case "cli_password":
			if odd {
				std.Printf("exec %s", command(f).String())
			} else {
				text.Debug("running command", "args", command(f).Args)
			}
		case "signed_url":
			if odd {
				js.Info("signed download", "url", signedURL(f), "request_id", f["request_id"])
			} else {
				std.Printf("GET %s 200 12ms", signedURL(f))
			}
		case "webhook_secret":
			if odd {
				text.Warn("webhook signature invalid", "provider", f["provider"], "webhook_secret", f["secret"], "event", f["event_id"])
			} else {
				std.Printf("webhooks: config %+v", struct{ Provider, SigningSecret, LastEvent string }{f["provider"], f["secret"], f["event_id"]})
			}
		case "session_token":
			cr := creds{f["akid"], f["secret"], f["token"], f["expiration"]}
			if odd {
				std.Printf("sts: assumed role, credentials %+v", cr)
			} else {
				js.Debug("sts credentials", "creds", cr)
			}
		case "saas_token":
			if odd {
				text.Info("client configured", "provider", f["provider"], "apiToken", f["token"])
			} else {
				std.Printf("%s: authenticating with %s", f["provider"], f["token"])
			}
		case "header_map":
			h := http.Header{}
			h.Set("Accept", "application/json")
			h.Set(f["header"], f["key"])
			h.Set("X-Request-Id", f["request_id"])
			h.Set("If-None-Match", f["etag"])
			if odd {
				std.Printf("outgoing request headers: %v", h)
			} else {
				js.Debug("request", "method", "GET", "url", "https://api.example.com/v4/projects", "headers", h)
			}
		case "card19":
			if odd {
				text.Info("payment captured", "pan", f["card"], "order_id", f["order_id"], "ts_ns", f["ts_ns"])
			} else {
				std.Printf("refund issued to card %s (order %s, at %s)", f["card"], f["order_id"], f["ts_ns"])
			}
		case "oauth_response":
			if odd {
				js.Debug("token", "token_type", "Bearer", "expires_in", f["expires_in"], "access_token", f["access"], "scope", f["scope"])
			} else {
				std.Printf("oauth2: token_type=Bearer expires_in=%s access_token=%s", f["expires_in"], f["access"])
			}
		case "secret_ref":
			if odd {
				text.Info("volume mounted", "secretName", f["name"], "namespace", f["namespace"])
			} else {
				std.Printf("controller: reconciling secretName=%s/%s", f["namespace"], f["name"])
			}
		case "classic":
			text.Info("db connect", "password", f["password"])
			std.Printf("headers: map[Authorization:[Bearer %s] X-Github-Token:[%s]]", f["bearer"], f["github"])
		default:
			std.Printf("build=%s image=sha256:%s trace_id=%s pod=%s payload=%s listen=:%s", f["git_sha"], f["sha256"], f["trace_id"], f["pod"], f["data"], f["port"])
		}
	}
	fmt.Fprint(os.Stdout)
}
