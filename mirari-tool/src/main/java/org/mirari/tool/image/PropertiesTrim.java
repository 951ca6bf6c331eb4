package org.mirari.tool.image;

/**
 * A {@code .properties} text without its comment and blank lines, read by
 * {@link java.util.Properties#load(java.io.Reader)} as the same properties.
 *
 * <p>Why: a VM's first {@code InetAddress} loads {@code conf/security/java.security} (72 KB, of
 * which 3 KB are properties), and under an emulator (TCG) the interpreted line reader is paid by
 * the character. The rules kept are {@code Properties}' own: a comment line starts, after blanks
 * ({@code ' '}, {@code '\t'}, {@code '\f'}), with {@code #} or {@code !}; a line that ends in an odd
 * number of backslashes continues on the next, which is then never a comment, even when it starts
 * with {@code #}. Lines end at {@code \n}, {@code \r} or {@code \r\n}; the ones kept keep theirs.
 */
final class PropertiesTrim {
    private PropertiesTrim() {}

    static String withoutComments(String text) {
        var out = new StringBuilder(text.length());
        boolean continued = false;
        int start = 0;
        while (start < text.length()) {
            int end = start;
            while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') end++;
            int next = end == text.length() ? end : text.startsWith("\r\n", end) ? end + 2 : end + 1;
            boolean keep = continued || !commentOrBlank(text, start, end);
            if (keep) {
                out.append(text, start, next);
                continued = oddBackslashes(text, start, end);
            }
            start = next;
        }
        return out.toString();
    }

    private static boolean commentOrBlank(String text, int start, int end) {
        int i = start;
        while (i < end && isBlank(text.charAt(i))) i++;
        return i == end || text.charAt(i) == '#' || text.charAt(i) == '!';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\f';
    }

    private static boolean oddBackslashes(String text, int start, int end) {
        int n = 0;
        for (int i = end - 1; i >= start && text.charAt(i) == '\\'; i--) n++;
        return n % 2 == 1;
    }
}
