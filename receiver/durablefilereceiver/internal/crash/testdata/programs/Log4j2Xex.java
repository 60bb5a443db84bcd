// Log4j 2 with %xEx, the extended throwable: each frame ends with where its class came from
// (~[?:?], [classes/:?]), and the cause's frames shared with the enclosing trace collapse,
// between ordinary lines.
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

public class Log4j2Xex {
    static void load(String path) {
        try {
            java.nio.file.Files.readString(java.nio.file.Path.of(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot load " + path, e);
        }
    }

    public static void main(String[] args) {
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.add(b.newAppender("out", "Console").addAttribute("target", "SYSTEM_OUT")
                .add(b.newLayout("PatternLayout").addAttribute("pattern", "%d{HH:mm:ss.SSS} [%t] %-5level %logger{36} - %msg%n%xEx")));
        b.add(b.newRootLogger(Level.INFO).add(b.newAppenderRef("out")));
        Configurator.initialize(b.build());
        Logger log = LogManager.getLogger("com.example.Loader");
        log.info("loading rules");
        try {
            load("/etc/app/rules.yaml");
        } catch (RuntimeException e) {
            log.error("rules not loaded", e);
        }
        log.info("serving with default rules");
    }
}
