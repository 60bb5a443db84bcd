// Thread.dumpStack() from a code path someone wanted to trace: "java.lang.Exception: Stack
// trace" and its frames on stderr, between ordinary log lines.
import java.util.logging.Logger;

public class DumpStack {
    static final Logger LOG = Logger.getLogger("cache");

    static void evict() {
        Thread.dumpStack();
    }

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
        LOG.info("cache full, evicting");
        evict();
        LOG.info("evicted 120 entries");
    }
}
