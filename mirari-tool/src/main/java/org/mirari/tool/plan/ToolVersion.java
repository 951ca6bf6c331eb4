package org.mirari.tool.plan;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Mirari's own version, from the build ({@code org/mirari/tool/version.properties}). */
public final class ToolVersion {
    private static final String VERSION = load();

    private ToolVersion() {}

    public static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = ToolVersion.class.getResourceAsStream("/org/mirari/tool/version.properties")) {
            if (in == null) return "unknown";
            var p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
