package org.mirari.runtime.internal.text;

/**
 * Checks on ASCII text for the runtime's parsers. Plain loops, not streams or regular expressions:
 * the first stream of a JVM initialises the stream framework ({@code StreamOpFlag}'s enum maps, a
 * reflective {@code values()}), and a pattern's matcher is much more code than a loop; both were paid
 * for, interpreted and translated by TCG, in a VM's boot and after each snapshot restore.
 */
public final class Ascii {
    private Ascii() {}

    /** Whether {@code s} is 1 to {@code max} ASCII digits. */
    public static boolean digits(String s, int max) {
        if (s.isEmpty() || s.length() > max) return false;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }
}
