// A logged exception with a Suppressed: one (try-with-resources whose close failed too) and a cause.
import java.util.logging.Level;
import java.util.logging.Logger;
public class Suppressed {
    static class Conn implements AutoCloseable {
        public void close() { throw new IllegalStateException("close failed: broken pipe"); }
    }
    static void query() throws Exception {
        try (Conn c = new Conn()) {
            throw new java.io.IOException("query failed", new java.net.SocketTimeoutException("read timed out"));
        }
    }
    public static void main(String[] args) {
        Logger log = Logger.getLogger("db.Pool");
        log.info("running report");
        try { query(); } catch (Exception e) { log.log(Level.SEVERE, "report failed", e); }
        log.info("next report");
    }
}
