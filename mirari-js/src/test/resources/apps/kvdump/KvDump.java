import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.NoSuchElementException;
import org.mirari.runtime.Mirari;
import org.mirari.runtime.kv.KvStore;

/** Prints what its stores hold, so that two targets can be compared line by line. */
final class KvDump {
    private KvDump() {}

    static void main() {
        for (String name : List.of("files", "more")) {
            KvStore store = Mirari.store(name);
            System.out.println(store + " " + store.list());
            for (String key : store.list()) {
                System.out.println(key + " size=" + store.size(key) + " etag=" + store.etag(key) + " type="
                        + store.contentType(key));
                System.out.println("  " + Base64.getEncoder().encodeToString(store.bytes(key)));
                System.out.println("  slice " + Base64.getEncoder().encodeToString(bytes(store.read(key, 1, 5))));
            }
        }
        KvStore files = Mirari.store("files");
        System.out.println("./nested//a.txt exists: " + files.exists("./nested//a.txt"));
        System.out.println("../files/a.txt exists: " + files.exists("../files/a.txt"));
        try {
            files.size("missing.txt");
        } catch (NoSuchElementException e) {
            System.out.println(e.getMessage());
        }
        try {
            Mirari.store("nothing");
        } catch (IllegalArgumentException e) {
            System.out.println("store nothing: " + e.getMessage().substring(0, e.getMessage().indexOf('(')));
        }
        System.err.println("kvdump: done, exit 3");
        System.exit(3);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
