"""round5 (held out in the fourth round): a Python service logging through structlog (its console
renderer: key=value pairs, values by repr) and loguru (its default format, values formatted
into the message), as Python services log. Runs on Debian's python3 with python3-structlog
and python3-loguru."""
import json
import shlex
import sys
import urllib.parse

import structlog
from loguru import logger

structlog.configure(
    processors=[structlog.processors.add_log_level,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
                structlog.dev.ConsoleRenderer(colors=False)],
    logger_factory=structlog.PrintLoggerFactory(sys.stdout))
slog = structlog.get_logger()
logger.remove()
logger.add(sys.stdout, level="DEBUG", colorize=False)


def argv(f):
    u, p, h = f["user"], f["password"], f["host"]
    return {
        "az-login-p": ["az", "login", "-u", f"{u}@corp.example", "-p", p],
        "vault-login-userpass": ["vault", "login", "-method=userpass", f"username={u}", f"password={p}"],
        "psql-conninfo": ["psql", f"host={h} port=5432 user={u} password={p} dbname=orders sslmode=require"],
        "mysqladmin-password": ["mysqladmin", "-u", u, "-h", h, "password", p],
    }[f["tool"]]


def signed_url(f):
    if f["kind"] == "azure":
        q = urllib.parse.urlencode({"sv": "2023-01-03", "st": "2026-12-03T09:00:00Z", "se": f["se"], "sr": "c", "sp": "rl"})
        return f"https://{f['account']}.blob.core.windows.net/reports?{q}&sig={f['sig']}"
    if f["kind"] == "aws":
        q = urllib.parse.urlencode({"X-Amz-Algorithm": "AWS4-HMAC-SHA256",
                                    "X-Amz-Credential": f"{f['akid']}/20261203/eu-west-1/s3/aws4_request",
                                    "X-Amz-Date": f["date"], "X-Amz-Expires": "300", "X-Amz-SignedHeaders": "host",
                                    "X-Amz-Signature": f["sig"]})
        return f"https://{f['account']}.s3.eu-west-1.amazonaws.com/reports/q4.pdf?{q}"
    q = urllib.parse.urlencode({"X-Goog-Algorithm": "GOOG4-RSA-SHA256", "X-Goog-Date": f["date"], "X-Goog-Expires": "300",
                                "X-Goog-SignedHeaders": "host", "X-Goog-Signature": f["sig"]})
    return f"https://storage.googleapis.com/{f['account']}/reports/q4.pdf?{q}"


for c in json.load(open(sys.argv[1])):
    cat, i, f = c["cat"], c["i"], c["f"]
    odd = i % 2 == 1
    if cat == "cli_password":
        if odd:
            slog.debug("spawning", argv=argv(f))
        else:
            logger.info("exec: {}", shlex.join(argv(f)))
    elif cat == "signed_url":
        if odd:
            slog.info("download link issued", url=signed_url(f), request_id=f["request_id"])
        else:
            logger.info("redirecting to {}", signed_url(f))
    elif cat == "webhook_secret":
        if odd:
            slog.warning("webhook signature mismatch", provider=f["provider"], signing_secret=f["secret"], event_id=f["event_id"])
        else:
            logger.warning("webhook {} rejected, configured secret {}", f["event_id"], f["secret"])
    elif cat == "session_token":
        creds = {"AccessKeyId": f["akid"], "SecretAccessKey": f["secret"], "SessionToken": f["token"], "Expiration": f["expiration"]}
        if odd:
            slog.debug("assumed role", credentials=creds)
        else:
            logger.debug("sts response: {}", json.dumps({"Credentials": creds}))
    elif cat == "saas_token":
        if odd:
            slog.info("client ready", provider=f["provider"], api_token=f["token"])
        else:
            logger.info("{} client configured: {}", f["provider"], {"token": f["token"], "timeout": 10})
    elif cat == "header_map":
        headers = {"Accept": "application/json", f["header"]: f["key"], "X-Request-Id": f["request_id"], "If-None-Match": f["etag"]}
        if odd:
            slog.debug("outgoing request", method="POST", headers=headers)
        else:
            logger.debug("POST /1/indexes/products/query headers={}", headers)
    elif cat == "card19":
        if odd:
            slog.info("charge", card_number=f["card"], order_id=int(f["order_id"]), ts_ns=int(f["ts_ns"]))
        else:
            logger.info("charging card {} for order {} at {}", f["card"], f["order_id"], f["ts_ns"])
    elif cat == "oauth_response":
        resp = {"access_token": f["access"], "token_type": "Bearer", "expires_in": int(f["expires_in"]), "scope": f["scope"]}
        if odd:
            slog.debug("token refreshed", response=resp)
        else:
            logger.debug("token endpoint returned {}", json.dumps(resp))
    elif cat == "secret_ref":
        if odd:
            slog.info("volume mounted", secretName=f["name"], namespace=f["namespace"])
        else:
            logger.info("mounting secret {} from namespace {}", f["name"], f["namespace"])
    elif cat == "classic":
        slog.info("login attempt", user="admin", password=f["password"])
        logger.debug("upstream headers: {}", {"Authorization": "Bearer " + f["bearer"], "X-GitHub-Token": f["github"]})
    else:
        slog.info("deployed", commit=f["git_sha"], image=f"sha256:{f['sha256']}", trace_id=f["trace_id"], pod=f["pod"],
                  payload=f["data"], port=int(f["port"]))
