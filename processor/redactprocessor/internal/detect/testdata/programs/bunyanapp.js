// round6 (held out in the fifth round): a Node service logging through bunyan (JSON records, objects
// as fields, errors by their serializer) and console.log of objects by util.inspect, as Node
// services log. NODE_PATH holds bunyan.
'use strict';
const fs = require('fs');
const bunyan = require('bunyan');
const log = bunyan.createLogger({ name: 'billing', level: 'debug', streams: [{ stream: process.stdout }] });

function argv(f) {
  const { user: u, password: p, host: h } = f;
  return {
    'ipmitool-P': ['ipmitool', '-I', 'lanplus', '-H', h, '-U', u, '-P', p, 'chassis', 'status'],
    '7z-p': ['7z', 'a', `-p${p}`, '-mhe=on', '/backup/2026-12-03.7z', '/srv/data'],
    'svn-password': ['svn', 'checkout', '--username', u, '--password', p, `https://${h}/svn/app/trunk`],
    'net-use': ['net', 'use', `\\\\${h}\\share`, p, `/user:${u}`],
  }[f.tool];
}

function signedURL(f) {
  if (f.kind === 'azure') return `https://${f.account}.blob.core.windows.net/uploads/photo.jpg?sv=2024-05-04&se=${f.se}&sr=b&sp=rw&sig=${f.sig}`;
  if (f.kind === 'aws') return `https://${f.account}.s3.eu-central-1.amazonaws.com/uploads/photo.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${f.akid}%2F20261203%2Feu-central-1%2Fs3%2Faws4_request&X-Amz-Date=${f.date}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=${f.sig}`;
  return `https://storage.googleapis.com/${f.account}/uploads/photo.jpg?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=${f.date}&X-Goog-Expires=3600&X-Goog-SignedHeaders=host&X-Goog-Signature=${f.sig}`;
}

for (const { cat, i, f } of JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))) {
  const odd = i % 2 === 1;
  switch (cat) {
    case 'cli_password':
      if (odd) log.debug({ cmd: argv(f) }, 'child process'); else console.log('spawn', argv(f));
      break;
    case 'signed_url':
      if (odd) log.info({ url: signedURL(f) }, 'upload url issued'); else console.log(`redirect -> ${signedURL(f)}`);
      break;
    case 'webhook_secret':
      if (odd) log.warn({ provider: f.provider, secret: f.secret, eventId: f.event_id }, 'bad signature');
      else console.log('webhook config', { provider: f.provider, signingSecret: f.secret });
      break;
    case 'session_token':
      if (odd) log.debug({ Credentials: { AccessKeyId: f.akid, SecretAccessKey: f.secret, SessionToken: f.token, Expiration: f.expiration } }, 'sts');
      else console.log('credentials', { accessKeyId: f.akid, secretAccessKey: f.secret, sessionToken: f.token });
      break;
    case 'saas_token':
      if (odd) log.info({ provider: f.provider, apiKey: f.token }, 'client ready'); else console.log(`${f.provider} token: ${f.token}`);
      break;
    case 'header_map': {
      const headers = { accept: 'application/json', [f.header]: f.key, 'x-request-id': f.request_id, 'if-none-match': f.etag };
      if (odd) log.debug({ req: { method: 'GET', url: '/v1/agent/self', headers } }, 'request'); else console.log('request headers', headers);
      break;
    }
    case 'card19':
      if (odd) log.info({ card: f.card, order: f.order_id, tsNs: f.ts_ns }, 'charge'); else console.log(`charge ${f.card} order=${f.order_id} ts=${f.ts_ns}`);
      break;
    case 'oauth_response':
      if (odd) log.debug({ body: { access_token: f.access, token_type: 'Bearer', expires_in: Number(f.expires_in), scope: f.scope } }, 'token');
      else console.log('token response', { access_token: f.access, token_type: 'Bearer', expires_in: Number(f.expires_in) });
      break;
    case 'secret_ref':
      if (odd) log.info({ secretName: f.name, namespace: f.namespace }, 'mounted'); else console.log('mounting secret', { secretName: f.name, namespace: f.namespace });
      break;
    case 'classic':
      log.info({ password: f.password }, 'login attempt');
      console.log('auth headers', { Authorization: `Bearer ${f.bearer}`, 'X-GitHub-Token': f.github });
      break;
    default:
      log.info({ build: f.git_sha, image: `sha256:${f.sha256}`, traceId: f.trace_id, pod: f.pod, payload: f.data, port: Number(f.port) }, 'deployed');
  }
}
