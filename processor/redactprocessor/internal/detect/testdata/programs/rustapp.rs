// round4 (held out in the third round): a Rust service printing with println!/eprintln!, structs and maps by their
// Debug formatting ({:?} and {:#?}), commands by std::process::Command's Debug, as Rust
// programs print them. Reads the cases as TSV (capture.sh converts them): no crates needed.
use std::collections::BTreeMap;
use std::io::{self, BufRead};
use std::process::Command;

#[derive(Debug)]
#[allow(dead_code)]
struct Credentials<'a> {
    access_key_id: &'a str,
    secret_access_key: &'a str,
    session_token: &'a str,
    expiration: &'a str,
}

#[derive(Debug)]
#[allow(dead_code)]
struct ClientConfig<'a> {
    provider: &'a str,
    api_key: &'a str,
    timeout_ms: u32,
}

fn command(f: &BTreeMap<String, String>) -> Command {
    let (u, p, h) = (&f["user"], &f["password"], &f["host"]);
    let mut c;
    match f["tool"].as_str() {
        "htpasswd-b" => { c = Command::new("htpasswd"); c.args(["-b", "/etc/nginx/.htpasswd", u, p]); }
        "lftp-u" => { c = Command::new("lftp"); c.args(["-u", &format!("{u},{p}"), &format!("sftp://{h}")]); }
        "sqlcmd-P" => { c = Command::new("sqlcmd"); c.args(["-S", h, "-U", u, "-P", p, "-Q", "SELECT 1"]); }
        "rabbitmqctl-add-user" => { c = Command::new("rabbitmqctl"); c.args(["add_user", u, p]); }
        _ => { c = Command::new("curl"); c.args(["-u", &format!("{u}:{p}"), h]); }
    }
    c
}

fn signed_url(f: &BTreeMap<String, String>) -> String {
    match f["kind"].as_str() {
        "azure" => format!("https://{}.blob.core.windows.net/exports/day.csv?sp=r&se={}&sv=2022-11-02&sr=b&sig={}", f["account"], f["se"], f["sig"]),
        "aws" => format!("https://{}.s3.eu-north-1.amazonaws.com/exports/day.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={}%2F20261203%2Feu-north-1%2Fs3%2Faws4_request&X-Amz-Date={}&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature={}", f["account"], f["akid"], f["date"], f["sig"]),
        _ => format!("https://storage.googleapis.com/{}/exports/day.csv?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date={}&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature={}", f["account"], f["date"], f["sig"]),
    }
}

fn main() {
    for line in io::stdin().lock().lines() {
        let line = line.unwrap();
        let mut parts = line.split('\t');
        let cat = parts.next().unwrap().to_string();
        let i: u64 = parts.next().unwrap().parse().unwrap();
        let f: BTreeMap<String, String> = parts.filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let odd = i % 2 == 1;
        let ts = format!("2026-12-03T10:{:02}:{:02}Z", (i / 60) % 60, i % 60);
        match cat.as_str() {
            "cli_password" => if odd { println!("{ts} INFO spawning {:?}", command(&f)) } else { eprintln!("[{ts} DEBUG runner] args: {:?}", command(&f).get_args().collect::<Vec<_>>()) },
            "signed_url" => if odd { println!("{ts} INFO presigned url={}", signed_url(&f)) } else { println!("{ts} DEBUG fetching {:?}", signed_url(&f)) },
            "webhook_secret" => if odd { println!("{ts} WARN webhook {} rejected; secret={}", f["event_id"], f["secret"]) } else {
                let mut m = BTreeMap::new(); m.insert("provider", f["provider"].as_str()); m.insert("signing_secret", f["secret"].as_str()); m.insert("event", f["event_id"].as_str());
                println!("{ts} DEBUG webhook config {:?}", m) },
            "session_token" => {
                let c = Credentials { access_key_id: &f["akid"], secret_access_key: &f["secret"], session_token: &f["token"], expiration: &f["expiration"] };
                if odd { println!("{ts} DEBUG assumed role: {:?}", c) } else { println!("{ts} DEBUG credentials: {c:#?}") }
            }
            "saas_token" => if odd { println!("{ts} INFO {} client ready with {}", f["provider"], f["token"]) } else {
                println!("{ts} DEBUG {:?}", ClientConfig { provider: &f["provider"], api_key: &f["token"], timeout_ms: 5000 }) },
            "header_map" => {
                let mut h = BTreeMap::new();
                h.insert("accept", "application/json".to_string()); h.insert(f["header"].as_str(), f["key"].clone());
                h.insert("x-request-id", f["request_id"].clone()); h.insert("if-none-match", f["etag"].clone());
                if odd { println!("{ts} DEBUG request headers: {:?}", h) } else { println!("{ts} DEBUG GET /v1/users headers={h:?}") }
            }
            "card19" => if odd { println!("{ts} INFO charged card={} order={} t={}", f["card"], f["order_id"], f["ts_ns"]) } else { println!("{ts} INFO Payment {{ pan: {:?}, order_id: {}, ts_ns: {} }}", f["card"], f["order_id"], f["ts_ns"]) },
            "oauth_response" => if odd { println!("{ts} DEBUG TokenResponse {{ access_token: {:?}, token_type: \"Bearer\", expires_in: {}, scope: {:?} }}", f["access"], f["expires_in"], f["scope"]) } else {
                println!("{ts} DEBUG token_type=Bearer expires_in={} access_token={}", f["expires_in"], f["access"]) },
            "secret_ref" => if odd { println!("{ts} INFO secretName={} namespace={}", f["name"], f["namespace"]) } else { println!("{ts} INFO SecretVolumeSource {{ secret_name: Some({:?}) }}", f["name"]) },
            "classic" => { println!("{ts} INFO db connect password={}", f["password"]); println!("{ts} DEBUG {{\"authorization\": \"Bearer {}\", \"github-token\": {:?}}}", f["bearer"], f["github"]); }
            _ => println!("{ts} INFO build {} sha256:{} trace_id={} pod={} data={} port={}", f["git_sha"], f["sha256"], f["trace_id"], f["pod"], f["data"], f["port"]),
        }
    }
}
