"""round8 (held out in the seventh round): a Python service logging through python-json-logger
(Debian's python3-pythonjsonlogger), fields passed as `extra`, and plain `logging` with
%-style arguments, as Python services log. Runs on Debian's python3."""
import json
import logging
import shlex
import sys
import urllib.parse

from pythonjsonlogger import jsonlogger

jh = logging.StreamHandler(sys.stdout)
jh.setFormatter(jsonlogger.JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
jlog = logging.getLogger("json.billing")
jlog.addHandler(jh)
jlog.setLevel(logging.DEBUG)
jlog.propagate = False
th = logging.StreamHandler(sys.stdout)
th.setFormatter(logging.Formatter("%(asctime)s [%(levelname)s] %(name)s: %(message)s"))
tlog = logging.getLogger("billing")
tlog.addHandler(th)
tlog.setLevel(logging.DEBUG)
tlog.propagate = False


def command(f):
    u, p, h = f["user"], f["password"], f["host"]
    return {
        "env-PGPASSWORD": f"PGPASSWORD={shlex.quote(p)} pg_restore -h {h} -U {u} -d app /backup/app.dump",
        "mongodump-password-eq": f"mongodump --host {h} --username {u} --password={shlex.quote(p)} --out /backup",
        "env-RSYNC_PASSWORD": f"RSYNC_PASSWORD={shlex.quote(p)} rsync -av rsync://{u}@{h}/backup /srv/restore",
        "curl-oauth2-bearer": f"curl -sS --oauth2-bearer {shlex.quote(p)} https://{h}/api/v2/export",
    }[f["tool"]]


def signed_url(f):
    if f["kind"] == "azure":
        return f"https://{f['account']}.blob.core.windows.net/backups/db.tar?sv=2024-08-04&se={urllib.parse.quote(f['se'])}&sr=b&sp=r&sig={f['sig']}"
    if f["kind"] == "aws":
        q = urllib.parse.urlencode({"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Credential": f"{f['akid']}/20261203/ap-northeast-1/s3/aws4_request",
                                    "X-Amz-Date": f["date"], "X-Amz-Expires": "120", "X-Amz-SignedHeaders": "host", "X-Amz-Signature": f["sig"]})
        return f"https://{f['account']}.s3.ap-northeast-1.amazonaws.com/backups/db.tar?{q}"
    q = urllib.parse.urlencode({"X-Goog-Algorithm": "GOOG4-RSA-SHA256", "X-Goog-Date": f["date"], "X-Goog-Expires": "120",
                                "X-Goog-SignedHeaders": "host", "X-Goog-Signature": f["sig"]})
    return f"https://storage.googleapis.com/{f['account']}/backups/db.tar?{q}"


for c in json.load(open(sys.argv[1])):
    cat, i, f = c["cat"], c["i"], c["f"]
    odd = i % 2 == 1
    if cat == "cli_password":
        if odd:
            jlog.debug("restore command", extra={"command": command(f)})
        else:
            tlog.info("executing: %s", command(f))
    elif cat == "signed_url":
        if odd:
            jlog.info("backup link", extra={"url": signed_url(f), "request_id": f["request_id"]})
        else:
            tlog.info("redirecting to %s", signed_url(f))
    elif cat == "webhook_secret":
        if odd:
            jlog.warning("webhook signature mismatch", extra={"provider": f["provider"], "signing_secret": f["secret"], "event_id": f["event_id"]})
        else:
            tlog.warning("webhook %s rejected (secret %s)", f["event_id"], f["secret"])
    elif cat == "session_token":
        creds = {"AccessKeyId": f["akid"], "SecretAccessKey": f["secret"], "SessionToken": f["token"], "Expiration": f["expiration"]}
        if odd:
            jlog.debug("assumed role", extra={"credentials": creds})
        else:
            tlog.debug("sts returned %r", creds)
    elif cat == "saas_token":
        if odd:
            jlog.info("client configured", extra={"provider": f["provider"], "api_key": f["token"]})
        else:
            tlog.info("%s client ready, token %s", f["provider"], f["token"])
    elif cat == "header_map":
        headers = {"Accept": "application/json", f["header"]: f["key"], "X-Request-Id": f["request_id"], "If-None-Match": f["etag"]}
        if odd:
            jlog.debug("request", extra={"method": "GET", "headers": headers})
        else:
            tlog.debug("GET /api/v1/message headers=%r", headers)
    elif cat == "card19":
        if odd:
            jlog.info("charge", extra={"card": f["card"], "order_id": f["order_id"], "ts_ns": f["ts_ns"]})
        else:
            tlog.info("charging card %s for order %s at %s", f["card"], f["order_id"], f["ts_ns"])
    elif cat == "oauth_response":
        resp = {"access_token": f["access"], "token_type": "Bearer", "expires_in": int(f["expires_in"]), "scope": f["scope"]}
        if odd:
            jlog.debug("token refreshed", extra={"response": resp})
        else:
            tlog.debug("token endpoint: %s", json.dumps(resp))
    elif cat == "secret_ref":
        if odd:
            jlog.info("volume mounted", extra={"secretName": f["name"], "namespace": f["namespace"]})
        else:
            tlog.info("mounting secret %s (namespace %s)", f["name"], f["namespace"])
    elif cat == "classic":
        jlog.info("login attempt", extra={"user": "admin", "password": f["password"]})
        tlog.debug("forwarding headers %r", {"Authorization": "Bearer " + f["bearer"], "X-GitHub-Token": f["github"]})
    else:
        jlog.info("deployed", extra={"commit": f["git_sha"], "image": "sha256:" + f["sha256"], "trace_id": f["trace_id"], "pod": f["pod"],
                                     "payload": f["data"], "port": int(f["port"])})
