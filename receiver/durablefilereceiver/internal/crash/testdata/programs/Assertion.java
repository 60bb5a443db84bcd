// An assert that fails with -ea: AssertionError with the message, uncaught.
import java.util.logging.Logger;

public class Assertion {
    static int stock(int n) {
        assert n >= 0 : "stock went negative: " + n;
        return n;
    }

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
        Logger.getLogger("stock").info("reserving 3 items");
        stock(-3);
    }
}
