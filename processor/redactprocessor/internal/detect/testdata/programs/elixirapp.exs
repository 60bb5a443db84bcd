# Held-out set (ninth round): an Elixir service logging through Logger's console backend with
# metadata, and printing terms with IO.inspect: maps (%{"k" => v}), keyword lists and
# structs, as BEAM apps print them. Reads the cases as tab-separated lines from stdin
# (category, index, then key=value fields): Elixir 1.14 has no JSON module.
require Logger

# synchronous, so that no message is dropped under load and lines keep their order with IO.inspect
Logger.configure(sync_threshold: 0, discard_threshold: 1_000_000)

Logger.configure_backend(:console,
  format: "$date $time [$level] $metadata$message\n",
  metadata: [:request_id]
)

defmodule Creds do
  defstruct [:access_key_id, :secret_access_key, :session_token, :expiration]
end

defmodule Client do
  defstruct [:provider, :api_key, pool_size: 10]
end

defmodule App do
  def argv(f) do
    {u, p, h} = {f["user"], f["password"], f["host"]}

    case f["tool"] do
      "ncftpput-p" -> ["ncftpput", "-u", u, "-p", p, h, "/incoming", "/var/backups/db.tar.gz"]
      "xfreerdp-p" -> ["xfreerdp", "/v:" <> h, "/u:" <> u, "/p:" <> p, "/cert:ignore"]
      "gpg-passphrase" -> ["gpg", "--batch", "--yes", "--passphrase", p, "--decrypt", "/secrets/env.gpg"]
      _ -> ["rclone", "copy", "/srv/exports", ":ftp:exports", "--ftp-host", h, "--ftp-user", u, "--ftp-pass", p]
    end
  end

  def url(f) do
    case f["kind"] do
      "azure" ->
        "https://#{f["account"]}.blob.core.windows.net/backups/db.dump?sv=2023-01-03&sr=b&sp=r&se=#{f["se"]}&sig=#{f["sig"]}"

      "aws" ->
        "https://#{f["account"]}.s3.amazonaws.com/backups/db.dump?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=#{f["akid"]}%2F20261203%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=#{f["date"]}&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=#{f["sig"]}"

      _ ->
        "https://storage.googleapis.com/#{f["account"]}/backups/db.dump?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=#{f["date"]}&X-Goog-Expires=300&X-Goog-SignedHeaders=host&X-Goog-Signature=#{f["sig"]}"
    end
  end

  def report(cat, odd, f) do
    case cat do
      "cli_password" ->
        if odd,
          do: Logger.debug("System.cmd #{inspect(hd(argv(f)))} #{inspect(tl(argv(f)))}"),
          else: Logger.info("running " <> Enum.join(argv(f), " "))

      "signed_url" ->
        if odd,
          do: Logger.info("backup uploaded: #{url(f)}"),
          else: IO.inspect(%{"url" => url(f), "request_id" => f["request_id"]}, label: "presigned", limit: :infinity, printable_limit: :infinity)

      "webhook_secret" ->
        if odd,
          do: Logger.warning("webhook #{f["event_id"]} rejected, secret=#{f["secret"]}"),
          else: IO.inspect([provider: f["provider"], signing_secret: f["secret"]], label: "webhook config", printable_limit: :infinity)

      "session_token" ->
        creds = %Creds{access_key_id: f["akid"], secret_access_key: f["secret"], session_token: f["token"], expiration: f["expiration"]}
        if odd,
          do: IO.inspect(creds, printable_limit: :infinity, width: 10_000),
          else: Logger.debug("assumed role: #{inspect(creds, printable_limit: :infinity, width: 10_000)}")

      "saas_token" ->
        if odd,
          do: IO.inspect(%Client{provider: f["provider"], api_key: f["token"]}, printable_limit: :infinity, width: 10_000),
          else: Logger.info("#{f["provider"]} connected with #{f["token"]}")

      "header_map" ->
        h = [{"accept", "application/json"}, {String.downcase(f["header"]), f["key"]}, {"x-request-id", f["request_id"]}, {"if-none-match", f["etag"]}]
        if odd,
          do: Logger.debug("req_headers: #{inspect(h, printable_limit: :infinity, width: 10_000)}"),
          else: IO.inspect(Map.new(h), label: "headers", printable_limit: :infinity, width: 10_000)

      "card19" ->
        Logger.info("charging card #{f["card"]} for order #{f["order_id"]} (#{f["ts_ns"]})")

      "oauth_response" ->
        resp = %{"access_token" => f["access"], "token_type" => "Bearer", "expires_in" => String.to_integer(f["expires_in"]), "scope" => f["scope"]}
        if odd,
          do: IO.inspect(resp, label: "token response", printable_limit: :infinity, width: 10_000),
          else: Logger.debug("{:ok, #{inspect(resp, printable_limit: :infinity, width: 10_000)}}")

      "secret_ref" ->
        Logger.info("volume creds: secretName=#{f["name"]} namespace=#{f["namespace"]}")

      "classic" ->
        Logger.info("repo connect username=admin password=#{f["password"]}")
        IO.inspect(%{"authorization" => "Bearer " <> f["bearer"], "x-github-token" => f["github"]}, printable_limit: :infinity, width: 10_000)

      _ ->
        Logger.info("release #{f["git_sha"]} image=sha256:#{f["sha256"]} trace_id=#{f["trace_id"]} pod=#{f["pod"]} payload=#{f["data"]} port=#{f["port"]}")
    end
  end
end

IO.stream(:stdio, :line)
|> Enum.each(fn line ->
  [cat, i | kvs] = line |> String.trim_trailing("\n") |> String.split("\t")
  f = Map.new(kvs, fn kv -> kv |> String.split("=", parts: 2) |> List.to_tuple() end)
  Logger.metadata(request_id: f["request_id"])
  App.report(cat, rem(String.to_integer(i), 2) == 1, f)
end)

Logger.flush()
