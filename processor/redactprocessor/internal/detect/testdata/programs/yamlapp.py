"""Held-out set (twelfth round): a Python service that prints its effective configuration
at startup and state on errors as YAML (PyYAML's safe_dump, block style), as operators and
frameworks do, and logs one-line YAML flow mappings."""
import json
import logging
import sys

import yaml

logging.basicConfig(stream=sys.stdout, level=logging.DEBUG, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("config")


def argv(f):
    u, p, h = f["user"], f["password"], f["host"]
    return {
        "pscp-pw": ["pscp", "-batch", "-pw", p, f"{u}@{h}:/var/backups/db.tar.gz", "/srv/in/"],
        "plink-pw": ["plink", "-batch", "-ssh", "-pw", p, f"{u}@{h}", "systemctl restart app"],
        "nmcli-password": ["nmcli", "device", "wifi", "connect", "corp-ops", "password", p],
        "ldappasswd-s": ["ldappasswd", "-x", "-D", f"cn={u},dc=corp", "-W", "-s", p, f"uid=jdoe,ou=people,dc=corp"],
    }[f["tool"]]


def url(f):
    if f["kind"] == "azure":
        return f"https://{f['account']}.blob.core.windows.net/exports/e.zip?sv=2024-05-04&sr=b&sp=r&se={f['se']}&sig={f['sig']}"
    if f["kind"] == "aws":
        return (f"https://{f['account']}.s3.amazonaws.com/exports/e.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={f['akid']}%2F20261203%2Feu-north-1%2Fs3%2Faws4_request"
                f"&X-Amz-Date={f['date']}&X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-Signature={f['sig']}")
    return (f"https://storage.googleapis.com/{f['account']}/exports/e.zip?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date={f['date']}"
            f"&X-Goog-Expires=600&X-Goog-SignedHeaders=host&X-Goog-Signature={f['sig']}")


def block(doc):
    sys.stdout.write(yaml.safe_dump(doc, sort_keys=False, width=10000))


def flow(doc):
    return yaml.safe_dump(doc, default_flow_style=True, sort_keys=False, width=10000).strip()


for c in json.load(open(sys.argv[1])):
    cat, odd, f = c["cat"], c["i"] % 2 == 1, c["f"]
    if cat == "cli_password":
        if odd:
            block({"job": {"name": "sync", "command": argv(f)}})
        else:
            log.info("hook command: %s", flow({"exec": argv(f)}))
    elif cat == "signed_url":
        if odd:
            block({"export": {"url": url(f), "request_id": f["request_id"]}})
        else:
            log.info("export ready: %s", url(f))
    elif cat == "webhook_secret":
        if odd:
            block({"webhooks": [{"provider": f["provider"], "signingSecret": f["secret"]}]})
        else:
            log.warning("webhook %s rejected: %s", f["event_id"], flow({"provider": f["provider"], "secret": f["secret"]}))
    elif cat == "session_token":
        creds = {"AccessKeyId": f["akid"], "SecretAccessKey": f["secret"], "SessionToken": f["token"], "Expiration": f["expiration"]}
        if odd:
            block({"credentials": creds})
        else:
            log.debug("sts: %s", flow(creds))
    elif cat == "saas_token":
        if odd:
            block({"integrations": {f["provider"]: {"enabled": True, "token": f["token"]}}})
        else:
            log.info("%s integration: %s", f["provider"], flow({"apiToken": f["token"]}))
    elif cat == "header_map":
        h = {"Accept": "application/json", f["header"]: f["key"], "X-Request-Id": f["request_id"], "If-None-Match": f["etag"]}
        if odd:
            block({"upstream": {"headers": h}})
        else:
            log.debug("request headers: %s", flow(h))
    elif cat == "card19":
        log.info("charge %s", flow({"pan": f["card"], "order": f["order_id"], "ts": f["ts_ns"]}))
    elif cat == "oauth_response":
        resp = {"access_token": f["access"], "token_type": "Bearer", "expires_in": int(f["expires_in"]), "scope": f["scope"]}
        if odd:
            block({"oauth": resp})
        else:
            log.debug("token: %s", flow(resp))
    elif cat == "secret_ref":
        block({"volumes": [{"name": "creds", "secret": {"secretName": f["name"]}}], "namespace": f["namespace"]})
    elif cat == "classic":
        block({"database": {"user": "app", "password": f["password"]}})
        log.debug("auth: %s", flow({"Authorization": "Bearer " + f["bearer"], "X-GitHub-Token": f["github"]}))
    else:
        log.info("release %s", flow({"commit": f["git_sha"], "image": "sha256:" + f["sha256"], "trace": f["trace_id"], "pod": f["pod"], "payload": f["data"], "port": int(f["port"])}))
