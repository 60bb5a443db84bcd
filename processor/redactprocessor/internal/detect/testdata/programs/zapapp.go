//go:build ignore

// round5 (held out in the fourth round): a Go service logging through zap, its production JSON
// encoder with typed fields (zap.Strings, zap.Any of maps and structs) and its development
// console encoder through the sugared logger, as Go services log. capture.sh builds it in a
// module of its own that requires go.uber.org/zap.
package main

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"

	"go.uber.org/zap"
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
		"az-login-p":           {"az", "login", "-u", u + "@corp.example", "-p", p},
		"vault-login-userpass": {"vault", "login", "-method=userpass", "username=" + u, "password=" + p},
		"psql-conninfo":        {"psql", "host=" + h + " port=5432 user=" + u + " password=" + p + " dbname=orders sslmode=require"},
		"mysqladmin-password":  {"mysqladmin", "-u", u, "-h", h, "password", p},
	}[f["tool"]]
}

func signedURL(f map[string]string) string {
	switch f["kind"] {
	case "azure":
		q := url.Values{"sv": {"2023-01-03"}, "se": {f["se"]}, "sr": {"b"}, "sp": {"r"}}
		return "https://" + f["account"] + ".blob.core.windows.net/invoices/11.pdf?" + q.Encode() + "&sig=" + f["sig"]
	case "aws":
		q := url.Values{"X-Amz-Algorithm": {"AWS4-HMAC-SHA256"}, "X-Amz-Credential": {f["akid"] + "/20261203/us-west-2/s3/aws4_request"},
			"X-Amz-Date": {f["date"]}, "X-Amz-Expires": {"600"}, "X-Amz-SignedHeaders": {"host"}, "X-Amz-Signature": {f["sig"]}}
		return "https://" + f["account"] + ".s3.us-west-2.amazonaws.com/invoices/11.pdf?" + q.Encode()
	}
	q := url.Values{"X-Goog-Algorithm": {"GOOG4-RSA-SHA256"}, "X-Goog-Date": {f["date"]}, "X-Goog-Expires": {"600"},
		"X-Goog-SignedHeaders": {"host"}, "X-Goog-Signature": {f["sig"]}}
	return "https://storage.googleapis.com/" + f["account"] + "/invoices/11.pdf?" + q.Encode()
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
	prodCfg := zap.NewProductionConfig()
	prodCfg.Level = zap.NewAtomicLevelAt(zap.DebugLevel)
	prodCfg.OutputPaths = []string{"stdout"}
	prodCfg.Sampling = nil
	prod := zap.Must(prodCfg.Build())
	devCfg := zap.NewDevelopmentConfig()
	devCfg.OutputPaths = []string{"stdout"}
	sugar := zap.Must(devCfg.Build()).Sugar()

	for _, c := range cases {
		f, odd := c.F, c.I%2 == 1
		switch c.Cat {
		case "cli_password":
			if odd {
				prod.Debug("exec", zap.Strings("argv", argv(f)))
			} else {
				sugar.Infof("running %s", strings.Join(argv(f), " "))
			}
		case "signed_url":
			if odd {
				prod.Info("presigned", zap.String("url", signedURL(f)), zap.String("request_id", f["request_id"]))
			} else {
				sugar.Infow("redirect", "location", signedURL(f))
			}
		case "webhook_secret":
			if odd {
				prod.Warn("webhook rejected", zap.String("provider", f["provider"]), zap.String("signingSecret", f["secret"]), zap.String("event", f["event_id"]))
			} else {
				sugar.Warnf("webhook %s: signature check failed with secret %s", f["event_id"], f["secret"])
			}
		case "session_token":
			creds := credentials{f["akid"], f["secret"], f["token"], f["expiration"]}
			if odd {
				prod.Debug("assumed role", zap.Any("credentials", creds))
			} else {
				sugar.Debugf("sts credentials %+v", creds)
			}
		case "saas_token":
			if odd {
				prod.Info("client configured", zap.String("provider", f["provider"]), zap.String("apiKey", f["token"]))
			} else {
				sugar.Infow("client configured", "provider", f["provider"], "config", map[string]any{"token": f["token"], "retries": 3})
			}
		case "header_map":
			h := map[string][]string{"Accept": {"application/json"}, f["header"]: {f["key"]}, "X-Request-Id": {f["request_id"]}, "If-None-Match": {f["etag"]}}
			if odd {
				prod.Debug("request", zap.String("method", "GET"), zap.Any("headers", h))
			} else {
				sugar.Debugf("outgoing headers: %v", h)
			}
		case "card19":
			if odd {
				prod.Info("charge", zap.String("pan", f["card"]), zap.String("orderId", f["order_id"]), zap.String("tsNs", f["ts_ns"]))
			} else {
				sugar.Infof("charging %s for order %s at %s", f["card"], f["order_id"], f["ts_ns"])
			}
		case "oauth_response":
			resp := map[string]any{"access_token": f["access"], "token_type": "Bearer", "expires_in": f["expires_in"], "scope": f["scope"]}
			if odd {
				prod.Debug("token", zap.Any("response", resp))
			} else {
				b, _ := json.Marshal(resp)
				sugar.Debugf("token response %s", b)
			}
		case "secret_ref":
			if odd {
				prod.Info("mounted", zap.String("secretName", f["name"]), zap.String("namespace", f["namespace"]))
			} else {
				sugar.Infow("mounting", "secretName", f["name"], "namespace", f["namespace"])
			}
		case "classic":
			prod.Info("login", zap.String("user", "admin"), zap.String("password", f["password"]))
			sugar.Debugw("headers", "Authorization", "Bearer "+f["bearer"], "X-GitHub-Token", f["github"])
		default:
			prod.Info("deployed", zap.String("commit", f["git_sha"]), zap.String("image", "sha256:"+f["sha256"]), zap.String("traceId", f["trace_id"]),
				zap.String("pod", f["pod"]), zap.String("payload", f["data"]), zap.String("port", f["port"]))
		}
	}
	_ = prod.Sync()
	_ = sugar.Sync()
}
