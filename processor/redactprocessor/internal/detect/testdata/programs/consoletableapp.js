// Held-out set (twelfth round): a Node script reporting with console.table (box-drawn
// tables, one row per entry) and console.dir of nested objects, as CLIs and scripts print.
const fs = require("fs");
const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const argv = (f) => ({
  "pscp-pw": ["pscp", "-batch", "-pw", f.password, `${f.user}@${f.host}:/var/backups/db.tar.gz`, "/srv/in/"],
  "plink-pw": ["plink", "-batch", "-ssh", "-pw", f.password, `${f.user}@${f.host}`, "systemctl restart app"],
  "nmcli-password": ["nmcli", "device", "wifi", "connect", "corp-ops", "password", f.password],
  "ldappasswd-s": ["ldappasswd", "-x", "-D", `cn=${f.user},dc=corp`, "-W", "-s", f.password, "uid=jdoe,ou=people,dc=corp"],
})[f.tool];
const url = (f) => f.kind === "azure"
  ? `https://${f.account}.blob.core.windows.net/exports/e.zip?sv=2024-05-04&sr=b&sp=r&se=${f.se}&sig=${f.sig}`
  : f.kind === "aws"
    ? `https://${f.account}.s3.amazonaws.com/exports/e.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${f.akid}%2F20261203%2Feu-north-1%2Fs3%2Faws4_request&X-Amz-Date=${f.date}&X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-Signature=${f.sig}`
    : `https://storage.googleapis.com/${f.account}/exports/e.zip?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=${f.date}&X-Goog-Expires=600&X-Goog-SignedHeaders=host&X-Goog-Signature=${f.sig}`;
const dir = (o) => console.dir(o, { depth: null, breakLength: Infinity, maxStringLength: null });
for (const { cat, i, f } of cases) {
  const odd = i % 2 === 1;
  switch (cat) {
    case "cli_password":
      odd ? console.table(argv(f).map((arg, n) => ({ n, arg }))) : console.log(`spawned ${argv(f).join(" ")}`);
      break;
    case "signed_url":
      odd ? console.table([{ export: "e.zip", url: url(f) }]) : dir({ url: url(f), requestId: f.request_id });
      break;
    case "webhook_secret":
      odd ? console.table([{ provider: f.provider, secret: f.secret }]) : console.warn(`webhook ${f.event_id}: bad signature for secret ${f.secret}`);
      break;
    case "session_token":
      odd ? console.table({ AccessKeyId: f.akid, SecretAccessKey: f.secret, SessionToken: f.token, Expiration: f.expiration })
        : dir({ Credentials: { AccessKeyId: f.akid, SecretAccessKey: f.secret, SessionToken: f.token, Expiration: f.expiration } });
      break;
    case "saas_token":
      odd ? console.table([{ vendor: f.provider, token: f.token }]) : console.log(`${f.provider} token ${f.token}`);
      break;
    case "header_map": {
      const h = { Accept: "application/json", [f.header]: f.key, "X-Request-Id": f.request_id, "If-None-Match": f.etag };
      odd ? console.table(h) : dir({ headers: h });
      break;
    }
    case "card19":
      console.table([{ pan: f.card, order: f.order_id, ts: f.ts_ns }]);
      break;
    case "oauth_response": {
      const r = { access_token: f.access, token_type: "Bearer", expires_in: Number(f.expires_in), scope: f.scope };
      odd ? console.table(r) : dir(r);
      break;
    }
    case "secret_ref":
      console.table([{ secretName: f.name, namespace: f.namespace }]);
      break;
    case "classic":
      console.table({ user: "app", password: f.password });
      dir({ Authorization: `Bearer ${f.bearer}`, "X-GitHub-Token": f.github });
      break;
    default:
      console.table([{ commit: f.git_sha, image: `sha256:${f.sha256}`, trace: f.trace_id, pod: f.pod, payload: f.data, port: f.port }]);
  }
}
