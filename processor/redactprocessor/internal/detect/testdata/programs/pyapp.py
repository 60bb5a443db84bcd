"""Tuning set: a Python service logging through the logging module, as Python apps do: dicts
and lists by repr, commands by shlex.join, JSON by json.dumps, URLs by urllib."""
import json
import logging
import shlex
import sys
import urllib.parse

logging.basicConfig(stream=sys.stdout, level=logging.DEBUG,
                    format="%(asctime)s %(levelname)s [%(name)s] %(message)s")
log = logging.getLogger("billing.worker")


def command(f):
    u, p, h = f["user"], f["password"], f["host"]
    return {
        "curl-u": ["curl", "-sS", "-u", f"{u}:{p}", f"https://{h}/api/v1/export"],
        "mysql-p": ["mysql", "-h", h, "-u", u, f"-p{p}", "-e", "SELECT 1"],
        "docker-login": ["docker", "login", "-u", u, "-p", p, "registry.example.com"],
        "git-clone": ["git", "clone", f"https://{u}:{p}@{h}/team/repo.git"],
        "redis-cli-a": ["redis-cli", "-h", h, "-a", p, "PING"],
        "sshpass-p": ["sshpass", "-p", p, "ssh", f"{u}@{h}"],
        "ldapsearch-w": ["ldapsearch", "-x", "-D", f"cn={u},dc=corp", "-w", p, "-H", f"ldap://{h}"],
        "smbclient-U": ["smbclient", f"//{h}/share", "-U", f"{u}%{p}"],
    }[f["tool"]]


def signed_url(f):
    if f["kind"] == "azure":
        q = f"sv=2022-11-02&ss=b&srt=sco&sp=rl&se={f['se']}&spr=https&sig={f['sig']}"
        return f"https://{f['account']}.blob.core.windows.net/exports/report.csv?{q}"
    if f["kind"] == "aws":
        q = urllib.parse.urlencode({
            "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
            "X-Amz-Credential": f"{f['akid']}/20261203/eu-west-1/s3/aws4_request",
            "X-Amz-Date": f["date"], "X-Amz-Expires": "900", "X-Amz-SignedHeaders": "host",
            "X-Amz-Signature": f["sig"]})
        return f"https://{f['account']}.s3.eu-west-1.amazonaws.com/exports/report.csv?{q}"
    q = urllib.parse.urlencode({
        "X-Goog-Algorithm": "GOOG4-RSA-SHA256", "X-Goog-Credential": "uploader@proj.iam.gserviceaccount.com/20261203/auto/storage/goog4_request",
        "X-Goog-Date": f["date"], "X-Goog-Expires": "900", "X-Goog-SignedHeaders": "host", "X-Goog-Signature": f["sig"]})
    return f"https://storage.googleapis.com/{f['account']}/report.csv?{q}"


def render(c):
    f, i, cat = c["f"], c["i"], c["cat"]
    rid = f["request_id"]
    if cat == "cli_password":
        cmd = command(f)
        if i % 2:
            log.info("running %s", shlex.join(cmd))
        else:
            log.debug("subprocess args=%r request_id=%s", cmd, rid)
    elif cat == "signed_url":
        url = signed_url(f)
        if i % 2:
            log.info("uploaded report, download at %s", url)
        else:
            log.info(json.dumps({"msg": "presigned", "url": url, "request_id": rid}))
    elif cat == "webhook_secret":
        name = {"stripe": "STRIPE_WEBHOOK_SECRET", "github": "GITHUB_WEBHOOK_SECRET",
                "slack-signing": "SLACK_SIGNING_SECRET", "svix": "SVIX_SECRET"}[f["provider"]]
        if i % 2:
            log.debug("settings: %r", {"provider": f["provider"], name.lower(): f["secret"], "event": f["event_id"]})
        else:
            log.warning("signature mismatch for %s using secret %s", f["event_id"], f["secret"])
    elif cat == "session_token":
        creds = {"Credentials": {"AccessKeyId": f["akid"], "SecretAccessKey": f["secret"],
                                 "SessionToken": f["token"], "Expiration": f["expiration"]}}
        if i % 2:
            log.debug("assume-role response: %s", json.dumps(creds))
        else:
            log.debug("credentials: %r", creds["Credentials"])
    elif cat == "saas_token":
        if i % 2:
            log.info("initialised %s client with token %s", f["provider"], f["token"])
        else:
            log.debug("config loaded: %r", {"provider": f["provider"], "credential": f["token"], "timeout": 30})
    elif cat == "header_map":
        headers = {"Content-Type": "application/json", f["header"]: f["key"], "X-Request-Id": rid, "If-None-Match": f["etag"]}
        if i % 2:
            log.debug("outgoing request headers: %s", headers)
        else:
            log.debug("GET /v2/items headers=%s", json.dumps(headers))
    elif cat == "card19":
        if i % 2:
            log.info("charge accepted card=%s order=%s ts=%s", f["card"], f["order_id"], f["ts_ns"])
        else:
            log.info(json.dumps({"event": "payment", "pan": f["card"], "order_id": f["order_id"], "ts": f["ts_ns"]}))
    elif cat == "oauth_response":
        if i % 2:
            log.debug("token response: access_token=%s token_type=Bearer expires_in=%s scope=%s",
                      f["access"], f["expires_in"], f["scope"])
        else:
            log.debug("token response: token_type=Bearer expires_in=%s access_token=%s", f["expires_in"], f["access"])
    elif cat == "secret_ref":
        if i % 2:
            log.info("mounting volume from secretName=%s namespace=%s", f["name"], f["namespace"])
        else:
            log.info(json.dumps({"msg": "reconciled", "secretName": f["name"], "namespace": f["namespace"]}))
    elif cat == "classic":
        log.info("connecting with password=%s auth=Bearer %s", f["password"], f["bearer"])
        log.debug("github token %s", f["github"])
    else:
        log.info("build %s image sha256:%s trace_id=%s pod=%s data=%s port=%s",
                 f["git_sha"], f["sha256"], f["trace_id"], f["pod"], f["data"], f["port"])


for case in json.load(open(sys.argv[1])):
    render(case)
