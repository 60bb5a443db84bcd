// Future.get() of a failed task, uncaught: ExecutionException with the task's exception as
// its cause.
import java.util.concurrent.Executors;
import java.util.logging.Logger;

public class ExecutionExceptionMain {
    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
        Logger.getLogger("report").info("rendering report");
        var pool = Executors.newSingleThreadExecutor();
        try {
            pool.submit(() -> { throw new IllegalArgumentException("template 'q4' not found"); }).get();
        } finally {
            pool.shutdown();
        }
    }
}
