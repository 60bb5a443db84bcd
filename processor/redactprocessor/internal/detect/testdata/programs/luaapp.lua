-- Held-out set (tenth round): a Lua service (as OpenResty and game servers are) reporting
-- with print and string.format (%s, %q), and lua-cjson for JSON bodies. Reads the cases as
-- tab-separated lines from stdin (category, index, then key=value fields). Debian's lua-cjson
-- escapes / in JSON strings as \/.
local cjson = require("cjson")

local function log(level, fmt, ...)
  print(os.date("!%Y/%m/%d %H:%M:%S") .. " [" .. level .. "] " .. string.format(fmt, ...))
end

local function argv(f)
  local u, p, h = f.user, f.password, f.host
  local cmds = {
    ["curl-proxy-user"] = { "curl", "-sS", "--proxy", "http://proxy.corp:3128", "--proxy-user", u .. ":" .. p, "https://" .. h .. "/health" },
    ["snmpwalk-A"] = { "snmpwalk", "-v3", "-l", "authPriv", "-u", u, "-a", "SHA", "-A", p, "-x", "AES", "-X", p, h, "system" },
    ["kubectl-from-literal"] = { "kubectl", "create", "secret", "generic", "db", "--from-literal=username=" .. u, "--from-literal=password=" .. p },
    ["helm-set-password"] = { "helm", "upgrade", "--install", "db", "bitnami/postgresql", "--set", "auth.username=" .. u, "--set", "auth.password=" .. p },
  }
  return cmds[f.tool]
end

local function url(f)
  if f.kind == "azure" then
    return "https://" .. f.account .. ".blob.core.windows.net/avatars/u.png?sv=2024-05-04&sr=b&sp=r&se=" .. f.se .. "&sig=" .. f.sig
  elseif f.kind == "aws" then
    return "https://" .. f.account .. ".s3.amazonaws.com/avatars/u.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" .. f.akid ..
      "%2F20261203%2Fsa-east-1%2Fs3%2Faws4_request&X-Amz-Date=" .. f.date .. "&X-Amz-Expires=30&X-Amz-SignedHeaders=host&X-Amz-Signature=" .. f.sig
  end
  return "https://storage.googleapis.com/" .. f.account .. "/avatars/u.png?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=" .. f.date ..
    "&X-Goog-Expires=30&X-Goog-SignedHeaders=host&X-Goog-Signature=" .. f.sig
end

for line in io.lines() do
  local fields = {}
  for part in line:gmatch("[^\t]+") do fields[#fields + 1] = part end
  local cat, odd, f = fields[1], tonumber(fields[2]) % 2 == 1, {}
  for k = 3, #fields do
    local key, v = fields[k]:match("^([^=]+)=(.*)$")
    f[key] = v
  end
  if cat == "cli_password" then
    if odd then log("info", "exec: %s", table.concat(argv(f), " ")) else log("debug", "os.execute(%q)", table.concat(argv(f), " ")) end
  elseif cat == "signed_url" then
    if odd then log("info", "avatar at %s", url(f)) else print(cjson.encode({ url = url(f), request_id = f.request_id })) end
  elseif cat == "webhook_secret" then
    if odd then log("warn", "webhook %s: signature mismatch with secret %s", f.event_id, f.secret)
    else log("debug", "webhook config provider=%s signing_secret=%q", f.provider, f.secret) end
  elseif cat == "session_token" then
    if odd then print(cjson.encode({ Credentials = { AccessKeyId = f.akid, SecretAccessKey = f.secret, SessionToken = f.token, Expiration = f.expiration } }))
    else log("debug", "sts: access_key_id=%s secret_access_key=%s session_token=%s expiration=%s", f.akid, f.secret, f.token, f.expiration) end
  elseif cat == "saas_token" then
    if odd then log("info", "%s: authenticated as %s", f.provider, f.token) else log("info", "client{vendor=%q, key=%q}", f.provider, f.token) end
  elseif cat == "header_map" then
    local h = { ["Accept"] = "application/json", [f.header] = f.key, ["X-Request-Id"] = f.request_id, ["If-None-Match"] = f.etag }
    if odd then print(cjson.encode({ headers = h })) else
      local parts = {}
      for k, v in pairs(h) do parts[#parts + 1] = string.format("%s: %s", k, v) end
      table.sort(parts)
      log("debug", "request headers: %s", table.concat(parts, "; "))
    end
  elseif cat == "card19" then
    log("info", "pan %s order %s at %s", f.card, f.order_id, f.ts_ns)
  elseif cat == "oauth_response" then
    if odd then print(cjson.encode({ access_token = f.access, token_type = "Bearer", expires_in = tonumber(f.expires_in), scope = f.scope }))
    else log("debug", "oauth: got %s (Bearer, %s s)", f.access, f.expires_in) end
  elseif cat == "secret_ref" then
    log("info", "secretName=%s namespace=%s", f.name, f.namespace)
  elseif cat == "classic" then
    log("info", "redis auth password=%s", f.password)
    log("debug", "upstream headers Authorization: Bearer %s, X-GitHub-Token: %s", f.bearer, f.github)
  else
    log("info", "release %s image=sha256:%s trace=%s pod=%s body=%s port=%s", f.git_sha, f.sha256, f.trace_id, f.pod, f.data, f.port)
  end
end
