"""Tuning set: prints a bash script that does what a deploy or entrypoint script does with
these values; capture.sh runs it with `bash -x`, so the log is bash's own trace (commands
quoted the way bash quotes them) and what the commands print. The tools are shell
functions that print nothing, so no command runs."""
import json
import shlex
import sys

print("set -x")
for tool in ["curl", "mysql", "docker", "git", "redis-cli", "sshpass", "ldapsearch", "smbclient", "uploader", "app"]:
    print(f"{tool}() {{ :; }}")


def q(*args):
    return " ".join(shlex.quote(a) for a in args)


for c in json.load(open(sys.argv[1])):
    f, i, cat = c["f"], c["i"], c["cat"]
    if cat == "cli_password":
        u, p, h = f["user"], f["password"], f["host"]
        print({
            "curl-u": q("curl", "-sS", "-u", f"{u}:{p}", f"https://{h}/api/v1/export"),
            "mysql-p": q("mysql", "-h", h, "-u", u, f"-p{p}", "-e", "SELECT 1"),
            "docker-login": q("docker", "login", "-u", u, "-p", p, "registry.example.com"),
            "git-clone": q("git", "clone", f"https://{u}:{p}@{h}/team/repo.git"),
            "redis-cli-a": q("redis-cli", "-h", h, "-a", p, "PING"),
            "sshpass-p": q("sshpass", "-p", p, "ssh", f"{u}@{h}"),
            "ldapsearch-w": q("ldapsearch", "-x", "-D", f"cn={u},dc=corp", "-w", p),
            "smbclient-U": q("smbclient", f"//{h}/share", "-U", f"{u}%{p}"),
        }[f["tool"]])
    elif cat == "signed_url":
        if f["kind"] == "azure":
            url = f"https://{f['account']}.blob.core.windows.net/backup/db.tar?sv=2022-11-02&se={f['se']}&sr=b&sp=r&sig={f['sig']}"
        elif f["kind"] == "aws":
            url = (f"https://{f['account']}.s3.amazonaws.com/db.tar?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                   f"&X-Amz-Credential={f['akid']}%2F20261203%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date={f['date']}"
                   f"&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature={f['sig']}")
        else:
            url = (f"https://storage.googleapis.com/{f['account']}/db.tar?X-Goog-Algorithm=GOOG4-RSA-SHA256"
                   f"&X-Goog-Date={f['date']}&X-Goog-Expires=600&X-Goog-SignedHeaders=host&X-Goog-Signature={f['sig']}")
        print(q("curl", "-fsSL", "-o", "/tmp/db.tar", url))
    elif cat == "webhook_secret":
        name = {"stripe": "STRIPE_WEBHOOK_SECRET", "github": "WEBHOOK_SECRET",
                "slack-signing": "SLACK_SIGNING_SECRET", "svix": "SVIX_WEBHOOK_SECRET"}[f["provider"]]
        print(f"export {name}={shlex.quote(f['secret'])}")
    elif cat == "session_token":
        print(f"export AWS_ACCESS_KEY_ID={f['akid']}")
        print(f"export AWS_SECRET_ACCESS_KEY={shlex.quote(f['secret'])}")
        print(f"export AWS_SESSION_TOKEN={shlex.quote(f['token'])}")
    elif cat == "saas_token":
        print(q("app", "--provider", f["provider"], "--token", f["token"]) if i % 2 else
              q("echo", f"using {f['provider']} credential {f['token']}"))
    elif cat == "header_map":
        print(q("curl", "-H", f"{f['header']}: {f['key']}", "-H", f"X-Request-Id: {f['request_id']}", "https://api.example.com/v2/items"))
    elif cat == "card19":
        print(q("echo", f"refund card {f['card']} order {f['order_id']} at {f['ts_ns']}"))
    elif cat == "oauth_response":
        print(q("echo", f"token_type=Bearer expires_in={f['expires_in']} access_token={f['access']}"))
    elif cat == "secret_ref":
        print(q("echo", f"waiting for secretName={f['name']} in {f['namespace']}"))
    elif cat == "classic":
        print(q("app", "--db-password", f["password"], "--github-token", f["github"]))
        print(q("curl", "-H", "Authorization: Bearer " + f["bearer"], "https://api.example.com/"))
    else:
        print(q("echo", f"deploying {f['git_sha']} sha256:{f['sha256']} pod {f['pod']} trace {f['trace_id']}"))
        print(q("docker", "run", "-p", f"{f['port']}:80", "-e", f"DATA={f['data']}", "web"))
