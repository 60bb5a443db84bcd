// A NullPointerException with the JVM's helpful message (JDK 14+), uncaught.
import java.util.Map;
import java.util.logging.Logger;

public class HelpfulNpe {
    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
        Logger.getLogger("users").info("loading profile");
        Map<String, String> names = Map.of("ada", "Ada");
        System.out.println(names.get("bob").length());
    }
}
