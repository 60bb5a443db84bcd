import java.io.FileWriter;
import java.io.IOException;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

// Logs the severity script with java.util.logging's SimpleFormatter, in its default two-line
// format (the date and source, then LEVEL: message) or the one-line format set by
// -Djava.util.logging.SimpleFormatter.format, and writes one expected SeverityText per output
// line to args[1] ("-": no level); args[0] is "two-line" or "one-line".
public class Jul {
    public static void main(String[] args) throws IOException {
        boolean twoLines = args[0].equals("two-line");
        Logger log = Logger.getLogger("orders");
        log.setUseParentHandlers(false);
        ConsoleHandler h = new ConsoleHandler() {{ setOutputStream(System.out); }};
        h.setLevel(Level.ALL);
        h.setFormatter(new SimpleFormatter());
        log.addHandler(h);
        log.setLevel(Level.ALL);
        Object[][] script = {
            {Level.FINE, "DEBUG", "cache warmed in 12 ms"},
            {Level.INFO, "INFO", "GET /api/orders 200 in 3 ms"},
            {Level.INFO, "INFO", "retrying after error: connection reset by peer"},
            {Level.WARNING, "WARN", "disk usage at 91%"},
            {Level.SEVERE, "ERROR", "payment failed: card declined"},
            {Level.INFO, "INFO", "ERROR budget: 0 of 5 used"},
        };
        try (FileWriter labels = new FileWriter(args[1])) {
            for (Object[] s : script) {
                log.log((Level) s[0], (String) s[2]);
                if (twoLines) {
                    labels.write("-\n"); // the first line: date and source
                }
                labels.write(s[1] + "\n");
            }
            h.flush();
            System.out.println("plain line without a level");
            labels.write("-\n");
        }
    }
}
