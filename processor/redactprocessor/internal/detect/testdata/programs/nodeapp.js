// Held-out set: a Node service printing with console.log/console.error, so objects come out
// through util.inspect, and JSON through JSON.stringify, as Node apps print them.
'use strict';
const fs = require('fs');

function args(f) {
  const { user: u, password: p, host: h } = f;
  return {
    'curl-u': ['curl', ['-u', `${u}:${p}`, `https://${h}/export`]],
    'mysql-p': ['mysql', ['-h', h, '-u', u, `-p${p}`]],
    'docker-login': ['docker', ['login', '--username', u, '--password', p, 'ghcr.io']],
    'git-clone': ['git', ['clone', `https://${u}:${p}@${h}/org/app.git`]],
    'redis-cli-a': ['redis-cli', ['-h', h, '-a', p, 'INFO']],
    'sshpass-p': ['sshpass', ['-p', p, 'scp', 'dump.sql', `${u}@${h}:/backups/`]],
    'ldapsearch-w': ['ldapsearch', ['-D', `uid=${u},ou=svc,dc=corp`, '-w', p, '-b', 'dc=corp']],
    'smbclient-U': ['smbclient', [`//${h}/reports`, '-U', `${u}%${p}`, '-c', 'ls']],
  }[f.tool];
}

function signedURL(f) {
  if (f.kind === 'azure') {
    const u = new URL(`https://${f.account}.blob.core.windows.net/uploads/video.mp4`);
    u.search = `sp=racw&st=2026-12-03T09:00:00Z&se=${f.se}&spr=https&sv=2022-11-02&sr=b&sig=${f.sig}`;
    return u.toString();
  }
  if (f.kind === 'aws') {
    const u = new URL(`https://${f.account}.s3.us-west-2.amazonaws.com/uploads/video.mp4`);
    for (const [k, v] of [['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'], ['X-Amz-Content-Sha256', 'UNSIGNED-PAYLOAD'],
      ['X-Amz-Credential', `${f.akid}/20261203/us-west-2/s3/aws4_request`], ['X-Amz-Date', f.date],
      ['X-Amz-Expires', '300'], ['X-Amz-Signature', f.sig], ['X-Amz-SignedHeaders', 'host'], ['x-id', 'PutObject']]) {
      u.searchParams.set(k, v);
    }
    return u.toString();
  }
  const u = new URL(`https://storage.googleapis.com/${f.account}/video.mp4`);
  u.searchParams.set('X-Goog-Algorithm', 'GOOG4-RSA-SHA256');
  u.searchParams.set('X-Goog-Date', f.date);
  u.searchParams.set('X-Goog-Expires', '900');
  u.searchParams.set('X-Goog-SignedHeaders', 'content-type;host');
  u.searchParams.set('X-Goog-Signature', f.sig);
  return u.toString();
}

for (const { cat, i, f } of JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))) {
  const now = new Date(Date.UTC(2026, 11, 3, 10, 0, 0, i)).toISOString();
  switch (cat) {
    case 'cli_password': {
      const [cmd, a] = args(f);
      if (i % 2) console.log(`${now} spawning ${cmd}`, a);
      else console.log(JSON.stringify({ time: now, level: 'debug', msg: 'exec', cmd: [cmd, ...a].join(' ') }));
      break;
    }
    case 'signed_url':
      if (i % 2) console.log(`${now} PUT ${signedURL(f)} -> 200`);
      else console.log({ msg: 'upload url issued', url: signedURL(f), requestId: f.request_id });
      break;
    case 'webhook_secret': {
      const key = { stripe: 'endpointSecret', github: 'webhookSecret', 'slack-signing': 'signingSecret', svix: 'secret' }[f.provider];
      if (i % 2) console.log('webhook config', { provider: f.provider, [key]: f.secret, lastEvent: f.event_id });
      else console.error(`${now} verify failed for ${f.event_id} (provider ${f.provider}, secret ${f.secret})`);
      break;
    }
    case 'session_token': {
      const creds = { accessKeyId: f.akid, secretAccessKey: f.secret, sessionToken: f.token, expiration: f.expiration };
      if (i % 2) console.log(JSON.stringify({ level: 20, msg: 'sts credentials', Credentials: creds }));
      else console.log('resolved credentials', creds);
      break;
    }
    case 'saas_token':
      if (i % 2) console.log(`${now} ${f.provider} client ready, token=${f.token}`);
      else console.log('client options', { provider: f.provider, auth: f.token, retries: 3 });
      break;
    case 'header_map': {
      const headers = { accept: 'application/json', [f.header.toLowerCase()]: f.key, 'x-request-id': f.request_id, 'if-none-match': f.etag };
      if (i % 2) console.log(`${now} outgoing`, { method: 'GET', path: '/v1/things', headers });
      else console.log(JSON.stringify({ level: 'debug', req: { method: 'GET', url: '/v1/things', headers } }));
      break;
    }
    case 'card19':
      if (i % 2) console.log(`${now} payment ok pan=${f.card} orderId=${f.order_id} tsNs=${f.ts_ns}`);
      else console.log('payment', { pan: f.card, orderId: f.order_id, ts: f.ts_ns });
      break;
    case 'oauth_response':
      if (i % 2) console.log('token response', { token_type: 'Bearer', expires_in: Number(f.expires_in), access_token: f.access, scope: f.scope });
      else console.log(`${now} got token token_type=Bearer expires_in=${f.expires_in} access_token=${f.access}`);
      break;
    case 'secret_ref':
      if (i % 2) console.log(`${now} volume "creds" uses secretName=${f.name} (namespace ${f.namespace})`);
      else console.log(JSON.stringify({ kind: 'Volume', secret: { secretName: f.name }, namespace: f.namespace }));
      break;
    case 'classic':
      console.log(`${now} db connect password=${f.password}`);
      console.log({ headers: { authorization: `Bearer ${f.bearer}` }, githubToken: f.github });
      break;
    default:
      console.log(`${now} build ${f.git_sha} image@sha256:${f.sha256} traceId=${f.trace_id} pod=${f.pod} payload=${f.data} -p ${f.port}`);
  }
}
