package org.mirari.tool.plan;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** A JDK to compile apps with and to link runtime images from. */
public record Jdk(Path home, int feature) {
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"([0-9]+)");

    /** The JDK at {@code home}, if it is one (has {@code bin/javac} and a readable version). */
    public static Optional<Jdk> at(Path home) {
        if (!Files.isRegularFile(home.resolve("bin/javac"))) return Optional.empty();
        try {
            var m = JAVA_VERSION.matcher(Files.readString(home.resolve("release")));
            if (m.find()) return Optional.of(new Jdk(home, Integer.parseInt(m.group(1))));
        } catch (IOException | RuntimeException e) {
            // no readable release file: not a JDK we can use
        }
        return Optional.empty();
    }

    /**
     * The JDKs Mirari looks at, in order of preference: the JDK the tool runs on
     * ({@code mirari.java.home}, else {@code java.home}), {@code JAVA_HOME}, then every JDK under
     * {@code MIRARI_JDK_SEARCH_PATH} (default {@code /usr/lib/jvm}), as {@code bin/jdk.sh} does.
     */
    public static List<Jdk> candidates(Map<String, String> env, Map<String, String> properties) {
        var homes = new ArrayList<Path>();
        var own = properties.getOrDefault("mirari.java.home", properties.get("java.home"));
        if (own != null) homes.add(Path.of(own));
        if (env.get("JAVA_HOME") != null && !env.get("JAVA_HOME").isBlank()) homes.add(Path.of(env.get("JAVA_HOME")));
        var search = Path.of(env.getOrDefault("MIRARI_JDK_SEARCH_PATH", "/usr/lib/jvm"));
        if (Files.isDirectory(search)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(search)) {
                var found = new ArrayList<Path>();
                ds.forEach(p -> {
                    if (!Files.isSymbolicLink(p)) found.add(p);
                });
                found.sort(null);
                homes.addAll(found);
            } catch (IOException e) {
                // unreadable search path: only the other candidates
            }
        }
        var out = new ArrayList<Jdk>();
        for (var h : homes) {
            Jdk.at(h.toAbsolutePath().normalize())
                    .filter(j -> out.stream().noneMatch(o -> o.home().equals(j.home())))
                    .ifPresent(out::add);
        }
        return out;
    }
}
