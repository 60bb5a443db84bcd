# Held-out set: a Ruby service logging through Logger, with hashes by #inspect and
# commands by Shellwords, as Ruby apps print them.
require 'json'
require 'logger'
require 'shellwords'
require 'uri'

log = Logger.new($stdout)
log.formatter = proc { |sev, time, prog, msg| "#{sev[0]}, [#{time.utc.strftime('%Y-%m-%dT%H:%M:%S.%6N')} ##{Process.pid}] #{sev.rjust(5)} -- worker: #{msg}\n" }

def command(f)
  u, p, h = f['user'], f['password'], f['host']
  {
    'curl-u' => ['curl', '--user', "#{u}:#{p}", "https://#{h}/data"],
    'mysql-p' => ['mysql', "--host=#{h}", "--user=#{u}", "-p#{p}"],
    'docker-login' => ['docker', 'login', '-u', u, '-p', p],
    'git-clone' => ['git', 'clone', "https://#{u}:#{p}@#{h}/ops/infra.git"],
    'redis-cli-a' => ['redis-cli', '-a', p, '-h', h, 'DBSIZE'],
    'sshpass-p' => ['sshpass', '-p', p, 'rsync', '-a', 'out/', "#{u}@#{h}:/srv/"],
    'ldapsearch-w' => ['ldapsearch', '-H', "ldaps://#{h}", '-D', "cn=#{u}", '-w', p],
    'smbclient-U' => ['smbclient', "//#{h}/finance", '-U', "#{u}%#{p}"],
  }[f['tool']]
end

JSON.parse(File.read(ARGV[0])).each do |c|
  f, i = c['f'], c['i']
  case c['cat']
  when 'cli_password'
    i.odd? ? log.info("exec: #{Shellwords.join(command(f))}") : log.debug("argv=#{command(f).inspect}")
  when 'signed_url'
    url = case f['kind']
          when 'azure' then "https://#{f['account']}.blob.core.windows.net/logs/app.log?sv=2022-11-02&sr=b&sig=#{f['sig']}&se=#{f['se']}&sp=r"
          when 'aws' then "https://#{f['account']}.s3.amazonaws.com/logs/app.log?" + URI.encode_www_form(
            'X-Amz-Algorithm' => 'AWS4-HMAC-SHA256', 'X-Amz-Credential' => "#{f['akid']}/20261203/us-east-1/s3/aws4_request",
            'X-Amz-Date' => f['date'], 'X-Amz-Expires' => '600', 'X-Amz-SignedHeaders' => 'host', 'X-Amz-Signature' => f['sig'])
          else "https://storage.googleapis.com/#{f['account']}/app.log?" + URI.encode_www_form(
            'X-Goog-Algorithm' => 'GOOG4-RSA-SHA256', 'X-Goog-Date' => f['date'], 'X-Goog-Expires' => '600',
            'X-Goog-SignedHeaders' => 'host', 'X-Goog-Signature' => f['sig'])
          end
    i.odd? ? log.info("Redirecting to #{url}") : log.info({ event: 'signed', url: url, request_id: f['request_id'] }.to_json)
  when 'webhook_secret'
    i.odd? ? log.debug({ provider: f['provider'], signing_secret: f['secret'], event: f['event_id'] }.inspect) :
             log.warn("webhook #{f['event_id']} rejected; expected signature with #{f['secret']}")
  when 'session_token'
    creds = { 'access_key_id' => f['akid'], 'secret_access_key' => f['secret'], 'session_token' => f['token'], 'expiration' => f['expiration'] }
    i.odd? ? log.debug("assumed role: #{creds.inspect}") : log.debug(JSON.generate('Credentials' => creds))
  when 'saas_token'
    i.odd? ? log.info("#{f['provider']} configured (#{f['token']})") : log.debug({ provider: f['provider'], api_token: f['token'] }.inspect)
  when 'header_map'
    h = { 'Accept' => 'application/json', f['header'] => f['key'], 'X-Request-Id' => f['request_id'], 'If-None-Match' => f['etag'] }
    i.odd? ? log.debug("request headers: #{h.inspect}") : log.debug("Started GET \"/items\" headers=#{h.to_json}")
  when 'card19'
    i.odd? ? log.info("Charged card #{f['card']} for order #{f['order_id']} ts=#{f['ts_ns']}") :
             log.info({ card_number: f['card'], order: f['order_id'], ts: f['ts_ns'] }.inspect)
  when 'oauth_response'
    body = { 'access_token' => f['access'], 'token_type' => 'Bearer', 'expires_in' => f['expires_in'].to_i, 'scope' => f['scope'] }
    i.odd? ? log.debug("token: #{body.inspect}") : log.debug("token_type=Bearer expires_in=#{f['expires_in']} access_token=#{f['access']}")
  when 'secret_ref'
    i.odd? ? log.info("secretName=#{f['name']} namespace=#{f['namespace']} synced") :
             log.info({ secretName: f['name'], namespace: f['namespace'] }.to_json)
  when 'classic'
    log.info("login user=admin password=#{f['password']}")
    log.debug({ 'Authorization' => "Bearer #{f['bearer']}", 'token' => f['github'] }.inspect)
  else
    log.info("release #{f['git_sha']} digest=sha256:#{f['sha256']} trace=#{f['trace_id']} host=#{f['pod']} body=#{f['data']} port #{f['port']}")
  end
end
