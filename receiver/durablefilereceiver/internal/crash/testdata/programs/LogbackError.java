// Logback (through SLF4J) logs an exception with its default console pattern: the message
// line, the exception, its frames, "Caused by:" and "common frames omitted", between
// ordinary lines.
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class LogbackError {
    static final Logger LOG = LoggerFactory.getLogger("com.example.Sync");

    static void fetch() {
        try {
            Integer.parseInt("");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("empty page size", e);
        }
    }

    public static void main(String[] args) {
        LOG.info("sync started");
        try {
            fetch();
        } catch (IllegalArgumentException e) {
            LOG.error("sync failed", e);
        }
        LOG.info("sync will retry in 30s");
    }
}
