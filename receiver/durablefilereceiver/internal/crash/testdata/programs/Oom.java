// The JVM runs out of heap: an uncaught OutOfMemoryError with its frames.
import java.util.ArrayList;
import java.util.List;
public class Oom {
    public static void main(String[] args) {
        System.out.println("2026-12-03 10:00:00.000 INFO  cache - warming cache");
        List<long[]> hog = new ArrayList<>();
        while (true) hog.add(new long[1 << 20]);
    }
}
