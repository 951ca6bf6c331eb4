package org.mirari.js.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Headless Chromium (Debian's {@code chromium}, nothing downloaded) driven through the DevTools
 * protocol over the JDK's WebSocket: no driver, no Selenium Manager. Its profile is a temporary
 * directory, removed on {@link #close}.
 */
final class DevTools implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<Map<String, Object>> events = new ArrayList<>();

    private DevTools(Process process, Path profile, URI endpoint) throws Exception {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(endpoint, new Listener())
                .get(30, TimeUnit.SECONDS);
    }

    static DevTools start(Duration limit) throws Exception {
        var profile = Files.createTempDirectory("mirari-chromium-");
        var command = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless=new",
                "--user-data-dir=" + profile,
                "--remote-debugging-port=0",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-gpu",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update"));
        // Chromium refuses to run as root with its sandbox.
        if ("root".equals(System.getProperty("user.name"))) command.add("--no-sandbox");
        command.add("about:blank");
        var process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        var endpoint = new CompletableFuture<URI>();
        Thread.ofVirtual().start(() -> {
            try (var err =
                    new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    int at = line.indexOf("DevTools listening on ");
                    if (at >= 0)
                        endpoint.complete(URI.create(line.substring(at + 22).strip()));
                }
            } catch (IOException e) {
                endpoint.completeExceptionally(e);
            }
            endpoint.completeExceptionally(new IllegalStateException("chromium ended without a DevTools endpoint"));
        });
        try {
            return new DevTools(process, profile, endpoint.get(limit.toMillis(), TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            delete(profile);
            throw e;
        }
    }

    /** Sends a command (to a page's {@code session}, or to the browser when null) and waits for its result. */
    Map<String, Object> send(String session, String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        var future = new CompletableFuture<Map<String, Object>>();
        pending.put(id, future);
        var message = new java.util.LinkedHashMap<String, Object>(Map.of("id", id, "method", method, "params", params));
        if (session != null) message.put("sessionId", session);
        socket.sendText(Json.write(message), true).get(30, TimeUnit.SECONDS);
        var reply = future.get(60, TimeUnit.SECONDS);
        if (reply.containsKey("error")) throw new IllegalStateException(method + ": " + reply.get("error"));
        return Json.object(reply.get("result"));
    }

    /** A new page, attached: its session id. */
    String newPage() throws Exception {
        var target =
                send(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId");
        return (String) send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .get("sessionId");
    }

    /** Evaluates {@code expression} in the page (awaiting a promise), returning its value. */
    Object eval(String session, String expression) throws Exception {
        var result = send(
                session,
                "Runtime.evaluate",
                Map.of("expression", expression, "awaitPromise", true, "returnByValue", true));
        if (result.containsKey("exceptionDetails"))
            throw new IllegalStateException(expression + ": " + result.get("exceptionDetails"));
        return Json.object(result.get("result")).get("value");
    }

    /** Waits until {@code expression} is true in the page. */
    void await(String session, String expression, Duration limit) throws Exception {
        var deadline = Instant.now().plus(limit);
        Object last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (Boolean.TRUE.equals(last = eval(session, expression))) return;
            } catch (IllegalStateException e) {
                last = e.getMessage(); // a navigation in between destroys the context: ask again
            }
            synchronized (events) {
                events.wait(50); // woken early by any event
            }
        }
        throw new AssertionError("not true within " + limit + ": " + expression + " (last: " + last + ")");
    }

    /** The events received so far that match. */
    List<Map<String, Object>> events(Predicate<Map<String, Object>> matching) {
        synchronized (events) {
            return events.stream().filter(matching).toList();
        }
    }

    /** Waits for an event that matches. */
    Map<String, Object> awaitEvent(Predicate<Map<String, Object>> matching, Duration limit) throws Exception {
        var deadline = Instant.now().plus(limit);
        synchronized (events) {
            while (true) {
                var found = events.stream().filter(matching).findFirst();
                if (found.isPresent()) return found.get();
                long left = Duration.between(Instant.now(), deadline).toMillis();
                if (left <= 0) throw new AssertionError("no such DevTools event within " + limit);
                events.wait(left);
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            send(null, "Browser.close", Map.of());
        } catch (Exception e) {
            // it ends below anyway
        }
        socket.abort();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        delete(profile);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                var message = Json.object(Json.parse(text.toString()));
                text.setLength(0);
                if (message.get("id") instanceof Double id) {
                    var future = pending.remove(id.intValue());
                    if (future != null) future.complete(message);
                } else {
                    synchronized (events) {
                        events.add(message);
                        events.notifyAll();
                    }
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
