// Held-out set (ninth round): a Java service logging through Log4j 2 (Debian's jars): a
// PatternLayout with the thread and the ThreadContext map, parameterised messages, MapMessage
// for structured events, and objects by toString, as Log4j apps print them.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.apache.logging.log4j.message.StringMapMessage;

public class Log4j2App {
    record Credentials(String accessKeyId, String secretAccessKey, String sessionToken, String expiration) {}

    // The cases are flat JSON objects of strings; a tiny reader keeps this program free of JSON libraries.
    static Map<String, String> fields(String obj) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = Pattern.compile("\"(\\w+)\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(obj);
        while (x.find()) m.put(x.group(1), x.group(2).replace("\\/", "/"));
        return m;
    }

    static String[] command(Map<String, String> f) {
        String u = f.get("user"), p = f.get("password"), h = f.get("host");
        return switch (f.get("tool")) {
            case "ncftpput-p" -> new String[] {"ncftpput", "-u", u, "-p", p, h, "/incoming", "/var/backups/db.tar.gz"};
            case "xfreerdp-p" -> new String[] {"xfreerdp", "/v:" + h, "/u:" + u, "/p:" + p, "/cert:ignore"};
            case "gpg-passphrase" -> new String[] {"gpg", "--batch", "--yes", "--passphrase", p, "--decrypt", "/secrets/env.gpg"};
            default -> new String[] {"rclone", "copy", "/srv/exports", ":ftp:exports", "--ftp-host", h, "--ftp-user", u, "--ftp-pass", p};
        };
    }

    public static void main(String[] args) throws Exception {
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.add(b.newAppender("out", "Console").addAttribute("target", "SYSTEM_OUT")
                .add(b.newLayout("PatternLayout").addAttribute("pattern", "%d{ISO8601} %-5level [%t] %c{1.} %X - %msg%n")));
        b.add(b.newRootLogger(Level.ALL).add(b.newAppenderRef("out")));
        Configurator.initialize(b.build());
        Logger log = LogManager.getLogger("com.example.billing.SyncJob");

        String all = Files.readString(Path.of(args[0]));
        Matcher c = Pattern.compile("\\{\"cat\": \"(\\w+)\", \"i\": (\\d+), \"f\": (\\{[^}]*\\})\\}").matcher(all);
        while (c.find()) {
            String cat = c.group(1);
            boolean odd = Integer.parseInt(c.group(2)) % 2 == 1;
            Map<String, String> f = fields(c.group(3));
            ThreadContext.put("requestId", f.get("request_id"));
            switch (cat) {
                case "cli_password" -> {
                    if (odd) log.debug("spawning {}", String.join(" ", command(f)));
                    else log.info("ProcessBuilder{}", List.of(command(f)));
                }
                case "signed_url" -> {
                    String url = switch (f.get("kind")) {
                        case "azure" -> "https://" + f.get("account") + ".blob.core.windows.net/exports/q4.csv?sp=r&st=2026-12-03T09:00:00Z&se=" + f.get("se") + "&spr=https&sv=2022-11-02&sr=b&sig=" + f.get("sig");
                        case "aws" -> "https://" + f.get("account") + ".s3.amazonaws.com/exports/q4.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + f.get("akid")
                                + "%2F20261203%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=" + f.get("date") + "&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=" + f.get("sig");
                        default -> "https://storage.googleapis.com/" + f.get("account") + "/exports/q4.csv?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40proj.iam.gserviceaccount.com%2F20261203%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=" + f.get("date") + "&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=" + f.get("sig");
                    };
                    if (odd) log.info("export ready at {}", url);
                    else log.info(new StringMapMessage().with("event", "export.ready").with("url", url));
                }
                case "webhook_secret" -> {
                    if (odd) log.warn("rejecting delivery {}: signature mismatch (signingSecret={})", f.get("event_id"), f.get("secret"));
                    else log.debug(new StringMapMessage().with("provider", f.get("provider")).with("signing_secret", f.get("secret")).with("event", f.get("event_id")));
                }
                case "session_token" -> {
                    Credentials cr = new Credentials(f.get("akid"), f.get("secret"), f.get("token"), f.get("expiration"));
                    if (odd) log.debug("sts credentials {}", cr);
                    else log.debug(new StringMapMessage().with("AccessKeyId", cr.accessKeyId()).with("SecretAccessKey", cr.secretAccessKey())
                            .with("SessionToken", cr.sessionToken()).with("Expiration", cr.expiration()));
                }
                case "saas_token" -> {
                    if (odd) log.info("{} integration enabled with credential {}", f.get("provider"), f.get("token"));
                    else log.debug("IntegrationSettings(vendor={}, credential={}, enabled=true)", f.get("provider"), f.get("token"));
                }
                case "header_map" -> {
                    Map<String, String> hd = new LinkedHashMap<>();
                    hd.put("Accept", "application/json");
                    hd.put(f.get("header"), f.get("key"));
                    hd.put("X-Request-Id", f.get("request_id"));
                    hd.put("If-None-Match", f.get("etag"));
                    if (odd) log.trace("outgoing headers {}", hd);
                    else log.trace(new StringMapMessage(hd));
                }
                case "card19" -> log.info("charge pan={} order={} at={}", f.get("card"), f.get("order_id"), f.get("ts_ns"));
                case "oauth_response" -> {
                    if (odd) log.debug("token endpoint answered access_token={} token_type=Bearer expires_in={} scope=\"{}\"", f.get("access"), f.get("expires_in"), f.get("scope"));
                    else log.debug(new StringMapMessage().with("access_token", f.get("access")).with("token_type", "Bearer").with("expires_in", f.get("expires_in")).with("scope", f.get("scope")));
                }
                case "secret_ref" -> log.info("mounting volume from secretName={} in {}", f.get("name"), f.get("namespace"));
                case "classic" -> {
                    log.info("jdbc connect user=billing password={}", f.get("password"));
                    log.debug("auth headers {}", Map.of("Authorization", "Bearer " + f.get("bearer")));
                    log.debug("github client token={}", f.get("github"));
                }
                default -> log.info("release {} image sha256:{} trace {} pod {} body {} port {}", f.get("git_sha"), f.get("sha256"), f.get("trace_id"), f.get("pod"), f.get("data"), f.get("port"));
            }
            ThreadContext.clearAll();
        }
    }
}
