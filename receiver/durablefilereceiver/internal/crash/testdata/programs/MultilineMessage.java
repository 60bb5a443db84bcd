// An exception whose message has several lines, logged at SEVERE by java.util.logging: the
// message's lines come before the frames.
import java.util.logging.Level;
import java.util.logging.Logger;

public class MultilineMessage {
    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
        Logger log = Logger.getLogger("sql");
        log.info("running migration 42");
        try {
            throw new IllegalStateException("migration 42 failed:\n  ALTER TABLE orders ADD COLUMN note text\n  column \"note\" already exists");
        } catch (IllegalStateException e) {
            log.log(Level.SEVERE, "migration aborted", e);
        }
        log.info("rolled back");
    }
}
