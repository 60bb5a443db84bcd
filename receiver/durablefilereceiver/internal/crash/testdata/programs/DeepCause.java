// An uncaught exception three causes deep, each with its frames and "... N more".
import java.util.logging.Logger;

public class DeepCause {
    static void read() throws java.io.IOException { throw new java.io.FileNotFoundException("/etc/app/keys.pem"); }
    static void load() {
        try { read(); } catch (java.io.IOException e) { throw new IllegalStateException("cannot load keys", e); }
    }
    static void start() {
        try { load(); } catch (IllegalStateException e) { throw new RuntimeException("server failed to start", e); }
    }
    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
        Logger.getLogger("server").info("starting on :8443");
        start();
    }
}
