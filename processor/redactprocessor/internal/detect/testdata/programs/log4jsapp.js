// round8 (held out in the seventh round): a Node service logging through log4js (its basic layout,
// objects formatted by util.format) as Node services log. NODE_PATH holds log4js.
'use strict';
const fs = require('fs');
const log4js = require('log4js');
log4js.configure({ appenders: { out: { type: 'stdout', layout: { type: 'basic' } } }, categories: { default: { appenders: ['out'], level: 'debug' } } });
const log = log4js.getLogger('billing');

function command(f) {
  const { user: u, password: p, host: h } = f;
  return {
    'env-PGPASSWORD': `PGPASSWORD='${p}' pg_restore -h ${h} -U ${u} -d app /backup/app.dump`,
    'mongodump-password-eq': `mongodump --host ${h} --username ${u} --password='${p}' --out /backup`,
    'env-RSYNC_PASSWORD': `RSYNC_PASSWORD='${p}' rsync -av rsync://${u}@${h}/backup /srv/restore`,
    'curl-oauth2-bearer': `curl -sS --oauth2-bearer '${p}' https://${h}/api/v2/export`,
  }[f.tool];
}

function signedURL(f) {
  if (f.kind === 'azure') return `https://${f.account}.blob.core.windows.net/backups/db.tar?sv=2024-08-04&se=${f.se}&sr=b&sp=r&sig=${f.sig}`;
  if (f.kind === 'aws') return `https://${f.account}.s3.ap-northeast-1.amazonaws.com/backups/db.tar?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${f.akid}%2F20261203%2Fap-northeast-1%2Fs3%2Faws4_request&X-Amz-Date=${f.date}&X-Amz-Expires=120&X-Amz-SignedHeaders=host&X-Amz-Signature=${f.sig}`;
  return `https://storage.googleapis.com/${f.account}/backups/db.tar?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=${f.date}&X-Goog-Expires=120&X-Goog-SignedHeaders=host&X-Goog-Signature=${f.sig}`;
}

for (const { cat, i, f } of JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))) {
  const odd = i % 2 === 1;
  switch (cat) {
    case 'cli_password': log.debug(odd ? 'child: %s' : 'executing %o', command(f)); break;
    case 'signed_url': log.info('backup link %s', signedURL(f)); break;
    case 'webhook_secret': log.warn('webhook %s rejected: %j', f.event_id, { provider: f.provider, secret: f.secret }); break;
    case 'session_token':
      log.debug('assumed role %j', { AccessKeyId: f.akid, SecretAccessKey: f.secret, SessionToken: f.token, Expiration: f.expiration });
      break;
    case 'saas_token': log.info(odd ? '%s client ready with key %s' : '%s: %o', f.provider, odd ? f.token : { token: f.token }); break;
    case 'header_map':
      log.debug('request headers %j', { accept: 'application/json', [f.header]: f.key, 'x-request-id': f.request_id, 'if-none-match': f.etag });
      break;
    case 'card19': log.info('charging card %s for order %s at %s', f.card, f.order_id, f.ts_ns); break;
    case 'oauth_response':
      log.debug('token %j', { access_token: f.access, token_type: 'Bearer', expires_in: Number(f.expires_in), scope: f.scope });
      break;
    case 'secret_ref': log.info('mounting %j', { secretName: f.name, namespace: f.namespace }); break;
    case 'classic':
      log.info('login %j', { user: 'admin', password: f.password });
      log.debug('forwarding %o', { Authorization: `Bearer ${f.bearer}`, 'X-GitHub-Token': f.github });
      break;
    default:
      log.info('deployed %j', { commit: f.git_sha, image: `sha256:${f.sha256}`, traceId: f.trace_id, pod: f.pod, payload: f.data, port: Number(f.port) });
  }
}
