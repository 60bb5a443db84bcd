<?php
// Held-out set: a PHP app logging with error_log (to stderr, as a container sees it),
// arrays by print_r, var_export and json_encode, commands by escapeshellarg, as PHP
// apps print them.
ini_set('error_log', 'php://stdout');
ini_set('date.timezone', 'UTC');

function command(array $f): array {
    [$u, $p, $h] = [$f['user'], $f['password'], $f['host']];
    return [
        'curl-u' => ['curl', '-u', "$u:$p", "https://$h/"],
        'mysql-p' => ['mysql', "-u$u", "-p$p"],
        'docker-login' => ['docker', 'login', '-u', $u, '-p', $p],
        'git-clone' => ['git', 'clone', "https://$u:$p@$h/z.git"],
        'redis-cli-a' => ['redis-cli', '-a', $p],
        'sshpass-p' => ['sshpass', '-p', $p, 'ssh', $h],
        'ldapsearch-w' => ['ldapsearch', '-w', $p],
        'smbclient-U' => ['smbclient', '-U', "$u%$p"],
        'wget-http-password' => ['wget', "--http-user=$u", "--http-password=$p", "https://$h/backup.tgz"],
        'mongosh-p' => ['mongosh', '-u', $u, '-p', $p, "mongodb://$h/orders"],
        'openssl-passin' => ['openssl', 'pkcs8', '-in', 'enc.key', '-passin', "pass:$p"],
        'keytool-storepass' => ['keytool', '-exportcert', '-keystore', 'app.p12', '-storepass', $p],
    ][$f['tool']];
}

function signed_url(array $f): string {
    if ($f['kind'] === 'azure') {
        return "https://{$f['account']}.blob.core.windows.net/invoices/inv.pdf?" . http_build_query(['sv' => '2022-11-02', 'se' => $f['se'], 'sp' => 'r', 'sr' => 'b']) . "&sig={$f['sig']}";
    }
    if ($f['kind'] === 'aws') {
        return "https://{$f['account']}.s3.amazonaws.com/invoices/inv.pdf?" . http_build_query([
            'X-Amz-Algorithm' => 'AWS4-HMAC-SHA256', 'X-Amz-Credential' => "{$f['akid']}/20261203/us-east-1/s3/aws4_request",
            'X-Amz-Date' => $f['date'], 'X-Amz-Expires' => '300', 'X-Amz-SignedHeaders' => 'host', 'X-Amz-Signature' => $f['sig']]);
    }
    return "https://storage.googleapis.com/{$f['account']}/invoices/inv.pdf?" . http_build_query([
        'X-Goog-Algorithm' => 'GOOG4-RSA-SHA256', 'X-Goog-Date' => $f['date'], 'X-Goog-Expires' => '300',
        'X-Goog-SignedHeaders' => 'host', 'X-Goog-Signature' => $f['sig']]);
}

function oneline(string $s): string { return preg_replace('/\s*\n\s*/', ' ', $s); }

foreach (json_decode(file_get_contents($argv[1]), true) as $c) {
    [$cat, $i, $f] = [$c['cat'], $c['i'], $c['f']];
    $odd = $i % 2 === 1;
    switch ($cat) {
    case 'cli_password':
        $odd ? error_log('exec: ' . implode(' ', array_map('escapeshellarg', command($f))))
             : error_log('proc_open ' . json_encode(command($f), JSON_UNESCAPED_SLASHES));
        break;
    case 'signed_url':
        $odd ? error_log('Location: ' . signed_url($f))
             : error_log(json_encode(['msg' => 'signed', 'url' => signed_url($f), 'request_id' => $f['request_id']], JSON_UNESCAPED_SLASHES));
        break;
    case 'webhook_secret':
        $odd ? error_log("Webhook {$f['event_id']} failed verification with secret {$f['secret']}")
             : error_log('webhook settings: ' . oneline(print_r(['provider' => $f['provider'], 'signing_secret' => $f['secret'], 'event' => $f['event_id']], true)));
        break;
    case 'session_token':
        $cr = ['AccessKeyId' => $f['akid'], 'SecretAccessKey' => $f['secret'], 'SessionToken' => $f['token'], 'Expiration' => $f['expiration']];
        $odd ? error_log('AssumeRole: ' . oneline(var_export($cr, true))) : error_log(json_encode(['Credentials' => $cr], JSON_UNESCAPED_SLASHES));
        break;
    case 'saas_token':
        $odd ? error_log("{$f['provider']} SDK initialised with key {$f['token']}")
             : error_log('config ' . oneline(print_r(['provider' => $f['provider'], 'api_token' => $f['token']], true)));
        break;
    case 'header_map':
        $h = ['Accept' => 'application/json', $f['header'] => $f['key'], 'X-Request-Id' => $f['request_id'], 'If-None-Match' => $f['etag']];
        $odd ? error_log('Guzzle request headers: ' . oneline(print_r($h, true)))
             : error_log('curl_setopt CURLOPT_HTTPHEADER ' . json_encode(array_map(fn($k) => "$k: {$h[$k]}", array_keys($h))));
        break;
    case 'card19':
        $odd ? error_log("payment captured pan={$f['card']} order={$f['order_id']} hrtime={$f['ts_ns']}")
             : error_log(oneline(var_export(['pan' => $f['card'], 'order' => $f['order_id'], 'ns' => $f['ts_ns']], true)));
        break;
    case 'oauth_response':
        $odd ? error_log('token: ' . json_encode(['access_token' => $f['access'], 'token_type' => 'Bearer', 'expires_in' => (int)$f['expires_in'], 'scope' => $f['scope']]))
             : error_log("token_type=Bearer expires_in={$f['expires_in']} access_token={$f['access']}");
        break;
    case 'secret_ref':
        $odd ? error_log("using secretName={$f['name']} in {$f['namespace']}") : error_log(json_encode(['secretName' => $f['name'], 'namespace' => $f['namespace']]));
        break;
    case 'classic':
        error_log("PDO connect password={$f['password']}");
        error_log(oneline(print_r(['Authorization' => "Bearer {$f['bearer']}", 'X-GitHub-Token' => $f['github']], true)));
        break;
    default:
        error_log("deploy {$f['git_sha']} sha256:{$f['sha256']} trace_id={$f['trace_id']} pod={$f['pod']} data={$f['data']} port={$f['port']}");
    }
}
