package org.mirari.tool.config;

import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.targets.Target;

/**
 * Parses and validates one conf file plus {@code --set KEY=VALUE} overrides into a {@link Config}.
 * Every problem of the file is collected and thrown at once as a {@link ConfigException}; nothing
 * else escapes, whatever the input.
 */
public final class ConfigParser {
    /** The oldest JDK feature version that can compile and run a Mirari app. */
    public static final int MIN_JDK = 25;

    private static final Pattern COORDINATE_PART = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_.+-]+");
    private static final Pattern APP_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern STORE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern XL_KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,9})([MmGg]?)");
    private static final Pattern OCAML_VERSION = Pattern.compile("[0-9]+\\.[0-9]+.*");

    private final Path file;
    private final String shownAs;
    private final Optional<Path> userHome;

    /**
     * @param file     the conf file; its directory anchors relative paths
     * @param shownAs  how the file is named in messages (as the user would type it)
     * @param userHome the user's home directory, which {@code ~/} in a path names (from the tool's
     *                 context, never read here); empty when unknown
     */
    public ConfigParser(Path file, String shownAs, Optional<Path> userHome) {
        this.file = file.toAbsolutePath().normalize();
        this.shownAs = shownAs;
        this.userHome = userHome;
    }

    /** A parser that knows no home directory: a {@code ~/} path is then reported as a problem. */
    public ConfigParser(Path file, String shownAs) {
        this(file, shownAs, Optional.empty());
    }

    /** Parses the file's current content. */
    public Config parseFile(List<String> sets) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(
                    shownAs + ": cannot read (" + e.getMessage() + "); check the path and its permissions");
        }
        return parse(bytes, sets);
    }

    /** Parses conf bytes (UTF-8) and {@code --set} overrides ({@code KEY=VALUE} each). */
    public Config parse(byte[] content, List<String> sets) {
        var problems = new ArrayList<Problem>();
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of(shownAs + ": is not UTF-8 text; save it as UTF-8"));
        }
        var lines = new ArrayList<>(ConfLines.split(text, shownAs, problems));
        int n = 0;
        for (var set : sets) {
            n++;
            var line = parseSet(set, n, problems);
            if (line == null) continue;
            boolean main = Key.of(line.key()).map(Key::isMain).orElse(false);
            boolean list = Key.of(line.key()).map(Key::isList).orElse(false);
            // An override replaces what the conf says (any main-* for a main-* key); repeated
            // --set of a list key accumulate, of another key the last one wins.
            lines.removeIf(l -> (l.key().equals(line.key())
                            || main && Key.of(l.key()).map(Key::isMain).orElse(false))
                    && !(list && l.keyAt().file().equals(Position.SET)));
            lines.add(line);
        }
        return new Builder(problems).build(lines);
    }

    private ConfLines.Line parseSet(String set, int n, List<Problem> problems) {
        var at = new Position(Position.SET, n, 1);
        int eq = set.indexOf('=');
        if (eq < 0) {
            problems.add(new Problem(
                    at,
                    "\"" + ConfLines.shorten(set) + "\" has no =; use --set KEY=VALUE (e.g. --set http-port=9090)"));
            return null;
        }
        var key = set.substring(0, eq).strip();
        if (!ConfLines.isKey(key)) {
            problems.add(new Problem(
                    at,
                    "\"" + ConfLines.shorten(key)
                            + "\" is not a key; use --set KEY=VALUE (e.g. --set http-port=9090)"));
            return null;
        }
        int v = ConfLines.skipBlanks(set, eq + 1);
        int e = set.length();
        while (e > v && ConfLines.isBlank(set.charAt(e - 1))) e--;
        return new ConfLines.Line(key, at, set.substring(v, e), new Position(Position.SET, n, v + 1));
    }

    /** Validates lines into a config, one instance per parse. */
    private final class Builder {
        private final List<Problem> problems;
        private final List<Problem> warnings = new ArrayList<>();
        private final Map<String, Position> seen = new HashMap<>();
        private Located<String> name;
        private EntryPoint main;
        /** Whether any main-* line was read, valid or not (so a bad one is not also "no main-* key"). */
        private boolean mainSeen;

        private Located<Boolean> ipUseDhcp;
        private Located<Ipv4> ipAddress, ipNetmask, ipGateway, dns;
        private Located<Integer> httpPort, vmMemory;
        private Located<String> httpAddress;
        private Located<Integer> httpsPort;
        private Located<String> tlsCertificate, tlsKey, httpRedirect;
        private Located<Path> vmKernel;
        private Located<SnapshotMode> snapshot;
        private CompilerSpec compiler;
        private final List<Store> stores = new ArrayList<>();
        private final List<Located<Coordinate>> packages = new ArrayList<>();
        private final List<Located<String>> depends = new ArrayList<>();
        /** Checked once every line is read: they are modules of the JDK {@code compiler} names. */
        private final List<Located<String>> pendingDepends = new ArrayList<>();

        /** Store names of {@code links-outside}, applied once every fs-* line is read. */
        private final List<Located<String>> linksOutside = new ArrayList<>();

        private final List<Located<String>> jvmOptions = new ArrayList<>();
        private final List<XlParam> xl = new ArrayList<>();

        Builder(List<Problem> problems) {
            this.problems = problems;
        }

        Config build(List<ConfLines.Line> lines) {
            for (var line : lines) {
                var key = Key.of(line.key());
                if (key.isEmpty()) {
                    var hint = Suggest.closest(line.key(), Key.candidatesFor(line.key()))
                            .map(s -> "did you mean " + s + "?")
                            .orElse("see the config reference in the README for the keys");
                    warnings.add(new Problem(
                            line.keyAt(),
                            "unknown key \"" + ConfLines.shorten(line.key()) + "\" (line ignored); " + hint));
                    continue;
                }
                if (key.get().isMain()) mainSeen = true;
                if (!key.get().isList()) {
                    var first = seen.putIfAbsent(line.key(), line.keyAt());
                    if (first != null) {
                        problems.add(new Problem(
                                line.keyAt(),
                                line.key() + " is given twice (also at " + first + "); keep one of the two lines"));
                        continue;
                    }
                    if (line.value().isEmpty()) {
                        problems.add(new Problem(
                                line.valueAt(),
                                line.key() + " has no value; give one, or comment the line out with #"));
                        continue;
                    }
                }
                value(key.get(), line);
            }
            pendingDepends.forEach(d -> module(d.value(), d.at()));
            applyLinksOutside();
            if (!mainSeen) {
                problems.add(
                        Problem.ofFile(
                                shownAs,
                                "no main-* key; add exactly one of main-http, main-ip or main-noip (e.g. main-http: Dispatch.main)"));
            }
            var confName = file.getFileName().toString().replaceFirst("\\.conf$", "");
            if (name == null) {
                if (APP_NAME.matcher(confName).matches()) {
                    name = new Located<>(confName, new Position(shownAs, 1, 1));
                } else {
                    problems.add(
                            Problem.ofFile(
                                    shownAs,
                                    "the app's name \"" + ConfLines.shorten(confName)
                                            + "\" (the file's name) is not a valid name; add a name: key (lowercase letters, digits, ., _ and -) or rename the file"));
                }
            }
            checkCombinations();
            if (!problems.isEmpty()) {
                throw new ConfigException(
                        sorted(problems).stream().map(Problem::render).toList(),
                        sorted(warnings).stream().map(Problem::render).toList());
            }
            return new Config(
                    file,
                    name,
                    main,
                    Optional.ofNullable(ipUseDhcp),
                    Optional.ofNullable(ipAddress),
                    Optional.ofNullable(ipNetmask),
                    Optional.ofNullable(ipGateway),
                    Optional.ofNullable(dns),
                    Optional.ofNullable(httpPort),
                    Optional.ofNullable(httpAddress),
                    stores,
                    packages,
                    depends,
                    Optional.ofNullable(compiler),
                    jvmOptions,
                    Optional.ofNullable(vmMemory),
                    Optional.ofNullable(vmKernel),
                    Optional.ofNullable(snapshot),
                    xl,
                    new Config.Https(
                            Optional.ofNullable(httpsPort),
                            Optional.ofNullable(tlsCertificate),
                            Optional.ofNullable(tlsKey),
                            Optional.ofNullable(httpRedirect)),
                    sorted(warnings).stream().map(Problem::render).toList());
        }

        /** File order first (whole-file problems last), then --set options. */
        private List<Problem> sorted(List<Problem> list) {
            return list.stream()
                    .sorted(Comparator.comparing((Problem p) -> p.at().file().equals(Position.SET))
                            .thenComparing(p -> p.at().line() == 0)
                            .thenComparingInt(p -> p.at().line())
                            .thenComparingInt(p -> p.at().col()))
                    .toList();
        }

        private void checkHttps() {
            if (httpsPort == null) {
                for (var v : new Located<?>[] {tlsCertificate, tlsKey, httpRedirect}) {
                    if (v != null) {
                        problem(
                                v.at(),
                                (v == tlsCertificate ? "tls-certificate" : v == tlsKey ? "tls-key" : "http-redirect")
                                        + " needs https-port; add one, e.g. https-port: 8443");
                    }
                }
                return;
            }
            if (httpsPort.value() == (httpPort == null ? Config.DEFAULT_HTTP_PORT : httpPort.value())) {
                problem(
                        httpsPort.at(),
                        "https-port " + httpsPort.value() + " is the http-port too; use another, e.g. https-port: "
                                + (httpsPort.value() == 8443 ? 9443 : 8443));
            }
            // given, valid or not: a bad one is reported once, as bad, not also as missing
            var certAt = seen.get("tls-certificate");
            var keyAt = seen.get("tls-key");
            if ((certAt == null) != (keyAt == null)) {
                problem(
                        certAt != null ? certAt : keyAt,
                        (certAt != null
                                        ? "tls-certificate is given without tls-key"
                                        : "tls-key is given without tls-certificate")
                                + "; give both, or neither for a self-signed certificate made at configure");
            }
            if (main != null && main.kind() != EntryPoint.Kind.HTTP) {
                warnings.add(new Problem(
                        httpsPort.at(),
                        "https-port has no effect with " + main.kind().key()
                                + " (only main-http runs Mirari's HTTP server)"));
            }
        }

        /** A PEM file that exists (made absolute), or {@code env:NAME} for PEM text in the app's environment. */
        private Located<String> pem(String key, String v, Position at) {
            if (v.startsWith("env:")) {
                if (v.substring(4).matches("[A-Za-z_][A-Za-z0-9_]*")) return new Located<>(v, at);
                problem(at, key + " \"" + q(v) + "\" names no environment variable; use env:NAME, e.g. env:TLS_CERT");
                return null;
            }
            var p = path(key, v, at);
            if (p == null) return null;
            if (!Files.isRegularFile(p)) {
                problem(
                        at,
                        key + " " + p
                                + " does not exist; give a PEM file's path, or env:NAME (PEM in the environment)");
                return null;
            }
            return new Located<>(p.toString(), at);
        }

        private void checkCombinations() {
            checkHttps();
            if (main != null && main.kind() != EntryPoint.Kind.HTTP) {
                for (var v : new Located<?>[] {httpPort, httpAddress}) {
                    if (v != null) {
                        warnings.add(new Problem(
                                v.at(),
                                (v == httpPort ? "http-port" : "http-address") + " has no effect with "
                                        + main.kind().key() + " (only main-http runs Mirari's HTTP server)"));
                    }
                }
            }
            if (ipUseDhcp != null && ipUseDhcp.value()) {
                for (var v : List.of(
                        Optional.ofNullable(ipAddress),
                        Optional.ofNullable(ipNetmask),
                        Optional.ofNullable(ipGateway))) {
                    v.ifPresent(l -> warnings.add(new Problem(
                            l.at(), "static address ignored because ip-use-dhcp is true (at " + ipUseDhcp.at() + ")")));
                }
            }
        }

        private void value(Key key, ConfLines.Line line) {
            var v = line.value();
            var at = line.valueAt();
            switch (key) {
                case NAME -> {
                    if (APP_NAME.matcher(v).matches()) name = new Located<>(v, at);
                    else
                        problem(
                                at,
                                "name \"" + q(v)
                                        + "\" is not a valid app name; use lowercase letters, digits, ., _ and - (it names the launcher mir-<name>), e.g. my-app");
                }
                case MAIN_HTTP, MAIN_IP, MAIN_NOIP -> mainKey(key, line);
                case IP_USE_DHCP -> {
                    switch (v) {
                        case "true" -> ipUseDhcp = new Located<>(true, at);
                        case "false" -> ipUseDhcp = new Located<>(false, at);
                        default -> problem(at, "ip-use-dhcp \"" + q(v) + "\" is not true or false; use true or false");
                    }
                }
                case IP_ADDRESS -> ipAddress = address("ip-address", v, at, "10.0.0.2");
                case IP_GATEWAY -> ipGateway = address("ip-gateway", v, at, "10.0.0.1");
                case DNS -> dns = address("dns", v, at, "10.0.0.1");
                case IP_NETMASK -> {
                    var mask = address("ip-netmask", v, at, "255.255.255.0");
                    if (mask != null && !mask.value().isNetmask()) {
                        problem(
                                at,
                                "ip-netmask " + v
                                        + " is not a netmask (its ones are not contiguous); use one such as 255.255.255.0");
                    } else {
                        ipNetmask = mask;
                    }
                }
                case HTTP_PORT -> httpPort = port("http-port", v, at);
                case HTTP_ADDRESS -> {
                    if (v.equals("*") || Ipv4.parse(v).isPresent()) httpAddress = new Located<>(v, at);
                    else
                        problem(
                                at,
                                "http-address \"" + q(v)
                                        + "\" is not an IPv4 address or *; use * (all addresses) or one such as 127.0.0.1");
                }
                case HTTPS_PORT -> httpsPort = port("https-port", v, at);
                case TLS_CERTIFICATE -> tlsCertificate = pem("tls-certificate", v, at);
                case TLS_KEY -> tlsKey = pem("tls-key", v, at);
                case HTTP_REDIRECT -> {
                    if (v.equals("https")) httpRedirect = new Located<>(v, at);
                    else
                        problem(
                                at,
                                "http-redirect \"" + q(v)
                                        + "\" is not https; use http-redirect: https (308 from HTTP to HTTPS)");
                }
                case FS -> store(line);
                case LINKS_OUTSIDE ->
                    forEachItem(line, (item, itemAt) -> linksOutside.add(new Located<>(item, itemAt)));
                case PACKAGES -> forEachItem(line, this::coordinate);
                case DEPENDS -> forEachItem(line, (item, itemAt) -> pendingDepends.add(new Located<>(item, itemAt)));
                case COMPILER -> compiler(v, at);
                case JVM_OPTIONS -> jvmOptions(v, at);
                case VM_MEMORY -> vmMemory(v, at);
                case VM_KERNEL -> {
                    var p = path("vm-kernel", v, at);
                    if (p == null) return;
                    if (Files.isRegularFile(p)) vmKernel = new Located<>(p, at);
                    else
                        problem(
                                at,
                                "vm-kernel \"" + q(v) + "\" is not a file (looked for " + p
                                        + "); give the path of a Linux kernel image (bzImage or vmlinux)");
                }
                case SNAPSHOT -> {
                    var mode = SnapshotMode.parse(v);
                    if (mode.isPresent()) snapshot = new Located<>(mode.get(), at);
                    else problem(at, "snapshot \"" + q(v) + "\" is not a mode; use auto, off or refresh");
                }
                case XL -> xl(line);
            }
        }

        private void mainKey(Key key, ConfLines.Line line) {
            var v = line.value();
            var at = line.valueAt();
            if (main != null) {
                problem(
                        line.keyAt(),
                        line.key() + " and " + main.kind().key() + " (at " + main.at()
                                + ") are both given; keep exactly one main-* key");
                return;
            }
            var kind =
                    switch (key) {
                        case MAIN_IP -> EntryPoint.Kind.IP;
                        case MAIN_NOIP -> EntryPoint.Kind.NOIP;
                        default -> EntryPoint.Kind.HTTP;
                    };
            int dot = v.lastIndexOf('.');
            boolean ok = dot > 0
                    && dot < v.length() - 1
                    && SourceVersion.isName(v.substring(0, dot))
                    && SourceVersion.isIdentifier(v.substring(dot + 1))
                    && !SourceVersion.isKeyword(v.substring(dot + 1));
            if (!ok) {
                problem(
                        at,
                        line.key() + " \"" + q(v) + "\" is not Class.method; name a static method, e.g. " + line.key()
                                + ": Dispatch.main");
                return;
            }
            main = new EntryPoint(kind, v.substring(0, dot), v.substring(dot + 1), at);
        }

        private Located<Ipv4> address(String key, String v, Position at, String example) {
            var ip = Ipv4.parse(v);
            if (ip.isEmpty()) {
                problem(at, key + " \"" + q(v) + "\" is not an IPv4 address; use four numbers 0-255, e.g. " + example);
                return null;
            }
            return new Located<>(ip.get(), at);
        }

        private Located<Integer> port(String key, String v, Position at) {
            if (v.isEmpty() || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                problem(at, key + " \"" + q(v) + "\" is not a number; use 1-65535");
                return null;
            }
            if (v.length() > 5 || Integer.parseInt(v) < 1 || Integer.parseInt(v) > 65535) {
                problem(at, key + " " + q(v) + " is out of range; use 1-65535");
                return null;
            }
            return new Located<>(Integer.parseInt(v), at);
        }

        private Path path(String key, String v, Position at) {
            try {
                boolean tilde = v.equals("~") || v.startsWith("~/");
                if (tilde && userHome.isEmpty()) {
                    problem(
                            at,
                            key + " \"" + q(v)
                                    + "\" names the home directory, which is unknown here; give the path in full");
                    return null;
                }
                var expanded = tilde ? userHome.get().resolve(v.substring(Math.min(2, v.length()))) : Path.of(v);
                return file.getParent().resolve(expanded).normalize();
            } catch (InvalidPathException e) {
                problem(
                        at,
                        key + " \"" + q(v) + "\" is not a valid path; give a path relative to " + shownAs
                                + "'s directory or an absolute one");
                return null;
            }
        }

        private void applyLinksOutside() {
            for (var named : linksOutside) {
                int i = 0;
                while (i < stores.size() && !stores.get(i).name().equals(named.value())) i++;
                if (i < stores.size()) {
                    var st = stores.get(i);
                    stores.set(i, new Store(st.name(), st.dir(), st.at(), true));
                } else if (seen.keySet().stream().noneMatch(k -> k.equals(Key.FS.spelling() + named.value()))) {
                    // (a store whose fs- line has its own problem is not reported twice)
                    problem(
                            named.at(),
                            "links-outside names \"" + q(named.value()) + "\", which no fs-* key defines; name a store"
                                    + (stores.isEmpty()
                                            ? " (add an fs-<name>: <dir> key)"
                                            : " such as " + stores.getFirst().name()));
                }
            }
        }

        private void store(ConfLines.Line line) {
            var storeName = line.key().substring(Key.FS.spelling().length());
            if (!STORE_NAME.matcher(storeName).matches()) {
                problem(
                        line.keyAt(),
                        "store name \"" + q(storeName) + "\" in " + q(line.key())
                                + " is not valid; use letters, digits, _ and - (e.g. fs-static)");
                return;
            }
            var p = path(line.key(), line.value(), line.valueAt());
            if (p == null) return;
            if (!Files.exists(p)) {
                problem(
                        line.valueAt(),
                        line.key() + " \"" + q(line.value()) + "\" does not exist (looked for " + p
                                + "); create the directory or fix the path");
            } else if (!Files.isDirectory(p)) {
                problem(
                        line.valueAt(),
                        line.key() + " \"" + q(line.value()) + "\" is not a directory (" + p
                                + "); name a directory whose files become the store");
            } else {
                stores.add(new Store(storeName, p, line.valueAt()));
            }
        }

        private void forEachItem(ConfLines.Line line, java.util.function.BiConsumer<String, Position> each) {
            var v = line.value();
            int i = 0;
            while (i <= v.length()) {
                int comma = v.indexOf(',', i);
                int end = comma < 0 ? v.length() : comma;
                int s = ConfLines.skipBlanks(v, i);
                int e = end;
                while (e > s && ConfLines.isBlank(v.charAt(e - 1))) e--;
                if (s < e) {
                    each.accept(v.substring(s, e), line.valueAt().plus(s));
                } else if (comma >= 0 || !v.isEmpty()) {
                    problem(
                            line.valueAt().plus(s),
                            line.key() + " has an empty item; separate items with single commas");
                }
                if (comma < 0) break;
                i = comma + 1;
            }
        }

        private void coordinate(String item, Position at) {
            var parts = item.split(":", -1);
            if (parts.length == 1) {
                problem(
                        at,
                        "packages \"" + q(item)
                                + "\" is not a Maven coordinate (an OPAM package name?); use group:artifact:version, e.g. com.google.code.gson:gson:2.13.1");
            } else if (parts.length == 2
                    && COORDINATE_PART.matcher(parts[0]).matches()
                    && COORDINATE_PART.matcher(parts[1]).matches()) {
                problem(
                        at,
                        "packages \"" + q(item) + "\" has no version; use group:artifact:version, e.g. " + q(item)
                                + ":1.0");
            } else if (parts.length != 3
                    || !COORDINATE_PART.matcher(parts[0]).matches()
                    || !COORDINATE_PART.matcher(parts[1]).matches()
                    || !VERSION.matcher(parts[2]).matches()) {
                problem(
                        at,
                        "packages \"" + q(item)
                                + "\" is not group:artifact:version; use letters, digits, ., _ and - in each part, e.g. com.google.code.gson:gson:2.13.1");
            } else {
                packages.add(new Located<>(new Coordinate(parts[0], parts[1], parts[2]), at));
            }
        }

        private void module(String item, Position at) {
            var modules = jdkModules(compiler);
            // "-java.desktop" removes a module the VM image's analysis would add (see the README's depends).
            String name = item.startsWith("-") ? item.substring(1) : item;
            if (modules.contains(name)) {
                depends.add(new Located<>(item, at));
                return;
            }
            var hint = Suggest.closest(name, modules)
                    .map(s -> "did you mean " + s + "?")
                    .orElse(
                            "list Java modules of the JDK such as java.sql or jdk.httpserver (an ocamlfind library is not one; libraries go in packages as group:artifact:version)");
            problem(at, "depends \"" + q(item) + "\" is not a module of the JDK; " + hint);
        }

        private void compiler(String v, Position at) {
            String base = v;
            Optional<Target> target = Optional.empty();
            int plus = v.lastIndexOf('+');
            if (plus >= 0 && v.substring(plus + 1).matches("[A-Za-z][A-Za-z-]*")) {
                base = v.substring(0, plus);
                var t = v.substring(plus + 1);
                if (!base.isEmpty() && OCAML_VERSION.matcher(base).matches() && !base.matches("[0-9]+")) {
                    var suggestion = "25" + (t.contains("xen") ? "+xen" : t.contains("unix") ? "+unix" : "");
                    problem(
                            at,
                            "compiler \"" + q(v)
                                    + "\" is an OPAM compiler switch; name a JDK instead: a feature version or a JDK home, with +<target> to fix the target, e.g. compiler: "
                                    + suggestion);
                    return;
                }
                target = Target.fromName(t);
                if (target.isEmpty()) {
                    problem(
                            at.plus(plus + 1),
                            "compiler target \"" + q(t) + "\" is unknown; use " + Target.plusNames());
                    return;
                }
            }
            if (base.isEmpty()) {
                compiler = new CompilerSpec(Optional.empty(), Optional.empty(), target, at);
            } else if (base.matches("[0-9]{1,4}")) {
                int feature = Integer.parseInt(base);
                if (feature < MIN_JDK) {
                    problem(
                            at,
                            "compiler " + base + " is too old; Mirari apps need JDK " + MIN_JDK
                                    + " or newer, e.g. compiler: " + MIN_JDK);
                    return;
                }
                compiler = new CompilerSpec(Optional.of(feature), Optional.empty(), target, at);
            } else if (base.startsWith("/") || base.startsWith(".") || base.startsWith("~")) {
                var home = path("compiler", base, at);
                if (home == null) return;
                if (!Files.isRegularFile(home.resolve("bin/javac"))) {
                    problem(
                            at,
                            "compiler \"" + q(base) + "\" is not a JDK home (no bin/javac in " + home
                                    + "); give a JDK home or a feature version such as " + MIN_JDK);
                    return;
                }
                compiler = new CompilerSpec(Optional.empty(), Optional.of(home), target, at);
            } else if (OCAML_VERSION.matcher(base).matches()) {
                problem(
                        at,
                        "compiler \"" + q(v)
                                + "\" is an OPAM compiler version; name a JDK instead: a feature version or a JDK home, e.g. compiler: "
                                + MIN_JDK);
            } else {
                problem(
                        at,
                        "compiler \"" + q(v) + "\" is neither a JDK feature version nor a JDK home; use e.g. compiler: "
                                + MIN_JDK + ", compiler: /usr/lib/jvm/jdk-" + MIN_JDK + " or compiler: " + MIN_JDK
                                + "+qemu");
            }
        }

        private void jvmOptions(String v, Position at) {
            int i = 0;
            while (i < v.length()) {
                int s = ConfLines.skipBlanks(v, i);
                if (s >= v.length()) break;
                int e = s;
                while (e < v.length() && !ConfLines.isBlank(v.charAt(e))) e++;
                var option = v.substring(s, e);
                if (option.startsWith("-") && option.length() > 1) {
                    jvmOptions.add(new Located<>(option, at.plus(s)));
                } else {
                    problem(
                            at.plus(s),
                            "jvm-options \"" + q(option)
                                    + "\" is not a JVM option; options start with -, e.g. -Xmx64m");
                }
                i = e;
            }
        }

        private void vmMemory(String v, Position at) {
            var m = SIZE.matcher(v);
            if (!m.matches()) {
                problem(at, "vm-memory \"" + q(v) + "\" is not a size; use MiB (256) or a unit (256M, 1G)");
                return;
            }
            long mib = Long.parseLong(m.group(1)) * (m.group(2).equalsIgnoreCase("g") ? 1024 : 1);
            if (mib < 64 || mib > 1 << 20) {
                problem(at, "vm-memory " + v + " is out of range; use 64M to 1024G (a JVM needs at least 64 MiB)");
                return;
            }
            vmMemory = new Located<>((int) mib, at);
        }

        private void xl(ConfLines.Line line) {
            var key = line.key().substring(Key.XL.spelling().length());
            var v = line.value();
            if (!XL_KEY.matcher(key).matches()) {
                problem(
                        line.keyAt(),
                        "xl parameter \"" + q(key)
                                + "\" is not valid; xl keys are lowercase letters, digits and _ (e.g. xl-on_crash)");
                return;
            }
            XlParam.Value value;
            if (v.startsWith("[")) {
                if (!v.endsWith("]") || v.length() < 2) {
                    problem(
                            line.valueAt(),
                            line.key() + " \"" + q(v) + "\" has no closing ]; write " + line.key()
                                    + ": [ 'item', 'item' ]");
                    return;
                }
                var items = new ArrayList<String>();
                var inner = v.substring(1, v.length() - 1);
                if (!inner.isBlank()) {
                    for (var item : inner.split(",", -1)) items.add(unquote(item.strip()));
                }
                value = new XlParam.Items(items);
            } else if (v.matches("[0-9]{1,18}")) {
                value = new XlParam.Number(Long.parseLong(v));
            } else {
                value = new XlParam.Text(unquote(v));
            }
            xl.add(new XlParam(key, value, line.valueAt()));
        }

        private void problem(Position at, String message) {
            problems.add(new Problem(at, message));
        }
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static String q(String s) {
        return ConfLines.shorten(s);
    }

    /** The running JDK's modules, computed once: the default for {@code depends}. */
    private static final class RunningJdk {
        static final Set<String> MODULES = ModuleFinder.ofSystem().findAll().stream()
                .map(ModuleReference::descriptor)
                .map(d -> d.name())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static final Pattern RELEASE_MODULES = Pattern.compile("(?m)^MODULES=\"([^\"]*)\"");

    /**
     * The module names of the JDK apps are linked from: those listed in the {@code release} file
     * of the JDK named by {@code compiler} when it is a path, else the running JDK's.
     */
    private static Set<String> jdkModules(CompilerSpec compiler) {
        if (compiler != null && compiler.home().isPresent()) {
            try {
                var m = RELEASE_MODULES.matcher(
                        Files.readString(compiler.home().get().resolve("release")));
                if (m.find()) return new TreeSet<>(List.of(m.group(1).trim().split("\\s+")));
            } catch (IOException | RuntimeException e) {
                // no readable release file: fall back to the running JDK's modules
            }
        }
        return RunningJdk.MODULES;
    }
}
