import java.io.FileReader;
import java.io.IOException;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

// Logs a WARN line with an exception in a Logback-like one-line pattern (set by the capture
// script through SimpleFormatter.format), between two ordinary lines.
public class WarnException {
    public static void main(String[] args) {
        Logger log = Logger.getLogger("orders.Cache");
        log.setUseParentHandlers(false);
        ConsoleHandler h = new ConsoleHandler() {{ setOutputStream(System.out); }};
        h.setFormatter(new SimpleFormatter());
        log.addHandler(h);
        log.info("refreshing cache");
        try {
            new FileReader("/nonexistent/cache.json").close();
        } catch (IOException e) {
            log.log(Level.WARNING, "cache refresh failed; serving stale entries", e);
        }
        log.info("next request");
        h.flush();
    }
}
