#!/usr/bin/env escript
%% Held-out set (tenth round): an Erlang service reporting through OTP's logger (report
%% maps and format strings) and io:format's ~p (maps of binaries, proplists, tuples), as
%% BEAM apps print them. Reads the cases as tab-separated lines from stdin (category, index,
%% then key=value fields).
main(_) ->
    logger:set_handler_config(default, formatter,
        {logger_formatter, #{single_line => true, template => [time, " ", level, ": ", msg, "\n"]}}),
    logger:set_primary_config(level, all),
    loop().

loop() ->
    case io:get_line("") of
        eof -> timer:sleep(200);
        Line ->
            [Cat, I | KVs] = string:split(string:trim(Line, trailing, "\n"), "\t", all),
            F = maps:from_list([list_to_tuple(string:split(KV, "=")) || KV <- KVs]),
            report(Cat, list_to_integer(I) rem 2 =:= 1, F),
            loop()
    end.

g(F, K) -> maps:get(K, F).
b(F, K) -> list_to_binary(g(F, K)).

argv(F) ->
    {U, P, H} = {g(F, "user"), g(F, "password"), g(F, "host")},
    case g(F, "tool") of
        "curl-proxy-user" -> ["curl", "-sS", "--proxy", "http://proxy.corp:3128", "--proxy-user", U ++ ":" ++ P, "https://" ++ H ++ "/health"];
        "snmpwalk-A" -> ["snmpwalk", "-v3", "-l", "authPriv", "-u", U, "-a", "SHA", "-A", P, "-x", "AES", "-X", P, H, "system"];
        "kubectl-from-literal" -> ["kubectl", "create", "secret", "generic", "db", "--from-literal=username=" ++ U, "--from-literal=password=" ++ P];
        _ -> ["helm", "upgrade", "--install", "db", "bitnami/postgresql", "--set", "auth.username=" ++ U, "--set", "auth.password=" ++ P]
    end.

url(F) ->
    case g(F, "kind") of
        "azure" -> "https://" ++ g(F, "account") ++ ".blob.core.windows.net/reports/r.pdf?sv=2024-05-04&sr=b&sp=r&se=" ++ g(F, "se") ++ "&sig=" ++ g(F, "sig");
        "aws" -> "https://" ++ g(F, "account") ++ ".s3.amazonaws.com/reports/r.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" ++ g(F, "akid")
                 ++ "%2F20261203%2Fap-south-1%2Fs3%2Faws4_request&X-Amz-Date=" ++ g(F, "date") ++ "&X-Amz-Expires=120&X-Amz-SignedHeaders=host&X-Amz-Signature=" ++ g(F, "sig");
        _ -> "https://storage.googleapis.com/" ++ g(F, "account") ++ "/reports/r.pdf?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=" ++ g(F, "date")
             ++ "&X-Goog-Expires=120&X-Goog-SignedHeaders=host&X-Goog-Signature=" ++ g(F, "sig")
    end.

p(Term) -> io:format("~tp~n", [Term]).

report("cli_password", true, F) -> logger:info("running ~ts", [lists:join(" ", argv(F))]);
report("cli_password", false, F) -> p({open_port, {spawn_executable, "/usr/bin/" ++ hd(argv(F))}, [{args, tl(argv(F))}]});
report("signed_url", true, F) -> logger:info("report link ~ts", [url(F)]);
report("signed_url", false, F) -> p(#{<<"url">> => list_to_binary(url(F)), <<"request_id">> => b(F, "request_id")});
report("webhook_secret", true, F) -> logger:warning("webhook ~ts rejected: hmac mismatch, secret ~ts", [g(F, "event_id"), g(F, "secret")]);
report("webhook_secret", false, F) -> p([{provider, b(F, "provider")}, {signing_secret, b(F, "secret")}]);
report("session_token", true, F) ->
    logger:debug(#{what => assume_role, access_key_id => b(F, "akid"), secret_access_key => b(F, "secret"),
                   session_token => b(F, "token"), expiration => b(F, "expiration")});
report("session_token", false, F) ->
    p({ok, #{<<"AccessKeyId">> => b(F, "akid"), <<"SecretAccessKey">> => b(F, "secret"),
             <<"SessionToken">> => b(F, "token"), <<"Expiration">> => b(F, "expiration")}});
report("saas_token", true, F) -> logger:info("~ts client started with ~ts", [g(F, "provider"), g(F, "token")]);
report("saas_token", false, F) -> p({client, b(F, "provider"), b(F, "token"), 5000});
report("header_map", true, F) ->
    p([{<<"accept">>, <<"application/json">>}, {b(F, "header"), b(F, "key")}, {<<"x-request-id">>, b(F, "request_id")}, {<<"if-none-match">>, b(F, "etag")}]);
report("header_map", false, F) ->
    logger:debug(#{what => http_request, headers => #{list_to_binary(g(F, "header")) => b(F, "key"), <<"x-request-id">> => b(F, "request_id")}});
report("card19", _, F) -> logger:info("charge card=~ts order=~ts ts=~ts", [g(F, "card"), g(F, "order_id"), g(F, "ts_ns")]);
report("oauth_response", true, F) ->
    p(#{<<"access_token">> => b(F, "access"), <<"token_type">> => <<"Bearer">>, <<"expires_in">> => list_to_integer(g(F, "expires_in")), <<"scope">> => b(F, "scope")});
report("oauth_response", false, F) ->
    logger:debug("token response access_token=~ts token_type=Bearer expires_in=~ts", [g(F, "access"), g(F, "expires_in")]);
report("secret_ref", _, F) -> logger:info("mounting secretName=~ts namespace=~ts", [g(F, "name"), g(F, "namespace")]);
report("classic", _, F) ->
    logger:info("db connect user=app password=~ts", [g(F, "password")]),
    p(#{<<"authorization">> => list_to_binary("Bearer " ++ g(F, "bearer")), <<"x-github-token">> => b(F, "github")});
report(_, _, F) ->
    logger:info("release ~ts image=sha256:~ts trace_id=~ts pod=~ts payload=~ts port=~ts",
                [g(F, "git_sha"), g(F, "sha256"), g(F, "trace_id"), g(F, "pod"), g(F, "data"), g(F, "port")]).
