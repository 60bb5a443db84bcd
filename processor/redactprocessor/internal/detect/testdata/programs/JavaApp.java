// Held-out set: a Java service logging through java.util.logging, with maps by toString,
// commands by String.join and records by their generated toString, as Java apps print them.
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class JavaApp {
    record Credentials(String accessKeyId, String secretAccessKey, String sessionToken, String expiration) {}

    static final Logger LOG = Logger.getLogger("com.example.payments.Worker");

    // The cases are flat JSON objects of strings; a tiny reader keeps this program free of libraries.
    static Map<String, String> fields(String obj) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = Pattern.compile("\"(\\w+)\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(obj);
        while (x.find()) m.put(x.group(1), x.group(2).replace("\\/", "/"));
        return m;
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    static List<String> command(Map<String, String> f) {
        String u = f.get("user"), p = f.get("password"), h = f.get("host");
        return switch (f.get("tool")) {
            case "curl-u" -> List.of("curl", "-u", u + ":" + p, "https://" + h + "/metrics");
            case "mysql-p" -> List.of("mysql", "-u" + u, "-p" + p, "-h" + h);
            case "docker-login" -> List.of("docker", "login", "--username=" + u, "--password=" + p);
            case "git-clone" -> List.of("git", "clone", "https://" + u + ":" + p + "@" + h + "/core/ledger.git");
            case "redis-cli-a" -> List.of("redis-cli", "-h", h, "-p", "6380", "-a", p, "--no-auth-warning", "KEYS", "*");
            case "sshpass-p" -> List.of("sshpass", "-p", p, "ssh", "-p", "2222", u + "@" + h);
            case "ldapsearch-w" -> List.of("ldapsearch", "-LLL", "-D", "cn=" + u + ",ou=apps", "-w", p, "(uid=jdoe)");
            default -> List.of("smbclient", "-U", u + "%" + p, "//" + h + "/payroll");
        };
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n");
        LOG.setUseParentHandlers(false);
        ConsoleHandler h = new ConsoleHandler() {{ setOutputStream(System.out); }};
        h.setFormatter(new SimpleFormatter());
        h.setLevel(Level.ALL);
        LOG.addHandler(h);
        LOG.setLevel(Level.ALL);

        String all = Files.readString(Path.of(args[0]));
        Matcher c = Pattern.compile("\\{\"cat\": \"(\\w+)\", \"i\": (\\d+), \"f\": (\\{[^}]*\\})\\}").matcher(all);
        while (c.find()) {
            String cat = c.group(1);
            int i = Integer.parseInt(c.group(2));
            Map<String, String> f = fields(c.group(3));
            switch (cat) {
                case "cli_password" -> LOG.info(i % 2 == 1 ? "Executing: " + String.join(" ", command(f)) : "ProcessBuilder command " + command(f));
                case "signed_url" -> {
                    String url = switch (f.get("kind")) {
                        case "azure" -> "https://" + f.get("account") + ".blob.core.windows.net/statements/2026-11.pdf?sig=" + f.get("sig") + "&se=" + f.get("se") + "&sv=2022-11-02&sp=r&sr=b";
                        case "aws" -> "https://" + f.get("account") + ".s3.amazonaws.com/statements/2026-11.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=" + f.get("date")
                                + "&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Credential=" + enc(f.get("akid") + "/20261203/eu-central-1/s3/aws4_request") + "&X-Amz-Signature=" + f.get("sig");
                        default -> "https://storage.googleapis.com/" + f.get("account") + "/statements/2026-11.pdf?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=" + f.get("date") + "&X-Goog-Expires=3600&X-Goog-SignedHeaders=host&X-Goog-Signature=" + f.get("sig");
                    };
                    LOG.info(i % 2 == 1 ? "Statement link generated: " + url : "{\"message\":\"presigned\",\"link\":\"" + url + "\",\"requestId\":\"" + f.get("request_id") + "\"}");
                }
                case "webhook_secret" -> {
                    Map<String, String> cfg = new LinkedHashMap<>();
                    cfg.put("provider", f.get("provider"));
                    cfg.put("webhook.signing-secret", f.get("secret"));
                    cfg.put("lastEvent", f.get("event_id"));
                    if (i % 2 == 1) LOG.config("Webhook properties " + cfg);
                    else LOG.warning("Signature verification failed for " + f.get("event_id") + " with key " + f.get("secret"));
                }
                case "session_token" -> {
                    Credentials cr = new Credentials(f.get("akid"), f.get("secret"), f.get("token"), f.get("expiration"));
                    LOG.fine(i % 2 == 1 ? "AssumeRole returned " + cr
                            : "{\"Credentials\":{\"AccessKeyId\":\"" + f.get("akid") + "\",\"SecretAccessKey\":\"" + f.get("secret") + "\",\"SessionToken\":\"" + f.get("token") + "\",\"Expiration\":\"" + f.get("expiration") + "\"}}");
                }
                case "saas_token" -> LOG.info(i % 2 == 1 ? "Created " + f.get("provider") + " client using " + f.get("token")
                        : "ClientConfig{provider=" + f.get("provider") + ", apiToken=" + f.get("token") + ", timeoutMs=5000}");
                case "header_map" -> {
                    Map<String, List<String>> hd = new LinkedHashMap<>();
                    hd.put("Accept", List.of("application/json"));
                    hd.put(f.get("header"), List.of(f.get("key")));
                    hd.put("X-Request-Id", List.of(f.get("request_id")));
                    hd.put("If-None-Match", List.of(f.get("etag")));
                    LOG.fine(i % 2 == 1 ? "Request headers: " + hd : "HttpRequest GET https://api.example.com/v3/accounts " + hd);
                }
                case "card19" -> LOG.info(i % 2 == 1 ? "Authorised PAN " + f.get("card") + " orderId=" + f.get("order_id") + " nanos=" + f.get("ts_ns")
                        : "Payment[pan=" + f.get("card") + ", orderId=" + f.get("order_id") + ", createdNanos=" + f.get("ts_ns") + "]");
                case "oauth_response" -> LOG.fine(i % 2 == 1 ? "OAuth2AccessTokenResponse{tokenType=Bearer, expiresIn=" + f.get("expires_in") + ", accessToken=" + f.get("access") + ", scope=" + f.get("scope") + "}"
                        : "token_type=Bearer expires_in=" + f.get("expires_in") + " access_token=" + f.get("access"));
                case "secret_ref" -> LOG.info(i % 2 == 1 ? "Reading secretName=" + f.get("name") + " from namespace " + f.get("namespace")
                        : "{\"volumes\":[{\"name\":\"creds\",\"secret\":{\"secretName\":\"" + f.get("name") + "\"}}]}");
                case "classic" -> {
                    LOG.info("DataSource url=jdbc:postgresql://db:5432/ledger user=ledger password=" + f.get("password"));
                    LOG.fine("Headers {Authorization=[Bearer " + f.get("bearer") + "], X-GitHub-Token=[" + f.get("github") + "]}");
                }
                default -> LOG.info("Build " + f.get("git_sha") + " image sha256:" + f.get("sha256") + " traceId=" + f.get("trace_id") + " pod=" + f.get("pod") + " payload=" + f.get("data") + " port=" + f.get("port"));
            }
        }
    }
}
