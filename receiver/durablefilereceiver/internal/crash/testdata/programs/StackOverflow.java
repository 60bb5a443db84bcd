// A StackOverflowError: the JVM prints 1024 frames of the same recursion.
public class StackOverflow {
    static int depth(int n) { return depth(n + 1) + 1; }
    public static void main(String[] args) {
        System.out.println("2026-12-03 10:00:00.000 INFO  tree - computing depth");
        depth(0);
    }
}
