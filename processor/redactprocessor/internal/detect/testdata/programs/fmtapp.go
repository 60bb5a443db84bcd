//go:build ignore

// Held-out set (eighth round): a Go program that reports with fmt.Printf rather than a
// logger: structs by %+v and %#v, maps by %v, strings by %q, as tools and jobs print them.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

type credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken, Expiration string
}

type client struct {
	Provider string
	Token    string
	Retries  int
}

func argv(f map[string]string) []string {
	u, p, h := f["user"], f["password"], f["host"]
	return map[string][]string{
		"openssl-enc-k": {"openssl", "enc", "-aes-256-cbc", "-salt", "-in", "dump.sql", "-out", "dump.sql.enc", "-k", p},
		"env-SSHPASS":   {"env", "SSHPASS=" + p, "sshpass", "-e", "ssh", u + "@" + h},
		"zip-P":         {"zip", "-P", p, "-r", "/backup/site.zip", "/srv/site"},
		"unrar-p":       {"unrar", "x", "-p" + p, "/incoming/archive.rar", "/srv/in"},
	}[f["tool"]]
}

func signedURL(f map[string]string) string {
	switch f["kind"] {
	case "azure":
		return "https://" + f["account"] + ".blob.core.windows.net/media/a.png?sv=2024-08-04&se=" + f["se"] + "&sr=b&sp=r&sig=" + f["sig"]
	case "aws":
		return "https://" + f["account"] + ".s3.amazonaws.com/media/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + f["akid"] +
			"%2F20261203%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=" + f["date"] + "&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=" + f["sig"]
	}
	return "https://storage.googleapis.com/" + f["account"] + "/media/a.png?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=" + f["date"] +
		"&X-Goog-Expires=60&X-Goog-SignedHeaders=host&X-Goog-Signature=" + f["sig"]
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
	for _, c := range cases {
		f, odd := c.F, c.I%2 == 1
		switch c.Cat {
		case "cli_password":
			if odd {
				fmt.Printf("exec %q\n", argv(f))
			} else {
				fmt.Printf("running %s\n", strings.Join(argv(f), " "))
			}
		case "signed_url":
			fmt.Printf("download %s (request %s)\n", signedURL(f), f["request_id"])
		case "webhook_secret":
			fmt.Printf("webhook %s: bad signature, secret %q\n", f["event_id"], f["secret"])
		case "session_token":
			cr := credentials{f["akid"], f["secret"], f["token"], f["expiration"]}
			if odd {
				fmt.Printf("creds: %+v\n", cr)
			} else {
				fmt.Printf("creds: %#v\n", cr)
			}
		case "saas_token":
			cl := client{f["provider"], f["token"], 3}
			if odd {
				fmt.Printf("client %+v\n", cl)
			} else {
				fmt.Printf("%s token %s\n", f["provider"], f["token"])
			}
		case "header_map":
			h := map[string][]string{"Accept": {"application/json"}, f["header"]: {f["key"]}, "X-Request-Id": {f["request_id"]}, "If-None-Match": {f["etag"]}}
			if odd {
				fmt.Printf("headers %v\n", h)
			} else {
				fmt.Printf("headers %#v\n", h)
			}
		case "card19":
			fmt.Printf("card %s order %s ts %s\n", f["card"], f["order_id"], f["ts_ns"])
		case "oauth_response":
			resp := map[string]any{"access_token": f["access"], "token_type": "Bearer", "expires_in": f["expires_in"], "scope": f["scope"]}
			if odd {
				fmt.Printf("token %v\n", resp)
			} else {
				b, _ := json.Marshal(resp)
				fmt.Printf("token %s\n", b)
			}
		case "secret_ref":
			fmt.Printf("mounting secretName=%s namespace=%s\n", f["name"], f["namespace"])
		case "classic":
			fmt.Printf("login user=admin password=%q\n", f["password"])
			fmt.Printf("auth %v\n", map[string]string{"Authorization": "Bearer " + f["bearer"], "X-GitHub-Token": f["github"]})
		default:
			fmt.Printf("deployed commit=%s image=sha256:%s trace=%s pod=%s payload=%s port=%s\n", f["git_sha"], f["sha256"], f["trace_id"], f["pod"], f["data"], f["port"])
		}
	}
}
