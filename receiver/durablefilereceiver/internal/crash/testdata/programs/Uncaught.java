import java.io.IOException;

public class Uncaught {
    static void load(String path) throws IOException {
        throw new IOException("config not found: " + path);
    }

    static void start() {
        try {
            load("/etc/app/config.yaml");
        } catch (IOException e) {
            IllegalStateException ise = new IllegalStateException("cannot start service", e);
            ise.addSuppressed(new RuntimeException("cleanup failed"));
            throw ise;
        }
    }

    public static void main(String[] args) {
        System.out.println("2026-11-25 10:00:00.000 INFO  [main] com.example.App - starting");
        start();
    }
}
