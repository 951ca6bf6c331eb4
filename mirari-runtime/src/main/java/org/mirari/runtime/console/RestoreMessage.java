package org.mirari.runtime.console;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.mirari.runtime.internal.text.Ascii;

/**
 * The line {@code mirari run} writes to a VM restored from a snapshot, on the guest's control
 * serial port, and the guest's answer on its console. One line each, ASCII, space-separated
 * {@code key=value} words, so that the guest's busybox init can read the fields it needs (the
 * clock, the kernel's seed) with its shell before the runtime reads the rest:
 * <pre>
 * mirari-restore gen=3 time=1796147033.058 seed=&lt;64 hex&gt; jseed=&lt;64 hex&gt; [key=value...]
 * mirari-restored gen=3
 * </pre>
 *
 * @param generation  how many restores the tool has made of this snapshot before this one (0: the VM
 *                    the snapshot was taken of, told to diverge from its future copies)
 * @param epochMillis the host's wall clock when it sent the line (the guest's clock is the snapshot's)
 * @param kernelSeed  fresh random bytes for the guest kernel's RNG (RNDADDENTROPY)
 * @param jvmSeed     other fresh random bytes, for the JVM's {@code SecureRandom} and the app's hooks
 * @param parameters  what a restore may change without a cold boot ({@code key=value}, in order)
 */
public record RestoreMessage(
        long generation, long epochMillis, byte[] kernelSeed, byte[] jvmSeed, Map<String, String> parameters) {
    public static final String PREFIX = "mirari-restore ";
    public static final String ACK_PREFIX = "mirari-restored gen=";
    /** Longer lines are refused: the guest reads them from a serial port. */
    public static final int MAX_LENGTH = 4096;
    /** The seed sizes accepted: at least 128 bits, at most what one RNDADDENTROPY call is given. */
    public static final int MIN_SEED = 16, MAX_SEED = 256;

    private static final java.util.Set<String> FIXED = java.util.Set.of("gen", "time", "seed", "jseed");

    public RestoreMessage {
        if (generation < 0) throw new IllegalArgumentException("gen " + generation + " is negative");
        if (epochMillis < 0) throw new IllegalArgumentException("time " + epochMillis + " is negative");
        kernelSeed = checkSeed("seed", kernelSeed).clone();
        jvmSeed = checkSeed("jseed", jvmSeed).clone();
        var copy = new LinkedHashMap<String, String>();
        for (var e : parameters.entrySet()) {
            if (!isKey(e.getKey()) || FIXED.contains(e.getKey()))
                throw new IllegalArgumentException("parameter name \"" + e.getKey() + "\" is not allowed");
            if (!isValue(e.getValue()))
                throw new IllegalArgumentException("parameter " + e.getKey() + " has blanks or control characters");
            copy.put(e.getKey(), e.getValue());
        }
        parameters = java.util.Collections.unmodifiableMap(copy);
    }

    private static byte[] checkSeed(String name, byte[] seed) {
        Objects.requireNonNull(seed, name);
        if (seed.length < MIN_SEED || seed.length > MAX_SEED)
            throw new IllegalArgumentException(
                    name + " has " + seed.length + " bytes; " + MIN_SEED + "-" + MAX_SEED + " are accepted");
        return seed;
    }

    @Override
    public byte[] kernelSeed() {
        return kernelSeed.clone();
    }

    @Override
    public byte[] jvmSeed() {
        return jvmSeed.clone();
    }

    /** The line the tool writes, without the newline. */
    public String line() {
        var hex = HexFormat.of();
        var b = new StringBuilder(PREFIX)
                .append("gen=")
                .append(generation)
                .append(" time=")
                .append(epochMillis / 1000)
                .append('.')
                .append(String.format(java.util.Locale.ROOT, "%03d", epochMillis % 1000))
                .append(" seed=")
                .append(hex.formatHex(kernelSeed))
                .append(" jseed=")
                .append(hex.formatHex(jvmSeed));
        parameters.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }

    /**
     * Parses a line as the tool wrote it, with or without its {@code mirari-restore} word (the init
     * hands the runtime the words after it). Throws {@link IllegalArgumentException} saying what is
     * wrong: a missing or repeated field, a malformed value, an overlong line.
     */
    public static RestoreMessage parse(String line) {
        if (line.length() > MAX_LENGTH)
            throw new IllegalArgumentException("the line has " + line.length() + " characters; at most " + MAX_LENGTH);
        String s = line.strip();
        if (s.startsWith(PREFIX)) s = s.substring(PREFIX.length()).strip();
        if (s.isEmpty()) throw new IllegalArgumentException("the line is empty");
        var fields = new LinkedHashMap<String, String>();
        for (int at = 0, end; at < s.length(); at = end + 1) {
            end = s.indexOf(' ', at);
            if (end < 0) end = s.length();
            if (end == at) continue; // spaces between words
            String word = s.substring(at, end);
            int eq = word.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("\"" + shorten(word) + "\" is not key=value");
            String key = word.substring(0, eq);
            if (fields.put(key, word.substring(eq + 1)) != null)
                throw new IllegalArgumentException(shorten(key) + " appears twice");
        }
        long gen = number("gen", require(fields, "gen"));
        String time = require(fields, "time");
        int dot = time.indexOf('.');
        if (dot < 0
                || !Ascii.digits(time.substring(0, dot), 15)
                || time.length() - dot - 1 != 3
                || !Ascii.digits(time.substring(dot + 1), 3))
            throw new IllegalArgumentException("time is not SECONDS.MMM");
        long millis = Math.addExact(
                Math.multiplyExact(Long.parseLong(time.substring(0, dot)), 1000),
                Long.parseLong(time.substring(dot + 1)));
        byte[] seed = hex("seed", require(fields, "seed"));
        byte[] jseed = hex("jseed", require(fields, "jseed"));
        FIXED.forEach(fields::remove);
        return new RestoreMessage(gen, millis, seed, jseed, fields);
    }

    /** The guest's answer once it has reseeded and run the app's hooks. */
    public static String ack(long generation) {
        return ACK_PREFIX + generation;
    }

    /** The generation a console line acknowledges, or -1 if it is not an acknowledgement. */
    public static long parseAck(String line) {
        String s = line.strip();
        if (!s.startsWith(ACK_PREFIX)) return -1;
        String rest = s.substring(ACK_PREFIX.length());
        int end = rest.indexOf(' ');
        String digits = end < 0 ? rest : rest.substring(0, end);
        if (!Ascii.digits(digits, 18)) return -1;
        return Long.parseLong(digits);
    }

    private static String require(Map<String, String> fields, String key) {
        String v = fields.get(key);
        if (v == null) throw new IllegalArgumentException(key + "= is missing");
        return v;
    }

    private static long number(String key, String v) {
        if (!Ascii.digits(v, 18)) throw new IllegalArgumentException(key + " is not a number");
        return Long.parseLong(v);
    }

    private static byte[] hex(String key, String v) {
        if (v.length() % 2 != 0) throw new IllegalArgumentException(key + " is not hexadecimal bytes");
        for (int i = 0; i < v.length(); i++)
            if (!(v.charAt(i) >= '0' && v.charAt(i) <= '9'
                    || v.charAt(i) >= 'a' && v.charAt(i) <= 'f'
                    || v.charAt(i) >= 'A' && v.charAt(i) <= 'F'))
                throw new IllegalArgumentException(key + " is not hexadecimal bytes");
        return HexFormat.of().parseHex(v);
    }

    // Plain loops, not regular expressions: a restored guest parses this line with code that TCG must
    // translate again after every restore, and a pattern's matcher is much more code than a loop.

    /** A parameter's name: a lower-case letter, then up to 63 lower-case letters, digits or dashes. */
    private static boolean isKey(String k) {
        if (k.isEmpty() || k.length() > 64 || k.charAt(0) < 'a' || k.charAt(0) > 'z') return false;
        for (int i = 1; i < k.length(); i++) {
            char c = k.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) return false;
        }
        return true;
    }

    /** A parameter's value: up to 512 printable ASCII characters, no blank. */
    private static boolean isValue(String v) {
        if (v.length() > 512) return false;
        for (int i = 0; i < v.length(); i++) if (v.charAt(i) < 0x21 || v.charAt(i) > 0x7e) return false;
        return true;
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RestoreMessage m
                && m.generation == generation
                && m.epochMillis == epochMillis
                && Arrays.equals(m.kernelSeed, kernelSeed)
                && Arrays.equals(m.jvmSeed, jvmSeed)
                && m.parameters.equals(parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(generation, epochMillis, Arrays.hashCode(kernelSeed), Arrays.hashCode(jvmSeed), parameters);
    }

    @Override
    public String toString() {
        return "RestoreMessage[gen=" + generation + ", time=" + epochMillis + ", parameters=" + parameters + "]";
    }
}
