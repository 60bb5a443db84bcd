// An exception no one catches in an executor's worker thread: the JVM names the pool's
// thread in its header.
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

public class PoolThread {
    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
        Logger.getLogger("jobs").info("submitting export");
        ExecutorService pool = Executors.newFixedThreadPool(1);
        pool.execute(() -> { throw new UnsupportedOperationException("export format xlsx"); });
        pool.shutdown();
        pool.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        Logger.getLogger("jobs").info("pool stopped");
    }
}
