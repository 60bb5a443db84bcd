// An exception in a static initializer: the JVM wraps it in ExceptionInInitializerError and
// prints the cause with its own frames and "... N more".
import java.util.logging.Logger;

public class InitializerError {
    static class Settings {
        static final int PORT = Integer.parseInt(System.getProperty("app.port", "eighty"));
    }

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
        Logger.getLogger("app").info("reading settings");
        System.out.flush();
        System.out.println(Settings.PORT);
    }
}
