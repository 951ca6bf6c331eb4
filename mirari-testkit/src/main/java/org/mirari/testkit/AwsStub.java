package org.mirari.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A local stand-in for the two AWS APIs {@code deploy ec2} speaks, on loopback: EC2's query API
 * ({@code POST /}, a form with {@code Action=...}, XML replies) and the EBS direct APIs (REST paths
 * under {@code /snapshots}, JSON replies). It records every request in order with its parameters,
 * checks every uploaded block against its SHA-256 and the completed snapshot against the LINEAR
 * aggregate, keeps the state of snapshots, images and instances, and fails a named operation on
 * demand (an error reply once, or every time). Used by mirari-ec2's deployer tests and by its
 * {@code DeployEc2IT}, whose {@code deploy ec2} through the launcher uploads a real built disk to it.
 */
public final class AwsStub implements AutoCloseable {
    /** One request: the IAM action it needs ({@code ec2:RegisterImage}) and its parameters. */
    public record Call(String action, Map<String, String> params) {}

    /** A canned error reply. */
    public record Failure(int status, String code, String message) {}

    static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    static final Pattern BLOCK = Pattern.compile("/snapshots/([^/]+)/blocks/(\\d+)");
    static final Pattern COMPLETE = Pattern.compile("/snapshots/completion/([^/]+)");

    private final HttpServer server;
    public final List<Call> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    public final Map<String, Deque<Failure>> failures = new ConcurrentHashMap<>();
    public final Map<String, Failure> always = new ConcurrentHashMap<>();
    /** Blocks received per snapshot: index to bytes' SHA-256. */
    public final Map<String, TreeMap<Integer, byte[]>> blocks = new ConcurrentHashMap<>();

    public final List<String> checksumErrors = java.util.Collections.synchronizedList(new ArrayList<>());
    public final Map<String, String> snapshots = new ConcurrentHashMap<>();
    public final List<String> images = java.util.Collections.synchronizedList(new ArrayList<>());
    /** What GetConsoleOutput returns, one element per call (the last repeats). */
    public final Deque<String> console = new ArrayDeque<>();
    /** The instance's state as DescribeInstances reports it: its code and name. */
    public volatile String instanceState = "<code>16</code><name>running</name>";
    /** The state DescribeSnapshots reports after completion. */
    public volatile String completedState = "completed";

    public AwsStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Fails {@code action} once with this reply. */
    public AwsStub failOnce(String action, int status, String code, String message) {
        failures.computeIfAbsent(action, a -> new ArrayDeque<>()).add(new Failure(status, code, message));
        return this;
    }

    public AwsStub failAlways(String action, int status, String code, String message) {
        always.put(action, new Failure(status, code, message));
        return this;
    }

    public List<String> actions() {
        synchronized (calls) {
            return calls.stream().map(Call::action).toList();
        }
    }

    public List<Call> calls(String action) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.action().equals(action)).toList();
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            byte[] body = x.getRequestBody().readAllBytes();
            String path = x.getRequestURI().getPath();
            if (path.equals("/") && x.getRequestMethod().equals("POST"))
                ec2(x, form(new String(body, StandardCharsets.UTF_8)));
            else ebs(x, path, body);
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    static Map<String, String> form(String body) {
        var m = new LinkedHashMap<String, String>();
        for (String kv : body.split("&")) {
            if (kv.isEmpty()) continue;
            int eq = kv.indexOf('=');
            m.put(
                    URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    private Failure failure(String action) {
        var once = failures.get(action);
        if (once != null && !once.isEmpty()) return once.poll();
        return always.get(action);
    }

    private void ec2(HttpExchange x, Map<String, String> params) throws IOException {
        String action = "ec2:" + params.get("Action");
        calls.add(new Call(action, params));
        var f = failure(action);
        if (f != null) {
            reply(
                    x,
                    f.status(),
                    "text/xml",
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + f.code()
                            + "</Code><Message>" + f.message()
                            + "</Message></Error></Errors><RequestID>req</RequestID></Response>");
            return;
        }
        String name = params.get("Action");
        String inner =
                switch (name) {
                    case "DescribeSnapshots" -> {
                        String id = params.get("SnapshotId.1");
                        yield "<snapshotSet><item><snapshotId>" + id + "</snapshotId><status>"
                                + snapshots.getOrDefault(id, "pending") + "</status><statusMessage>stub</statusMessage>"
                                + "<volumeSize>1</volumeSize></item></snapshotSet>";
                    }
                    case "DeleteSnapshot" -> {
                        snapshots.remove(params.get("SnapshotId"));
                        yield "<return>true</return>";
                    }
                    case "RegisterImage" -> {
                        images.add(params.get("Name"));
                        yield "<imageId>ami-0123456789abcdef0</imageId>";
                    }
                    case "RunInstances" ->
                        "<reservationId>r-1</reservationId><ownerId>1</ownerId><groupSet/><instancesSet><item>"
                                + "<instanceId>i-0123456789abcdef0</instanceId><imageId>ami-0123456789abcdef0</imageId>"
                                + "<instanceState><code>0</code><name>pending</name></instanceState></item></instancesSet>";
                    case "DescribeInstances" ->
                        "<reservationSet><item><reservationId>r-1</reservationId><instancesSet><item>"
                                + "<instanceId>i-0123456789abcdef0</instanceId><instanceState>" + instanceState
                                + "</instanceState><ipAddress>203.0.113.7</ipAddress><privateIpAddress>172.31.0.5</privateIpAddress>"
                                + "</item></instancesSet></item></reservationSet>";
                    case "GetConsoleOutput" -> {
                        String out;
                        synchronized (console) {
                            out = console.size() > 1 ? console.poll() : console.isEmpty() ? "" : console.peek();
                        }
                        yield "<instanceId>i-0123456789abcdef0</instanceId><timestamp>2026-12-01T15:00:00.000Z</timestamp>"
                                + (out.isEmpty()
                                        ? ""
                                        : "<output>"
                                                + Base64.getEncoder()
                                                        .encodeToString(out.getBytes(StandardCharsets.UTF_8))
                                                + "</output>");
                    }
                    default -> throw new IllegalStateException("the stub does not know " + name);
                };
        reply(
                x,
                200,
                "text/xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + name + "Response xmlns=\"" + NS
                        + "\"><requestId>req</requestId>" + inner + "</" + name + "Response>");
    }

    private void ebs(HttpExchange x, String path, byte[] body) throws IOException {
        var h = x.getRequestHeaders();
        String action;
        var params = new LinkedHashMap<String, String>();
        var block = BLOCK.matcher(path);
        var complete = COMPLETE.matcher(path);
        if (path.equals("/snapshots") && x.getRequestMethod().equals("POST")) {
            action = "ebs:StartSnapshot";
            params.put("body", new String(body, StandardCharsets.UTF_8));
        } else if (block.matches() && x.getRequestMethod().equals("PUT")) {
            action = "ebs:PutSnapshotBlock";
            params.put("SnapshotId", block.group(1));
            params.put("BlockIndex", block.group(2));
            params.put("DataLength", h.getFirst("x-amz-Data-Length"));
            params.put("Checksum", h.getFirst("x-amz-Checksum"));
            params.put("ChecksumAlgorithm", h.getFirst("x-amz-Checksum-Algorithm"));
            params.put("Length", Integer.toString(body.length));
        } else if (complete.matches() && x.getRequestMethod().equals("POST")) {
            action = "ebs:CompleteSnapshot";
            params.put("SnapshotId", complete.group(1));
            params.put("ChangedBlocksCount", h.getFirst("x-amz-ChangedBlocksCount"));
            params.put("Checksum", h.getFirst("x-amz-Checksum"));
            params.put("ChecksumAlgorithm", h.getFirst("x-amz-Checksum-Algorithm"));
            params.put("ChecksumAggregationMethod", h.getFirst("x-amz-Checksum-Aggregation-Method"));
        } else {
            throw new IllegalStateException("the stub does not know " + x.getRequestMethod() + " " + path);
        }
        calls.add(new Call(action, params));
        var f = failure(action);
        if (f != null) {
            x.getResponseHeaders().add("x-amzn-ErrorType", f.code());
            reply(x, f.status(), "application/json", "{\"message\":\"" + f.message() + "\"}");
            return;
        }
        switch (action) {
            case "ebs:StartSnapshot" -> {
                String id = "snap-0123456789abcdef" + snapshots.size();
                snapshots.put(id, "pending");
                blocks.put(id, new TreeMap<>());
                reply(
                        x,
                        201,
                        "application/json",
                        "{\"SnapshotId\":\"" + id + "\",\"Status\":\"pending\",\"VolumeSize\":1,\"BlockSize\":524288}");
            }
            case "ebs:PutSnapshotBlock" -> {
                byte[] digest = sha256(body);
                if (!Base64.getEncoder().encodeToString(digest).equals(params.get("Checksum")))
                    checksumErrors.add(
                            "block " + params.get("BlockIndex") + ": the SHA-256 differs from x-amz-Checksum");
                if (body.length != Integer.parseInt(params.get("DataLength")))
                    checksumErrors.add(
                            "block " + params.get("BlockIndex") + ": " + body.length + " bytes, not DataLength");
                blocks.get(params.get("SnapshotId")).put(Integer.parseInt(params.get("BlockIndex")), digest);
                x.getResponseHeaders().add("x-amz-Checksum", params.get("Checksum"));
                x.getResponseHeaders().add("x-amz-Checksum-Algorithm", "SHA256");
                reply(x, 201, "application/json", "{}");
            }
            default -> {
                String id = params.get("SnapshotId");
                var md = sha(blocks.get(id));
                if (!md.equals(params.get("Checksum"))) checksumErrors.add("the snapshot's LINEAR checksum differs");
                snapshots.put(id, completedState);
                reply(x, 202, "application/json", "{\"Status\":\"completed\"}");
            }
        }
    }

    private static String sha(TreeMap<Integer, byte[]> digests) {
        try {
            var md = MessageDigest.getInstance("SHA-256");
            digests.values().forEach(md::update);
            return Base64.getEncoder().encodeToString(md.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void reply(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.getResponseHeaders().add("x-amzn-RequestId", "req");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
