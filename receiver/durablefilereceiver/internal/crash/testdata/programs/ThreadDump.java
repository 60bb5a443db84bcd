// Logs a line and waits: the capture script sends it SIGQUIT (kill -3), and the JVM prints a
// thread dump to stdout.
public class ThreadDump {
    public static void main(String[] args) throws InterruptedException {
        System.out.println("2026-12-03 10:00:00.000 INFO  orders.Main - waiting for work");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
