public class Logged {
    static int parse(String s) {
        return Integer.parseInt(s);
    }

    public static void main(String[] args) {
        System.out.println("2026-11-25 10:00:00.000 INFO  [main] com.example.Orders - processing batch");
        try {
            parse("forty-two");
        } catch (NumberFormatException e) {
            System.out.println("2026-11-25 10:00:00.010 ERROR [main] com.example.Orders - failed to parse order quantity");
            e.printStackTrace(System.out);
        }
        System.out.println("2026-11-25 10:00:00.020 INFO  [main] com.example.Orders - batch done");
    }
}
