// java.util.logging's Logger.throwing at FINER: "THROW" and the exception with its frames,
// in SimpleFormatter's two-line layout, between ordinary records.
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

public class JulThrowing {
    static final Logger LOG = Logger.getLogger("com.example.Billing");

    static void charge(int cents) {
        if (cents < 0) {
            IllegalArgumentException e = new IllegalArgumentException("negative amount: " + cents);
            LOG.throwing("com.example.Billing", "charge", e);
            throw e;
        }
    }

    public static void main(String[] args) {
        ConsoleHandler h = new ConsoleHandler() {{ setOutputStream(System.out); }};
        h.setLevel(Level.ALL);
        LOG.setUseParentHandlers(false);
        LOG.addHandler(h);
        LOG.setLevel(Level.ALL);
        LOG.info("charging order 42");
        try {
            charge(-5);
        } catch (IllegalArgumentException e) {
            LOG.info("order 42 rejected");
        }
    }
}
