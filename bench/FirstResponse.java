import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times a command from its start until a URL first answers 200, several times, and prints the
 * median in milliseconds. The command is stopped (with its whole process tree) after each run.
 *
 * <pre>java FirstResponse.java RUNS URL COMMAND...</pre>
 */
public class FirstResponse {
    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        var uri = URI.create(args[1]);
        var command = Arrays.asList(args).subList(2, args.length);
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
        // Warm the client itself so its own class loading is not counted.
        try { client.send(request, HttpResponse.BodyHandlers.discarding()); } catch (IOException e) { }
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            var pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            long t0 = System.nanoTime();
            var p = pb.start();
            double ms = -1;
            while (System.nanoTime() - t0 < 20_000_000_000L) {
                try {
                    var r = client.send(request, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) { ms = (System.nanoTime() - t0) / 1e6; break; }
                } catch (IOException e) {
                    Thread.sleep(2);
                }
                if (!p.isAlive()) break;
            }
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.onExit().get();
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            if (ms < 0) throw new IllegalStateException("no 200 from " + uri + " (exit " + p.exitValue() + ")");
            times.add(ms);
            Thread.sleep(300);
        }
        times.sort(null);
        System.out.printf("%.1f%n", times.get(times.size() / 2));
        System.err.println("runs (ms): " + times);
    }
}
