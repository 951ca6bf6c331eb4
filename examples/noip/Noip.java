import java.nio.charset.StandardCharsets;
import org.mirari.runtime.Mirari;

/** Prints the first line of {@code motd.txt} from the "data" store. */
final class Noip {
    private Noip() {}

    static void main() {
        var store = Mirari.store("data");
        var buffer = store.read("motd.txt", 0, store.size("motd.txt"));
        var bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        System.out.println(new String(bytes, StandardCharsets.UTF_8).lines().findFirst().orElse(""));
    }
}
