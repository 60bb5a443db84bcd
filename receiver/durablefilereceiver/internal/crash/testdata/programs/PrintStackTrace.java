// An app prints its own error line, then e.printStackTrace(), then goes on.
public class PrintStackTrace {
    static int parse(String s) { return Integer.parseInt(s); }
    public static void main(String[] args) {
        System.out.println("10:00:00.000 [main] INFO  Importer - importing row 1");
        try { parse("1O"); } catch (NumberFormatException e) {
            System.out.println("10:00:00.001 [main] ERROR Importer - bad row 2");
            e.printStackTrace(System.out);
        }
        System.out.println("10:00:00.002 [main] INFO  Importer - importing row 3");
    }
}
