<?php
// round7 (held out in the sixth round): a PHP service logging through Monolog (Debian's php-monolog):
// its LineFormatter, which prints context arrays as JSON after the message, and its
// JsonFormatter, as PHP services log.
require '/usr/share/php/Monolog/autoload.php';

use Monolog\Formatter\JsonFormatter;
use Monolog\Formatter\LineFormatter;
use Monolog\Handler\StreamHandler;
use Monolog\Logger;

$out = fopen('php://stdout', 'w');
$lineHandler = new StreamHandler($out, Logger::DEBUG);
$lineHandler->setFormatter(new LineFormatter(null, null, true, true));
$line = new Logger('billing', [$lineHandler]);
$jsonHandler = new StreamHandler($out, Logger::DEBUG);
$jsonHandler->setFormatter(new JsonFormatter());
$json = new Logger('billing', [$jsonHandler]);

function argv(array $f): array {
    [$u, $p, $h] = [$f['user'], $f['password'], $f['host']];
    return [
        'sqlplus-slash' => ['sqlplus', '-s', "$u/$p@$h:1521/ORCL", '@report.sql'],
        'influx-password' => ['influx', '-host', $h, '-username', $u, '-password', $p, '-execute', 'SHOW DATABASES'],
        'mosquitto_pub-P' => ['mosquitto_pub', '-h', $h, '-u', $u, '-P', $p, '-t', 'sensors/1', '-m', 'ping'],
        'mount-cifs-o' => ['mount', '-t', 'cifs', "//$h/share", '/mnt/share', '-o', "username=$u,password=$p"],
    ][$f['tool']];
}

function signedURL(array $f): string {
    if ($f['kind'] === 'azure') {
        return "https://{$f['account']}.blob.core.windows.net/exports/data.csv?" . http_build_query(['sv' => '2024-08-04', 'se' => $f['se'], 'sr' => 'b', 'sp' => 'r']) . "&sig={$f['sig']}";
    }
    if ($f['kind'] === 'aws') {
        return "https://{$f['account']}.s3.amazonaws.com/exports/data.csv?" . http_build_query(['X-Amz-Algorithm' => 'AWS4-HMAC-SHA256',
            'X-Amz-Credential' => "{$f['akid']}/20261203/us-east-2/s3/aws4_request", 'X-Amz-Date' => $f['date'], 'X-Amz-Expires' => '900',
            'X-Amz-SignedHeaders' => 'host', 'X-Amz-Signature' => $f['sig']]);
    }
    return "https://storage.googleapis.com/{$f['account']}/exports/data.csv?" . http_build_query(['X-Goog-Algorithm' => 'GOOG4-RSA-SHA256',
        'X-Goog-Date' => $f['date'], 'X-Goog-Expires' => '900', 'X-Goog-SignedHeaders' => 'host', 'X-Goog-Signature' => $f['sig']]);
}

foreach (json_decode(file_get_contents($argv[1]), true) as $c) {
    [$cat, $i, $f] = [$c['cat'], $c['i'], $c['f']];
    $odd = $i % 2 === 1;
    switch ($cat) {
        case 'cli_password':
            if ($odd) { $json->debug('exec', ['argv' => argv($f)]); } else { $line->info('running ' . implode(' ', array_map('escapeshellarg', argv($f)))); }
            break;
        case 'signed_url':
            if ($odd) { $json->info('export link', ['url' => signedURL($f), 'request_id' => $f['request_id']]); } else { $line->info('redirect to ' . signedURL($f)); }
            break;
        case 'webhook_secret':
            if ($odd) { $json->warning('signature mismatch', ['provider' => $f['provider'], 'secret' => $f['secret'], 'event' => $f['event_id']]); }
            else { $line->warning("webhook {$f['event_id']}: signature does not match secret {$f['secret']}"); }
            break;
        case 'session_token':
            $creds = ['AccessKeyId' => $f['akid'], 'SecretAccessKey' => $f['secret'], 'SessionToken' => $f['token'], 'Expiration' => $f['expiration']];
            if ($odd) { $json->debug('assumed role', ['Credentials' => $creds]); } else { $line->debug('sts', ['credentials' => $creds]); }
            break;
        case 'saas_token':
            if ($odd) { $json->info('client configured', ['provider' => $f['provider'], 'api_token' => $f['token']]); }
            else { $line->info("{$f['provider']} client using {$f['token']}"); }
            break;
        case 'header_map':
            $headers = ['Accept' => ['application/json'], $f['header'] => [$f['key']], 'X-Request-Id' => [$f['request_id']], 'If-None-Match' => [$f['etag']]];
            if ($odd) { $json->debug('request', ['method' => 'GET', 'headers' => $headers]); } else { $line->debug('outgoing request', ['headers' => $headers]); }
            break;
        case 'card19':
            if ($odd) { $json->info('charge', ['card' => $f['card'], 'order_id' => $f['order_id'], 'ts_ns' => $f['ts_ns']]); }
            else { $line->info("charging card {$f['card']} for order {$f['order_id']} at {$f['ts_ns']}"); }
            break;
        case 'oauth_response':
            $resp = ['access_token' => $f['access'], 'token_type' => 'Bearer', 'expires_in' => (int) $f['expires_in'], 'scope' => $f['scope']];
            if ($odd) { $json->debug('token', ['response' => $resp]); } else { $line->debug('token response', $resp); }
            break;
        case 'secret_ref':
            if ($odd) { $json->info('mounted', ['secretName' => $f['name'], 'namespace' => $f['namespace']]); }
            else { $line->info("mounting secret {$f['name']} in {$f['namespace']}", ['secretName' => $f['name']]); }
            break;
        case 'classic':
            $line->info('login attempt', ['user' => 'admin', 'password' => $f['password']]);
            $json->debug('upstream auth', ['Authorization' => "Bearer {$f['bearer']}", 'X-GitHub-Token' => $f['github']]);
            break;
        default:
            $json->info('deployed', ['commit' => $f['git_sha'], 'image' => "sha256:{$f['sha256']}", 'trace_id' => $f['trace_id'],
                'pod' => $f['pod'], 'payload' => $f['data'], 'port' => (int) $f['port']]);
    }
}
