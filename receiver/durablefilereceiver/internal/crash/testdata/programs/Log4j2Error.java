// Log4j 2 logs an exception at ERROR with PatternLayout's %ex: the message line, the
// exception, its frames and its cause, between ordinary lines.
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

public class Log4j2Error {
    static int parse(String qty) {
        try {
            return Integer.parseInt(qty);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("bad quantity in order 42", e);
        }
    }

    public static void main(String[] args) {
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.add(b.newAppender("out", "Console").addAttribute("target", "SYSTEM_OUT")
                .add(b.newLayout("PatternLayout").addAttribute("pattern", "%d{ISO8601} %-5level [%t] %c{1.} - %msg%n%ex")));
        b.add(b.newRootLogger(Level.INFO).add(b.newAppenderRef("out")));
        Configurator.initialize(b.build());
        Logger log = LogManager.getLogger("com.example.orders.Importer");
        log.info("importing orders.csv");
        try {
            parse("12x");
        } catch (IllegalStateException e) {
            log.error("import failed", e);
        }
        log.info("import finished with 1 error");
    }
}
