<?php
// Held-out set (eleventh round): a PHP app debugging with var_dump (each value on the line
// after its key, with its type and length) and sprintf, as PHP code is often debugged in
// production.
function argv(array $f): array {
    [$u, $p, $h] = [$f['user'], $f['password'], $f['host']];
    return match ($f['tool']) {
        'vsql-w' => ['vsql', '-h', $h, '-U', $u, '-w', $p, '-c', 'SELECT 1'],
        'isql-positional' => ['isql', 'WAREHOUSE', $u, $p, '-b'],
        'hdbsql-p' => ['hdbsql', '-n', "$h:30015", '-u', $u, '-p', $p, 'SELECT 1 FROM DUMMY'],
        default => ['redis-cli', '-h', $h, '--user', $u, '--pass', $p, 'PING'],
    };
}
function signed_url(array $f): string {
    return match ($f['kind']) {
        'azure' => "https://{$f['account']}.blob.core.windows.net/invoices/i.pdf?sv=2024-05-04&sr=b&sp=r&se={$f['se']}&sig={$f['sig']}",
        'aws' => "https://{$f['account']}.s3.amazonaws.com/invoices/i.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={$f['akid']}%2F20261203%2Fus-east-2%2Fs3%2Faws4_request&X-Amz-Date={$f['date']}&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature={$f['sig']}",
        default => "https://storage.googleapis.com/{$f['account']}/invoices/i.pdf?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date={$f['date']}&X-Goog-Expires=60&X-Goog-SignedHeaders=host&X-Goog-Signature={$f['sig']}",
    };
}
foreach (json_decode(file_get_contents($argv[1]), true) as $c) {
    [$cat, $odd, $f] = [$c['cat'], $c['i'] % 2 == 1, $c['f']];
    switch ($cat) {
        case 'cli_password':
            if ($odd) { printf("exec: %s\n", implode(' ', argv($f))); } else { var_dump(argv($f)); }
            break;
        case 'signed_url':
            if ($odd) { printf("[%s] invoice url %s\n", date('c', 1764756000), signed_url($f)); } else { var_dump(['url' => signed_url($f), 'request_id' => $f['request_id']]); }
            break;
        case 'webhook_secret':
            if ($odd) { printf("webhook %s: signature mismatch (secret %s)\n", $f['event_id'], $f['secret']); } else { var_dump(['provider' => $f['provider'], 'signing_secret' => $f['secret']]); }
            break;
        case 'session_token':
            $creds = ['AccessKeyId' => $f['akid'], 'SecretAccessKey' => $f['secret'], 'SessionToken' => $f['token'], 'Expiration' => $f['expiration']];
            if ($odd) { var_dump($creds); } else { printf("assumed role: %s\n", implode(', ', array_map(fn($k, $v) => "$k=$v", array_keys($creds), $creds))); }
            break;
        case 'saas_token':
            $client = new stdClass(); $client->vendor = $f['provider']; $client->apiKey = $f['token']; $client->timeout = 5;
            if ($odd) { var_dump($client); } else { printf("%s ready (key %s)\n", $f['provider'], $f['token']); }
            break;
        case 'header_map':
            $h = ['Accept' => 'application/json', $f['header'] => $f['key'], 'X-Request-Id' => $f['request_id'], 'If-None-Match' => $f['etag']];
            if ($odd) { var_dump($h); } else { printf("headers: %s\n", implode("\r\n", array_map(fn($k, $v) => "$k: $v", array_keys($h), $h))); }
            break;
        case 'card19':
            printf("charge pan=%s order=%s ts=%s\n", $f['card'], $f['order_id'], $f['ts_ns']);
            break;
        case 'oauth_response':
            $resp = ['access_token' => $f['access'], 'token_type' => 'Bearer', 'expires_in' => (int) $f['expires_in'], 'scope' => $f['scope']];
            if ($odd) { var_dump($resp); } else { printf("oauth response: %s\n", http_build_query($resp)); }
            break;
        case 'secret_ref':
            printf("mount secretName=%s namespace=%s\n", $f['name'], $f['namespace']);
            break;
        case 'classic':
            printf("pdo connect user=shop password=%s\n", $f['password']);
            var_dump(['Authorization' => 'Bearer ' . $f['bearer'], 'X-GitHub-Token' => $f['github']]);
            break;
        default:
            printf("release %s image=sha256:%s trace=%s pod=%s payload=%s port=%s\n", $f['git_sha'], $f['sha256'], $f['trace_id'], $f['pod'], $f['data'], $f['port']);
    }
}
