package org.mirari.tool.supervise;

import java.time.Duration;

/**
 * When a detached instance's app is started again after it ended: {@code no} (never),
 * {@code on-failure[:N]} (after a non-zero exit) or {@code always} (after any end but a stop), as
 * Docker's {@code --restart} says. Restarts wait with an exponential backoff
 * ({@link #backoff}: 200 ms, doubled each time, at most 10 s). A crash loop ends the restarts: after
 * {@code N} quick failures in a row (runs shorter than {@link #QUICK}; 5 when no N is given) the
 * policy gives up and the instance is {@code crashed}. A run that lasted longer resets the count and
 * the backoff, as systemd's {@code StartLimitIntervalSec} forgets old failures.
 *
 * @param mode        {@code no}, {@code on-failure} or {@code always}
 * @param maxQuick    how many quick failures in a row are restarted before giving up
 * @param explicitMax whether {@code :N} was given (it is then shown again)
 */
public record RestartPolicy(Mode mode, int maxQuick, boolean explicitMax) {
    /** A run shorter than this that ends is a quick failure (a crash loop's mark). */
    public static final Duration QUICK = Duration.ofSeconds(10);

    static final int DEFAULT_MAX = 5;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    public enum Mode {
        NO,
        ON_FAILURE,
        ALWAYS
    }

    public static final RestartPolicy NO = new RestartPolicy(Mode.NO, 0, false);

    /**
     * {@code no}, {@code on-failure}, {@code on-failure:N} (N from 1 to 1000) or {@code always}
     * ({@code always:N} too); {@link IllegalArgumentException} saying what is allowed otherwise.
     */
    public static RestartPolicy parse(String text) {
        String t = text.strip();
        int colon = t.indexOf(':');
        String mode = colon < 0 ? t : t.substring(0, colon);
        Integer max = null;
        if (colon >= 0) {
            String n = t.substring(colon + 1);
            if (!n.matches("[0-9]{1,4}") || Integer.parseInt(n) < 1 || Integer.parseInt(n) > 1000)
                throw new IllegalArgumentException(
                        "--restart \"" + text + "\": the count after ':' must be a number from 1 to 1000");
            max = Integer.parseInt(n);
        }
        return switch (mode) {
            case "no" -> {
                if (max != null) throw new IllegalArgumentException("--restart \"" + text + "\": no takes no count");
                yield NO;
            }
            case "on-failure" -> new RestartPolicy(Mode.ON_FAILURE, max == null ? DEFAULT_MAX : max, max != null);
            case "always" -> new RestartPolicy(Mode.ALWAYS, max == null ? DEFAULT_MAX : max, max != null);
            default ->
                throw new IllegalArgumentException(
                        "--restart \"" + text + "\" is not a policy; use no, on-failure[:N] or always");
        };
    }

    /**
     * The policy that {@code xl-on_crash} means on a backend without xl: {@code restart} is
     * {@code on-failure}, {@code destroy} and {@code preserve} are {@code no} (the console is kept
     * either way: it is the instance's log).
     */
    public static RestartPolicy fromOnCrash(String onCrash) {
        return switch (onCrash.strip()) {
            case "restart", "coredump-restart", "rename-restart" -> parse("on-failure");
            default -> NO;
        };
    }

    /** Whether an app that ended with {@code exitCode} is started again by this policy (the crash loop aside). */
    public boolean restarts(int exitCode) {
        return switch (mode) {
            case NO -> false;
            case ON_FAILURE -> exitCode != 0;
            case ALWAYS -> true;
        };
    }

    /** How long to wait before the restart that follows {@code quickFailures} quick failures in a row (1 or more). */
    public static Duration backoff(int quickFailures) {
        long ms = FIRST_BACKOFF.toMillis() << Math.min(Math.max(quickFailures - 1, 0), 16);
        return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
    }

    @Override
    public String toString() {
        return switch (mode) {
            case NO -> "no";
            case ON_FAILURE -> "on-failure" + (explicitMax ? ":" + maxQuick : "");
            case ALWAYS -> "always" + (explicitMax ? ":" + maxQuick : "");
        };
    }
}
