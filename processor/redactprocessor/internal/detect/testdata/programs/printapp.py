"""Held-out set (eighth round): a Python script that reports with print() rather than a
logger, as scripts, jobs and notebooks do: f-strings, dataclass reprs, dicts and lists by
repr, pprint for long values."""
import json
import pprint
import shlex
import sys
from dataclasses import dataclass


@dataclass
class Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str
    expiration: str


@dataclass
class Client:
    provider: str
    token: str
    timeout: float = 10.0


def argv(f):
    u, p, h = f["user"], f["password"], f["host"]
    return {
        "openssl-enc-k": ["openssl", "enc", "-aes-256-cbc", "-salt", "-in", "dump.sql", "-out", "dump.sql.enc", "-k", p],
        "env-SSHPASS": ["env", f"SSHPASS={p}", "sshpass", "-e", "ssh", f"{u}@{h}"],
        "zip-P": ["zip", "-P", p, "-r", "/backup/site.zip", "/srv/site"],
        "unrar-p": ["unrar", "x", f"-p{p}", "/incoming/archive.rar", "/srv/in"],
    }[f["tool"]]


def signed_url(f):
    if f["kind"] == "azure":
        return f"https://{f['account']}.blob.core.windows.net/media/a.png?sv=2024-08-04&se={f['se']}&sr=b&sp=r&sig={f['sig']}"
    if f["kind"] == "aws":
        return (f"https://{f['account']}.s3.amazonaws.com/media/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={f['akid']}%2F20261203%2Fus-east-1%2Fs3%2Faws4_request"
                f"&X-Amz-Date={f['date']}&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature={f['sig']}")
    return (f"https://storage.googleapis.com/{f['account']}/media/a.png?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date={f['date']}"
            f"&X-Goog-Expires=60&X-Goog-SignedHeaders=host&X-Goog-Signature={f['sig']}")


for c in json.load(open(sys.argv[1])):
    cat, i, f = c["cat"], c["i"], c["f"]
    odd = i % 2 == 1
    if cat == "cli_password":
        print(f"running: {shlex.join(argv(f))}" if odd else f"argv={argv(f)!r}")
    elif cat == "signed_url":
        print(f"download: {signed_url(f)}" if odd else f"url={signed_url(f)!r} request={f['request_id']}")
    elif cat == "webhook_secret":
        print(f"WARN webhook {f['event_id']} bad signature; secret={f['secret']}" if odd else repr({"provider": f["provider"], "secret": f["secret"]}))
    elif cat == "session_token":
        creds = Credentials(f["akid"], f["secret"], f["token"], f["expiration"])
        print(creds if odd else f"assumed role -> {creds!r}")
    elif cat == "saas_token":
        print(Client(f["provider"], f["token"]) if odd else f"{f['provider']}: {f['token']}")
    elif cat == "header_map":
        headers = {"Accept": "application/json", f["header"]: f["key"], "X-Request-Id": f["request_id"], "If-None-Match": f["etag"]}
        print(f"headers: {headers}" if odd else pprint.pformat(headers, width=200))
    elif cat == "card19":
        print(f"card {f['card']} order {f['order_id']} ts {f['ts_ns']}")
    elif cat == "oauth_response":
        resp = {"access_token": f["access"], "token_type": "Bearer", "expires_in": int(f["expires_in"]), "scope": f["scope"]}
        print(resp if odd else json.dumps(resp))
    elif cat == "secret_ref":
        print(f"secretName={f['name']} namespace={f['namespace']}" if odd else repr({"secretName": f["name"], "namespace": f["namespace"]}))
    elif cat == "classic":
        print(f"login admin password={f['password']!r}")
        print({"Authorization": "Bearer " + f["bearer"], "X-GitHub-Token": f["github"]})
    else:
        print(f"deployed commit={f['git_sha']} image=sha256:{f['sha256']} trace={f['trace_id']} pod={f['pod']} payload={f['data']} port={f['port']}")
