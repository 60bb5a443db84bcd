#!/usr/bin/env python3
"""Makes the values that the capture programs log: cases.json (what each program renders
through its own runtime and libraries) and the labels (every secret, by type, and every
harmless look-alike, by kind, one per line: "secret<TAB>type<TAB>value").

usage: values.py tuning|round2|...|round12|heldout SEED COUNT CASES_JSON LABELS

The sets share categories but not their members: the SaaS providers, the header names and
the command-line tools of each set appear in no other, so a score on a set that no change
was made for measures what generalises rather than what was fixed case by case. round2 and
round3 to round12 were the held-out sets of the first eleven rounds: scored before and after
their round, then tuned on; heldout was captured before the twelfth round and has not been
tuned on.
"""
import base64
import json
import random
import string
import sys
import urllib.parse

which, seed, count, cases_path, labels_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
r = random.Random(seed * 7919 + {"tuning": 0, "round2": 1, "round3": 2, "round4": 3, "round5": 4, "round6": 5, "round7": 6, "round8": 7, "round9": 8, "round10": 9, "round11": 10, "round12": 11, "heldout": 12}[which])

ALNUM = string.ascii_letters + string.digits
LOWER_DIGITS = string.ascii_lowercase + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"


def s(n, chars=ALNUM):
    return "".join(r.choice(chars) for _ in range(n))


def password():
    # what people choose or generators make: words with digits and symbols, or random runs
    words = ["Summer", "orange", "Tr0ub4dor", "dragon", "Kestrel", "winter", "Mango", "falcon"]
    return r.choice([
        lambda: r.choice(words) + str(r.randint(10, 9999)) + r.choice("!#%*+-_."),
        lambda: s(r.randint(12, 24), ALNUM + "!#%^*-_+."),
        lambda: s(r.randint(16, 32)),
    ])()


def luhn_complete(prefix, length):
    digits = prefix + "".join(r.choice(string.digits) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return digits + str((10 - total % 10) % 10)


# App-level tokens of SaaS APIs, in their documented formats. Disjoint between the sets.
SAAS = {
    "tuning": [
        ("slack app", lambda: "xapp-1-A" + s(10, string.ascii_uppercase + string.digits) + "-" + s(13, string.digits) + "-" + s(64, HEX)),
        ("shopify", lambda: "shpat_" + s(32, HEX)),
        ("huggingface", lambda: "hf_" + s(34, string.ascii_letters)),
        ("anthropic", lambda: "sk-ant-api03-" + s(93, B64URL) + "AA"),
        ("grafana", lambda: "glsa_" + s(32) + "_" + s(8, HEX)),
        ("digitalocean", lambda: "dop_v1_" + s(64, HEX)),
        ("pypi", lambda: "pypi-AgEIcHlwaS5vcmc" + s(60, B64URL)),
        ("linear", lambda: "lin_api_" + s(40)),
        ("postman", lambda: "PMAK-" + s(24, HEX) + "-" + s(34, HEX)),
        ("doppler", lambda: "dp.st." + s(43, string.ascii_lowercase + string.digits)),
    ],
    "round2": [
        ("vault", lambda: "hvs." + s(90, B64URL)),
        ("new relic", lambda: "NRAK-" + s(27, string.ascii_uppercase + string.digits)),
        ("databricks", lambda: "dapi" + s(32, HEX)),
        ("notion", lambda: "ntn_" + s(11, string.digits) + s(35)),
        ("atlassian", lambda: "ATATT3xFfGF0" + s(171, B64URL) + "=" + s(8, string.ascii_uppercase + string.digits)),  # 192 bytes
        ("pulumi", lambda: "pul-" + s(40, HEX)),
        ("sentry", lambda: "sntrys_eyJ" + s(140, B64URL)),
        ("flyio", lambda: "fo1_" + s(43, B64URL)),
        ("heroku", lambda: "HRKU-AA" + s(58, B64URL)),
        ("planetscale", lambda: "pscale_tkn_" + s(43, B64URL)),
    ],
    "round3": [
        ("brevo", lambda: "xkeysib-" + s(64, HEX) + "-" + s(16)),
        ("dynatrace", lambda: "dt0c01." + s(24, string.ascii_uppercase + string.digits) + "." + s(64, string.ascii_uppercase + string.digits)),
        ("typeform", lambda: "tfp_" + s(44, B64URL)),
        ("readme", lambda: "rdme_" + s(70, LOWER_DIGITS)),
        ("prefect", lambda: "pnu_" + s(36)),
        ("rubygems", lambda: "rubygems_" + s(48, HEX)),
        ("shippo", lambda: "shippo_live_" + s(40, HEX)),
        ("supabase", lambda: "sbp_" + s(40, HEX)),
        ("tailscale", lambda: "tskey-api-k" + s(10) + "CNTRL-" + s(33)),
        ("render", lambda: "rnd_" + s(32)),
    ],
    "round4": [
        ("mailgun", lambda: "key-" + s(32, HEX)),
        ("telegram", lambda: str(r.randint(10**8, 10**10)) + ":AA" + s(33, B64URL)),
        ("discord", lambda: "MT" + s(24, ALNUM) + "." + s(6, B64URL) + "." + s(38, B64URL)),
        ("replicate", lambda: "r8_" + s(37)),
        ("groq", lambda: "gsk_" + s(52)),
        ("netlify", lambda: "nfp_" + s(40)),
        ("openai project", lambda: "sk-proj-" + s(74, B64URL) + "T3BlbkFJ" + s(74, B64URL)),
        ("mapbox", lambda: "sk.eyJ1Ijoi" + s(60, B64URL) + "." + s(22, B64URL)),
        ("cloudflare", lambda: s(40, ALNUM + "_-")),
        ("fastly", lambda: s(32, ALNUM + "_-")),
    ],
    "round5": [
        ("gitlab", lambda: "glpat-" + s(20, B64URL)),
        ("npm", lambda: "npm_" + s(36)),
        ("sendgrid", lambda: "SG." + s(22, B64URL) + "." + s(43, B64URL)),
        ("twilio", lambda: "SK" + s(32, HEX)),
        ("stripe restricted", lambda: "rk_live_" + s(r.randint(24, 99))),
        ("airtable", lambda: "pat" + s(14) + "." + s(64, HEX)),
        ("contentful", lambda: "CFPAT-" + s(43, B64URL)),
        ("terraform cloud", lambda: s(14, LOWER_DIGITS) + ".atlasv1." + s(r.randint(60, 70), LOWER_DIGITS + "-_")),
        ("algolia", lambda: s(32, HEX)),
        ("okta", lambda: "00" + s(40, B64URL)),
    ],
    "round6": [
        ("circleci", lambda: "CCIPAT_" + s(22) + "_" + s(40, HEX)),
        ("openrouter", lambda: "sk-or-v1-" + s(64, HEX)),
        ("hubspot", lambda: "pat-na1-" + uuid()),
        ("dropbox", lambda: "sl." + s(r.randint(130, 140), B64URL)),
        ("langsmith", lambda: "lsv2_pt_" + s(32, HEX) + "_" + s(10, HEX)),
        ("elastic", lambda: base64.b64encode((s(20) + ":" + s(22)).encode()).decode()),
        ("linode", lambda: s(64, HEX)),
        ("mistral", lambda: s(32)),
        ("asana", lambda: "2/" + s(16, string.digits) + "/" + s(16, string.digits) + ":" + s(32, HEX)),
        ("pinecone", lambda: "pcsk_" + s(6) + "_" + s(64)),
    ],
    "round7": [
        ("vercel", lambda: s(24)),
        ("sentry user", lambda: "sntryu_" + s(64, HEX)),
        ("digitalocean oauth", lambda: "doo_v1_" + s(64, HEX)),
        ("vault batch", lambda: "hvb." + s(138, B64URL)),
        ("perplexity", lambda: "pplx-" + s(48)),
        ("xai", lambda: "xai-" + s(80)),
        ("firecrawl", lambda: "fc-" + s(32, HEX)),
        ("resend", lambda: "re_" + s(8) + "_" + s(24)),
        ("twitch", lambda: s(30, LOWER_DIGITS)),
        ("deepseek", lambda: "sk-" + s(32, HEX)),
    ],
    "round8": [
        ("clickup", lambda: "pk_" + s(8, string.digits) + "_" + s(32, string.ascii_uppercase + string.digits)),
        ("notion legacy", lambda: "secret_" + s(43)),
        ("trello", lambda: s(64, HEX)),
        ("zendesk", lambda: s(40)),
        ("bitly", lambda: s(40, HEX)),
        ("snyk", lambda: uuid()),
        ("launchdarkly", lambda: "api-" + uuid()),
        ("postmark", lambda: uuid()),
        ("sumologic", lambda: s(64)),
        ("segment", lambda: s(32)),
    ],
    "round9": [
        ("figma", lambda: "figd_" + s(40, B64URL)),
        ("grafana cloud", lambda: "glc_" + s(80, B64)),
        ("scaleway", lambda: uuid()),
        ("jfrog reference", lambda: "cmVmdGtuOjAxOjE3" + s(48)),
        ("azure devops", lambda: s(52, "abcdefghijklmnopqrstuvwxyz234567")),
        ("mailchimp", lambda: s(32, HEX) + "-us" + str(r.randint(1, 21))),
        ("brevo smtp", lambda: "xsmtpsib-" + s(64, HEX) + "-" + s(16)),
        ("datadog", lambda: s(32, HEX)),
        ("github installation", lambda: "ghs_" + s(36)),
        ("doppler personal", lambda: "dp.pt." + s(43, LOWER_DIGITS)),
    ],
    "round10": [
        ("gitlab runner", lambda: "glrt-" + s(20, B64URL)),
        ("adobe", lambda: "p8e-" + s(32, HEX)),
        ("cohere", lambda: s(40)),
        ("beamer", lambda: "b_" + s(44, B64URL)),
        ("frame.io", lambda: "fio-u-" + s(64, B64URL)),
        ("infracost", lambda: "ico-" + s(32)),
        ("octopus deploy", lambda: "API-" + s(26, string.ascii_uppercase + string.digits)),
        ("sourcegraph", lambda: "sgp_" + s(16, HEX) + "_" + s(40, HEX)),
        ("harness", lambda: "pat." + s(22) + "." + s(24) + "." + s(20)),
        ("lob", lambda: "live_" + s(35, HEX)),
    ],
    "round11": [
        ("1password service account", lambda: "ops_eyJ" + s(r.randint(180, 220), B64URL)),
        ("buildkite", lambda: "bkua_" + s(40, HEX)),
        ("honeycomb ingest", lambda: "hcaik_" + s(58, LOWER_DIGITS)),
        ("zuplo", lambda: "zpka_" + s(32, HEX) + "_" + s(8, HEX)),
        ("ngrok", lambda: "2" + s(26) + "_" + s(21)),
        ("pagerduty", lambda: "u+" + s(18, B64URL)),
        ("plaid", lambda: "access-production-" + uuid()),
        ("square", lambda: "EAAA" + s(60, B64URL)),
        ("posthog", lambda: "phx_" + s(43)),
        ("mux", lambda: s(36, LOWER_DIGITS)),
    ],
    "round12": [
        ("flutterwave", lambda: "FLWSECK-" + s(32, HEX) + "-X"),
        ("razorpay", lambda: s(24)),
        ("mollie", lambda: "live_" + s(30)),
        ("duffel", lambda: "duffel_live_" + s(43, B64URL)),
        ("easypost", lambda: "EZAK" + s(54, HEX)),
        ("adafruit io", lambda: "aio_" + s(28)),
        ("intercom", lambda: "dG9rOj" + s(54, B64) + "="),
        ("sumup", lambda: "sup_sk_" + s(32)),
        ("planetscale password", lambda: "pscale_pw_" + s(43, B64URL)),
        ("vonage", lambda: s(16)),
    ],
    "heldout": [
        ("linear oauth", lambda: "lin_oauth_" + s(64, HEX)),
        ("planetscale oauth", lambda: "pscale_oauth_" + s(43, B64URL)),
        ("defined networking", lambda: "dnkey-" + s(26, string.ascii_uppercase + string.digits) + "-" + s(52, string.ascii_uppercase + string.digits)),
        ("scalingo", lambda: "tk-us-" + s(48, B64URL)),
        ("gitlab deploy token", lambda: "gldt-" + s(20, B64URL)),
        ("yandex", lambda: "y0_" + s(55, B64URL)),
        ("smartsheet", lambda: s(26)),
        ("rollbar", lambda: s(32, HEX)),
        ("contentstack", lambda: "cs" + s(32, HEX)),
        ("storyblok", lambda: s(22)),
    ],
}
HEADERS = {
    "tuning": ["X-Api-Key", "X-API-KEY", "Api-Key", "X-Auth-Token"],
    "round2": ["Ocp-Apim-Subscription-Key", "X-Goog-Api-Key", "apikey", "X-Access-Token"],
    "round3": ["Private-Token", "X-Vault-Token", "X-Figma-Token", "Api-Token"],
    "round4": ["X-Riot-Token", "Circle-Token", "DD-APPLICATION-KEY", "X-Postmark-Server-Token"],
    "round5": ["X-Algolia-API-Key", "X-Honeycomb-Team", "X-Shopify-Access-Token", "X-TrackerToken"],
    "round6": ["X-Consul-Token", "X-Auth-Key", "X-Cisco-Meraki-API-Key", "Token"],
    "round7": ["X-Gitlab-Token", "X-Octopus-ApiKey", "X-DreamFactory-API-Key", "X-Nomad-Token"],
    "round8": ["X-Gotify-Key", "X-JFrog-Art-Api", "X-Cachet-Token", "X-Emby-Token"],
    "round9": ["X-ClickHouse-Key", "X-TYPESENSE-API-KEY", "X-Plex-Token", "X-Redmine-API-Key"],
    "round10": ["X-Rundeck-Auth-Token", "X-N8N-API-KEY", "X-Sonar-Auth", "Mattermost-Token"],
    "round11": ["X-RapidAPI-Key", "X-CMC_PRO_API_KEY", "X-Shopify-Storefront-Access-Token", "X-Mashape-Key"],
    "round12": ["X-Parse-REST-API-Key", "X-ELS-APIKey", "X-Cassandra-Token", "X-Hasura-Admin-Secret"],
    "heldout": ["X-Parse-Master-Key", "AccessKey", "X-Tableau-Auth", "X-Api-Secret"],
}
TOOLS = {  # command-line credentials: rendered by the programs, named here
    "tuning": ["curl-u", "mysql-p", "docker-login", "git-clone"],
    "round2": ["redis-cli-a", "sshpass-p", "ldapsearch-w", "smbclient-U"],
    "round3": ["wget-http-password", "mongosh-p", "openssl-passin", "keytool-storepass"],
    "round4": ["htpasswd-b", "lftp-u", "sqlcmd-P", "rabbitmqctl-add-user"],
    "round5": ["az-login-p", "vault-login-userpass", "psql-conninfo", "mysqladmin-password"],
    "round6": ["ipmitool-P", "7z-p", "svn-password", "net-use"],
    "round7": ["sqlplus-slash", "influx-password", "mosquitto_pub-P", "mount-cifs-o"],
    "round8": ["env-PGPASSWORD", "mongodump-password-eq", "env-RSYNC_PASSWORD", "curl-oauth2-bearer"],
    "round9": ["openssl-enc-k", "env-SSHPASS", "zip-P", "unrar-p"],
    "round10": ["ncftpput-p", "xfreerdp-p", "gpg-passphrase", "rclone-ftp-pass"],
    "round11": ["curl-proxy-user", "snmpwalk-A", "kubectl-from-literal", "helm-set-password"],
    "round12": ["vsql-w", "isql-positional", "hdbsql-p", "redis-cli-pass"],
    "heldout": ["pscp-pw", "plink-pw", "nmcli-password", "ldappasswd-s"],
}
WEBHOOKS = ["stripe", "github", "slack-signing", "svix"]

labels = []


def secret(typ, v):
    labels.append(("secret", typ, v))
    return v


def harmless(kind, v):
    labels.append(("harmless", kind, v))
    return v


def uuid():
    return "-".join(s(n, HEX) for n in (8, 4, 4, 4, 12))


def case(i):
    cat = ["cli_password", "signed_url", "webhook_secret", "session_token", "saas_token",
           "header_map", "card19", "oauth_response", "secret_ref", "classic", "noise"][i % 11]
    f = {"request_id": harmless("request_id", uuid())}
    if cat == "cli_password":
        f["tool"] = r.choice(TOOLS[which])
        f["user"] = r.choice(["admin", "deploy", "svc-backup", "root", "ci"])
        f["password"] = secret("cli_password", password())
        f["host"] = r.choice(["db.internal", "10.0.3.17", "cache-0.cache", "ldap.corp.example"])
    elif cat == "signed_url":
        f["kind"] = r.choice(["azure", "aws", "gcs"])
        f["account"] = r.choice(["prodassets", "backupsweu", "mediastore"])
        if f["kind"] == "azure":
            raw = base64.b64encode(bytes(r.getrandbits(8) for _ in range(32))).decode()
            f["sig"] = secret("sas_signature", urllib.parse.quote(raw, safe=""))
            f["se"] = harmless("expiry", "2026-12-0%dT1%d:00:00Z" % (r.randint(4, 9), r.randint(0, 9)))
        elif f["kind"] == "aws":
            f["akid"] = secret("aws_access_key_id", "AKIA" + s(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"))
            f["sig"] = secret("sas_signature", s(64, HEX))
            f["date"] = harmless("amz_date", "20261203T1%d%02d%02dZ" % (r.randint(0, 9), r.randint(0, 59), r.randint(0, 59)))
        else:
            f["sig"] = secret("sas_signature", s(512, HEX))
            f["date"] = harmless("amz_date", "20261203T0%d%02d%02dZ" % (r.randint(0, 9), r.randint(0, 59), r.randint(0, 59)))
    elif cat == "webhook_secret":
        f["provider"] = r.choice(WEBHOOKS)
        f["secret"] = secret("webhook_secret", {
            "stripe": lambda: "whsec_" + s(32),
            "github": lambda: s(40, HEX),
            "slack-signing": lambda: s(32, HEX),
            "svix": lambda: "whsec_" + base64.b64encode(bytes(r.getrandbits(8) for _ in range(24))).decode(),
        }[f["provider"]]())
        f["event_id"] = harmless("event_id", "evt_" + s(24))
    elif cat == "session_token":
        f["akid"] = secret("aws_access_key_id", "ASIA" + s(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"))
        f["secret"] = secret("aws_secret_access_key", s(40, B64))
        f["token"] = secret("session_token", "IQoJb3JpZ2luX2Vj" + s(r.randint(300, 700), B64))
        f["expiration"] = harmless("expiry", "2026-12-03T1%d:%02d:00Z" % (r.randint(0, 9), r.randint(0, 59)))
    elif cat == "saas_token":
        f["provider"], gen = r.choice(SAAS[which])
        f["token"] = secret("saas_token", gen())
    elif cat == "header_map":
        f["header"] = r.choice(HEADERS[which])
        f["key"] = secret("header_api_key", r.choice([lambda: s(32), lambda: s(40, HEX), lambda: s(24, LOWER_DIGITS)])())
        f["etag"] = harmless("etag", s(32, HEX))
    elif cat == "card19":
        prefix = r.choice(["4", "6011", "62", "3530", "6759"])
        card = luhn_complete(prefix, 19)
        grouped = r.random() < 0.4
        printed = " ".join([card[0:4], card[4:8], card[8:12], card[12:16], card[16:]]) if grouped else card
        f["card"] = secret("card19", printed)
        f["order_id"] = harmless("snowflake_id", "1" + s(18, string.digits))
        f["ts_ns"] = harmless("unix_ns", "17647%s" % s(14, string.digits))
    elif cat == "oauth_response":
        f["access"] = secret("oauth_token", s(r.randint(32, 64), B64URL))
        f["expires_in"] = (str(r.choice([3599, 3600, 7199, 86400, 300])))
        f["scope"] = harmless("scope", r.choice(["read:orders write:orders", "openid profile email", "repo read:org"]))
    elif cat == "secret_ref":
        f["name"] = harmless("secret_ref", r.choice(["app", "web", "payments", "db"]) + "-" +
                             r.choice(["credentials", "tls", "api-key", "db-password", "token"]) + "-" + s(5, LOWER_DIGITS))
        f["namespace"] = r.choice(["default", "prod", "payments"])
    elif cat == "classic":
        f["password"] = secret("password", password())
        f["bearer"] = secret("authorization", "eyJhbGciOiJIUzI1NiJ9." + s(40, B64URL) + "." + s(43, B64URL))
        f["github"] = secret("github_token", "ghp_" + s(36))
    else:  # noise: look-alikes only
        f["sha256"] = harmless("sha256", s(64, HEX))
        f["git_sha"] = harmless("git_sha", s(40, HEX))
        f["trace_id"] = harmless("trace_id", s(32, HEX))
        f["pod"] = harmless("pod_name", "web-" + s(10, "bcdfghjklmnpqrstvwxz2456789") + "-" + s(5, "bcdfghjklmnpqrstvwxz2456789"))
        f["data"] = harmless("base64_data", base64.b64encode(r.choice([b"hello world", b'{"page":2}', b"user:1234:profile"])).decode())
        f["port"] = str(r.choice([8080, 2222, 3306, 5432]))
    return {"cat": cat, "i": i, "f": f}


cases = [case(i) for i in range(count)]
with open(cases_path, "w") as out:
    json.dump(cases, out)
with open(labels_path, "w") as out:
    for kind, typ, v in labels:
        out.write(f"{kind}\t{typ}\t{v}\n")
