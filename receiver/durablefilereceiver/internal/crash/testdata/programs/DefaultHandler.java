// A default uncaught-exception handler that logs through java.util.logging: the record's
// message, then the exception and its frames.
import java.util.logging.Level;
import java.util.logging.Logger;

public class DefaultHandler {
    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
        Logger log = Logger.getLogger("app");
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> log.log(Level.SEVERE, "uncaught in " + t.getName(), e));
        log.info("starting consumer");
        Thread consumer = new Thread(() -> { throw new IllegalStateException("offset 42 out of range"); }, "consumer-1");
        consumer.start();
        consumer.join();
        log.info("consumer stopped");
    }
}
