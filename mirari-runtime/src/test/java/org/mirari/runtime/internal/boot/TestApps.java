package org.mirari.runtime.internal.boot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.mirari.runtime.AppSpec;
import org.mirari.runtime.Mirari;
import org.mirari.runtime.http.Response;

/** Apps as generated {@code Main}s would start them, run in child JVMs by {@link BootTest}. */
public final class TestApps {
    private TestApps() {}

    public static void main(String[] argv) {
        String kind = argv[0];
        String[] args = Arrays.copyOfRange(argv, 1, argv.length);
        var spec = new AppSpec("test", List.of("static"), Map.of("http-address", "127.0.0.1"));
        switch (kind) {
            case "http" ->
                Mirari.http(args, spec, r -> switch (r.path()) {
                    case "/slow" -> slow();
                    case "/exit" -> {
                        System.exit(7);
                        yield null;
                    }
                    default -> Response.kv(Mirari.store("static"), r);
                });
            case "noip" ->
                Mirari.noip(
                        args,
                        spec,
                        () -> System.out.println(StandardCharsets.UTF_8.decode(
                                Mirari.store("static").read("greeting.txt", 0, 100))));
            case "noip-fails" ->
                Mirari.noip(args, spec, () -> {
                    throw new IllegalStateException("broken on purpose");
                });
            case "ip" ->
                Mirari.ip(
                        args,
                        spec,
                        net -> System.out.println("app got " + net.iface().name() + " "
                                + net.iface().address().getHostAddress() + " "
                                + net.iface().mac()));
            case "ip-until-stdin-ends" ->
                Mirari.ip(args, spec, net -> {
                    System.out.println("app runs");
                    System.out.flush();
                    System.in.readAllBytes();
                });
            default -> throw new IllegalArgumentException(kind);
        }
    }

    /**
     * A request that lasts until the test says: it says on stdout when it has started, then waits
     * for a line on stdin, so that the test, not a guessed duration, decides when it ends.
     */
    private static Response slow() throws IOException {
        System.out.println("slow: handling");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return Response.ok("finished\n");
    }
}
