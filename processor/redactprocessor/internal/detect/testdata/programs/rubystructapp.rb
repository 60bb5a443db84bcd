# Held-out set (eleventh round): a Ruby job reporting with p and pp (Struct and Hash
# inspect), format and puts, as scripts and rake tasks print.
require "json"
require "time"
require "pp"
require "shellwords"
Creds = Struct.new(:access_key_id, :secret_access_key, :session_token, :expiration, keyword_init: true)
Client = Struct.new(:vendor, :api_key, :timeout)
def argv(f)
  u, pw, h = f["user"], f["password"], f["host"]
  case f["tool"]
  when "vsql-w" then ["vsql", "-h", h, "-U", u, "-w", pw, "-c", "SELECT 1"]
  when "isql-positional" then ["isql", "WAREHOUSE", u, pw, "-b"]
  when "hdbsql-p" then ["hdbsql", "-n", "#{h}:30015", "-u", u, "-p", pw, "SELECT 1 FROM DUMMY"]
  else ["redis-cli", "-h", h, "--user", u, "--pass", pw, "PING"]
  end
end
def signed_url(f)
  case f["kind"]
  when "azure" then "https://#{f["account"]}.blob.core.windows.net/invoices/i.pdf?sv=2024-05-04&sr=b&sp=r&se=#{f["se"]}&sig=#{f["sig"]}"
  when "aws" then "https://#{f["account"]}.s3.amazonaws.com/invoices/i.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=#{f["akid"]}%2F20261203%2Fus-east-2%2Fs3%2Faws4_request&X-Amz-Date=#{f["date"]}&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=#{f["sig"]}"
  else "https://storage.googleapis.com/#{f["account"]}/invoices/i.pdf?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=#{f["date"]}&X-Goog-Expires=60&X-Goog-SignedHeaders=host&X-Goog-Signature=#{f["sig"]}"
  end
end
JSON.parse(File.read(ARGV[0])).each do |c|
  cat, odd, f = c["cat"], c["i"].odd?, c["f"]
  case cat
  when "cli_password" then odd ? puts("system(#{argv(f).shelljoin})") : p(argv(f))
  when "signed_url" then odd ? puts(format("%s invoice %s", Time.at(1764756000).utc.iso8601, signed_url(f))) : pp({ url: signed_url(f), request_id: f["request_id"] })
  when "webhook_secret" then odd ? puts("webhook #{f["event_id"]} bad signature, expected HMAC with #{f["secret"].inspect}") : p(provider: f["provider"], signing_secret: f["secret"])
  when "session_token"
    creds = Creds.new(access_key_id: f["akid"], secret_access_key: f["secret"], session_token: f["token"], expiration: f["expiration"])
    odd ? p(creds) : puts("assumed: #{creds.to_h}")
  when "saas_token" then odd ? p(Client.new(f["provider"], f["token"], 5)) : puts(format("%-12s %s", f["provider"], f["token"]))
  when "header_map"
    h = { "Accept" => "application/json", f["header"] => f["key"], "X-Request-Id" => f["request_id"], "If-None-Match" => f["etag"] }
    odd ? pp(h) : puts(h.map { |k, v| "#{k}: #{v}" }.join("\n"))
  when "card19" then puts format("charge pan=%s order=%s ts=%s", f["card"], f["order_id"], f["ts_ns"])
  when "oauth_response"
    resp = { access_token: f["access"], token_type: "Bearer", expires_in: f["expires_in"].to_i, scope: f["scope"] }
    odd ? p(resp) : puts(resp.to_json)
  when "secret_ref" then puts "mount secretName=#{f["name"]} namespace=#{f["namespace"]}"
  when "classic"
    puts "db connect user=shop password=#{f["password"].inspect}"
    p({ "Authorization" => "Bearer #{f["bearer"]}", "X-GitHub-Token" => f["github"] })
  else puts "release #{f["git_sha"]} image=sha256:#{f["sha256"]} trace=#{f["trace_id"]} pod=#{f["pod"]} payload=#{f["data"]} port=#{f["port"]}"
  end
end
