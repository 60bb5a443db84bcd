// A JVM crash on a bad native access: the JVM prints its "A fatal error has been detected"
// block of '#' lines and names the hs_err file, after an ordinary line.
import java.lang.reflect.Field;

public class HsErr {
    public static void main(String[] args) throws Exception {
        System.out.println("2026-12-03T10:00:00Z INFO mapping shared memory");
        System.out.flush();
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
        u.putAddress(8, 42);
    }
}
