package org.mirari.tool.resolve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.mirari.tool.error.ResolveException;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/**
 * Where artifacts come from and go: the local repository and remote repositories, after the
 * user's Maven settings. Reads {@code ~/.m2/settings.xml} for {@code localRepository},
 * {@code offline} and {@code mirrors} (proxies and server credentials are not supported yet).
 *
 * @param localRepo the local repository directory
 * @param remotes   the remote repositories before mirroring (Maven Central)
 * @param mirrors   the settings' mirrors, applied to {@code remotes}
 * @param offline   resolve from the local repository only
 * @param systemProperties the system properties the resolver's model building sees (profile activation), from the context
 */
public record ResolverSettings(
        Path localRepo,
        List<Remote> remotes,
        List<Mirror> mirrors,
        boolean offline,
        Map<String, String> systemProperties) {
    /** Settings with no system properties for the resolver's model building (tests). */
    public ResolverSettings(Path localRepo, List<Remote> remotes, List<Mirror> mirrors, boolean offline) {
        this(localRepo, remotes, mirrors, offline, Map.of());
    }

    /** Maven Central, the one remote repository apps resolve from. */
    public static final Remote CENTRAL = new Remote("central", "https://repo.maven.apache.org/maven2/");

    public ResolverSettings {
        remotes = List.copyOf(remotes);
        mirrors = List.copyOf(mirrors);
        systemProperties = Map.copyOf(systemProperties);
    }

    /** A remote repository. */
    public record Remote(String id, String url) {}

    /** A {@code <mirror>} of settings.xml; {@code mirrorOf} as Maven spells it ({@code *}, {@code central}, {@code *,!x}). */
    public record Mirror(String id, String url, String mirrorOf) {}

    /** The same settings with {@code offline} set when {@code offline} is true. */
    public ResolverSettings withOffline(boolean offline) {
        return new ResolverSettings(localRepo, remotes, mirrors, this.offline || offline, systemProperties);
    }

    /**
     * The user's settings: {@code $HOME/.m2/settings.xml} if present, else Maven's defaults; the
     * system property {@code maven.repo.local} wins for the local repository, as in Maven.
     */
    public static ResolverSettings load(Map<String, String> env, Map<String, String> properties) {
        var home = Path.of(env.getOrDefault("HOME", properties.getOrDefault("user.home", ".")));
        var settings = home.resolve(".m2/settings.xml");
        Path local = home.resolve(".m2/repository");
        var mirrors = new ArrayList<Mirror>();
        boolean offline = false;
        if (Files.isRegularFile(settings)) {
            var root = parse(settings);
            var lr = text(root, "localRepository");
            if (lr != null && !lr.isBlank()) local = home.resolve(lr.strip().replace("${user.home}", home.toString()));
            offline = "true".equals(text(root, "offline"));
            var ms = root.getElementsByTagName("mirror");
            for (int i = 0; i < ms.getLength(); i++) {
                var m = (Element) ms.item(i);
                var url = text(m, "url");
                if (url != null) {
                    mirrors.add(new Mirror(
                            orElse(text(m, "id"), "mirror"),
                            url.strip(),
                            orElse(text(m, "mirrorOf"), "*").strip()));
                }
            }
        }
        var override = properties.get("maven.repo.local");
        if (override != null && !override.isBlank()) local = Path.of(override);
        return new ResolverSettings(local.toAbsolutePath().normalize(), List.of(CENTRAL), mirrors, offline, properties);
    }

    private static Element parse(Path file) {
        try {
            var f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new ResolveException(
                    file + ": cannot read Maven settings (" + e.getMessage() + "); fix or move the file");
        }
    }

    private static String text(Element parent, String child) {
        var nodes = parent.getElementsByTagName(child);
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getParentNode() == parent) return nodes.item(i).getTextContent();
        }
        return null;
    }

    private static String orElse(String s, String dflt) {
        return s == null || s.isBlank() ? dflt : s;
    }
}
