// round4 (held out in the third round): a Node service logging through pino (JSON, with objects as fields) and
// winston (its simple and JSON formats), as Node services log. NODE_PATH holds both.
'use strict';
const fs = require('fs');
const pino = require('pino')(pino_dest());
const winston = require('winston');
function pino_dest() { return require('pino').destination({ dest: 1, sync: true }); }
const simple = winston.createLogger({ level: 'debug', format: winston.format.simple(), transports: [new winston.transports.Console()] });
pino.level = 'debug';

function argv(f) {
  const { user: u, password: p, host: h } = f;
  return {
    'htpasswd-b': ['htpasswd', '-b', '/etc/nginx/.htpasswd', u, p],
    'lftp-u': ['lftp', '-u', `${u},${p}`, `sftp://${h}`],
    'sqlcmd-P': ['sqlcmd', '-S', h, '-U', u, '-P', p, '-Q', 'SELECT 1'],
    'rabbitmqctl-add-user': ['rabbitmqctl', 'add_user', u, p],
  }[f.tool] || ['curl', '-u', `${u}:${p}`, h];
}

function signedURL(f) {
  if (f.kind === 'azure') return `https://${f.account}.blob.core.windows.net/media/clip.mp4?sv=2022-11-02&sr=b&sp=r&se=${f.se}&sig=${f.sig}`;
  if (f.kind === 'aws') return `https://${f.account}.s3.amazonaws.com/media/clip.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${f.akid}%2F20261203%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=${f.date}&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=${f.sig}`;
  return `https://storage.googleapis.com/${f.account}/media/clip.mp4?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=${f.date}&X-Goog-Expires=60&X-Goog-SignedHeaders=host&X-Goog-Signature=${f.sig}`;
}

for (const { cat, i, f } of JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))) {
  const odd = i % 2 === 1;
  switch (cat) {
    case 'cli_password':
      if (odd) pino.debug({ argv: argv(f) }, 'spawn'); else simple.info(`running ${argv(f).join(' ')}`);
      break;
    case 'signed_url':
      if (odd) pino.info({ url: signedURL(f), requestId: f.request_id }, 'signed'); else simple.info(`redirect ${signedURL(f)}`);
      break;
    case 'webhook_secret':
      if (odd) pino.warn({ provider: f.provider, webhookSecret: f.secret, event: f.event_id }, 'verification failed');
      else simple.warn(`webhook ${f.event_id} failed, secret ${f.secret}`);
      break;
    case 'session_token':
      if (odd) pino.debug({ credentials: { AccessKeyId: f.akid, SecretAccessKey: f.secret, SessionToken: f.token, Expiration: f.expiration } }, 'sts');
      else simple.debug('sts credentials', { accessKeyId: f.akid, secretAccessKey: f.secret, sessionToken: f.token });
      break;
    case 'saas_token':
      if (odd) pino.info({ provider: f.provider, token: f.token }, 'client configured'); else simple.info(`${f.provider} client uses ${f.token}`);
      break;
    case 'header_map': {
      const headers = { accept: 'application/json', [f.header]: f.key, 'x-request-id': f.request_id, 'if-none-match': f.etag };
      if (odd) pino.debug({ req: { method: 'GET', url: '/v2/matches', headers } }, 'request'); else simple.debug('outgoing request', { headers });
      break;
    }
    case 'card19':
      if (odd) pino.info({ pan: f.card, orderId: f.order_id, tsNs: f.ts_ns }, 'payment'); else simple.info(`payment for order ${f.order_id} with card ${f.card} at ${f.ts_ns}`);
      break;
    case 'oauth_response':
      if (odd) pino.debug({ token: { access_token: f.access, token_type: 'Bearer', expires_in: Number(f.expires_in), scope: f.scope } }, 'token');
      else simple.debug(`token_type=Bearer expires_in=${f.expires_in} access_token=${f.access}`);
      break;
    case 'secret_ref':
      if (odd) pino.info({ secretName: f.name, namespace: f.namespace }, 'mounted'); else simple.info(`secretName=${f.name} namespace=${f.namespace}`);
      break;
    case 'classic':
      pino.info({ password: f.password }, 'login');
      simple.debug('headers', { authorization: `Bearer ${f.bearer}`, 'x-github-token': f.github });
      break;
    default:
      pino.info({ build: f.git_sha, image: `sha256:${f.sha256}`, traceId: f.trace_id, pod: f.pod, payload: f.data, port: Number(f.port) }, 'deployed');
  }
}
