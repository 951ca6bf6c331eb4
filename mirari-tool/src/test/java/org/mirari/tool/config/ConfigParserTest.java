package org.mirari.tool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.targets.Target;

class ConfigParserTest {
    @TempDir
    Path tmp;

    Path appDir;

    @BeforeEach
    void layout() throws IOException {
        appDir = Files.createDirectories(tmp.resolve("app"));
        Files.createDirectories(tmp.resolve("files"));
        Files.createDirectories(tmp.resolve("tmpl"));
        Files.createDirectories(appDir.resolve("static"));
    }

    Config parse(String text, String... sets) {
        return new ConfigParser(appDir.resolve("app.conf"), "app.conf")
                .parse(text.getBytes(StandardCharsets.UTF_8), List.of(sets));
    }

    List<String> problems(String text, String... sets) {
        try {
            parse(text, sets);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a ConfigException");
    }

    static String seed() throws IOException {
        try (InputStream in = ConfigParserTest.class.getResourceAsStream("seed-app.conf")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void seedConfParsesVerbatimAndReportsEveryOcamlOnlyValueAtOnce() throws IOException {
        assertThat(problems(seed()))
                .containsExactly(
                        "app.conf:42:10: depends \"cohttp.syntax\" is not a module of the JDK; list Java modules of the JDK such as java.sql or jdk.httpserver (an ocamlfind library is not one; libraries go in packages as group:artifact:version)",
                        "app.conf:42:25: depends \"uri\" is not a module of the JDK; list Java modules of the JDK such as java.sql or jdk.httpserver (an ocamlfind library is not one; libraries go in packages as group:artifact:version)",
                        "app.conf:42:30: depends \"re\" is not a module of the JDK; list Java modules of the JDK such as java.sql or jdk.httpserver (an ocamlfind library is not one; libraries go in packages as group:artifact:version)",
                        "app.conf:42:34: depends \"cow.syntax\" is not a module of the JDK; list Java modules of the JDK such as java.sql or jdk.httpserver (an ocamlfind library is not one; libraries go in packages as group:artifact:version)",
                        "app.conf:43:11: packages \"mirage-net\" is not a Maven coordinate (an OPAM package name?); use group:artifact:version, e.g. com.google.code.gson:gson:2.13.1",
                        "app.conf:43:23: packages \"cow\" is not a Maven coordinate (an OPAM package name?); use group:artifact:version, e.g. com.google.code.gson:gson:2.13.1",
                        "app.conf:48:11: compiler \"4.01.0dev+mirage-xen\" is an OPAM compiler switch; name a JDK instead: a feature version or a JDK home, with +<target> to fix the target, e.g. compiler: 25+xen");
    }

    @Test
    void seedConfWithJavaValuesParsesIntoPositionedRecords() throws IOException {
        var text = seed().replace("depends: cohttp.syntax, uri, re, cow.syntax", "depends: java.sql, jdk.httpserver")
                .replace("packages: mirage-net, cow", "packages: com.google.code.gson:gson:2.13.1")
                .replace("compiler: 4.01.0dev+mirage-xen", "compiler: 25+xen");
        var c = parse(text);
        assertThat(c.name()).isEqualTo(new Located<>("app", new Position("app.conf", 1, 1)));
        assertThat(c.ipUseDhcp()).contains(new Located<>(true, new Position("app.conf", 5, 14)));
        assertThat(c.stores())
                .containsExactly(
                        new Store("static", tmp.resolve("files"), new Position("app.conf", 22, 12)),
                        new Store("template", tmp.resolve("tmpl"), new Position("app.conf", 23, 14)));
        assertThat(c.httpPort()).contains(new Located<>(80, new Position("app.conf", 26, 12)));
        assertThat(c.httpAddress()).contains(new Located<>("*", new Position("app.conf", 27, 15)));
        assertThat(c.main())
                .isEqualTo(new EntryPoint(EntryPoint.Kind.HTTP, "Dispatch", "main", new Position("app.conf", 32, 12)));
        assertThat(c.depends())
                .containsExactly(
                        new Located<>("java.sql", new Position("app.conf", 42, 10)),
                        new Located<>("jdk.httpserver", new Position("app.conf", 42, 20)));
        assertThat(c.packages())
                .containsExactly(new Located<>(
                        new Coordinate("com.google.code.gson", "gson", "2.13.1"), new Position("app.conf", 43, 11)));
        assertThat(c.compiler())
                .contains(new CompilerSpec(
                        Optional.of(25), Optional.empty(), Optional.of(Target.XEN), new Position("app.conf", 48, 11)));
        assertThat(c.xl())
                .containsExactly(
                        new XlParam("memory", new XlParam.Number(32), new Position("app.conf", 53, 12)),
                        new XlParam("on_crash", new XlParam.Text("preserve"), new Position("app.conf", 54, 14)),
                        new XlParam(
                                "vif",
                                new XlParam.Items(List.of("mac=00:16:3E:74:34:32")),
                                new Position("app.conf", 55, 9)));
        assertThat(c.warnings()).isEmpty();
        assertThat(c.bootDefaults())
                .containsExactly(
                        java.util.Map.entry("http-address", "*"), java.util.Map.entry("http-port", "80"),
                        java.util.Map.entry("ip-address", "10.0.0.2"), java.util.Map.entry("ip-gateway", "10.0.0.1"),
                        java.util.Map.entry("ip-netmask", "255.255.255.0"), java.util.Map.entry("ip-use-dhcp", "true"));
    }

    @Test
    void defaultsWhenKeysAreAbsent() {
        var c = parse("main-noip: Noip.main\n");
        assertThat(c.bootDefaults())
                .containsExactly(
                        java.util.Map.entry("http-address", "*"), java.util.Map.entry("http-port", "8080"),
                        java.util.Map.entry("ip-address", "10.0.0.2"), java.util.Map.entry("ip-gateway", "10.0.0.1"),
                        java.util.Map.entry("ip-netmask", "255.255.255.0"),
                                java.util.Map.entry("ip-use-dhcp", "false"));
        assertThat(c.effectiveVmMemoryMib()).isEqualTo(128);
        assertThat(c.stores()).isEmpty();
        assertThat(c.compiler()).isEmpty();
    }

    // --- line syntax and edge cases ---

    @Test
    void crlfTabsTrailingBlanksBomAndNoFinalNewline() {
        var c = parse("\uFEFF# c\r\n\tmain-http:\tHello.main  \r\nhttp-port:   9090\t \r\n\r\nhttp-address: 127.0.0.1");
        assertThat(c.main())
                .isEqualTo(new EntryPoint(EntryPoint.Kind.HTTP, "Hello", "main", new Position("app.conf", 2, 13)));
        assertThat(c.httpPort()).contains(new Located<>(9090, new Position("app.conf", 3, 14)));
        assertThat(c.httpAddress()).contains(new Located<>("127.0.0.1", new Position("app.conf", 5, 15)));
    }

    @Test
    void oldMacLineEndsCount() {
        var c = parse("# c\rmain-http: Hello.main\rhttp-port: 1\r");
        assertThat(c.httpPort()).contains(new Located<>(1, new Position("app.conf", 3, 12)));
    }

    @Test
    void emptyFileNeedsAMainKey() {
        assertThat(problems(""))
                .containsExactly(
                        "app.conf: no main-* key; add exactly one of main-http, main-ip or main-noip (e.g. main-http: Dispatch.main)");
        assertThat(problems("\uFEFF\n\n# only comments\n")).hasSize(1);
    }

    @Test
    void aLineWithoutColonOrWithABadKey() {
        assertThat(problems("main-http: A.b\nhello world\nbad key: 1\n"))
                .containsExactly(
                        "app.conf:2:1: \"hello world\" is not a key: value line; write key: value, or start a comment with #",
                        "app.conf:3:1: \"bad key\" is not a key; keys are letters, digits, - and _ (e.g. http-port)");
    }

    @Test
    void notUtf8() {
        assertThatThrownBy(() -> new ConfigParser(appDir.resolve("app.conf"), "app.conf")
                        .parse(new byte[] {'a', (byte) 0xff}, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("app.conf: is not UTF-8 text; save it as UTF-8");
    }

    @Test
    void aOneMegabyteFileParses() {
        var b = new StringBuilder("main-http: Hello.main\n");
        int lines = 0;
        while (b.length() < 1 << 20) {
            b.append("# padding comment line number ").append(lines++).append(" of a large config file\n");
            if (lines % 1000 == 0) b.append("jvm-options: -Dline").append(lines).append("=x\n");
        }
        b.append("http-port: 8081\n");
        long t0 = System.nanoTime();
        var c = parse(b.toString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(c.httpPort().orElseThrow().value()).isEqualTo(8081);
        assertThat(c.jvmOptions()).hasSize(lines / 1000);
        assertThat(ms).as("parse time of 1 MB in ms").isLessThan(5_000);
    }

    // --- each key ---

    @Test
    void ports() {
        assertThat(problems("main-http: A.b\nhttp-port: 8o\n"))
                .containsExactly("app.conf:2:12: http-port \"8o\" is not a number; use 1-65535");
        assertThat(problems("main-http: A.b\nhttp-port: 0\n"))
                .containsExactly("app.conf:2:12: http-port 0 is out of range; use 1-65535");
        assertThat(problems("main-http: A.b\nhttp-port: 65536\n"))
                .containsExactly("app.conf:2:12: http-port 65536 is out of range; use 1-65535");
        assertThat(problems("main-http: A.b\nhttp-port: 99999999999999999999\n"))
                .containsExactly("app.conf:2:12: http-port 99999999999999999999 is out of range; use 1-65535");
        assertThat(problems("main-http: A.b\nhttp-port: -1\n"))
                .containsExactly("app.conf:2:12: http-port \"-1\" is not a number; use 1-65535");
        assertThat(parse("main-http: A.b\nhttp-port: 65535\n").effectiveHttpPort())
                .isEqualTo(65535);
    }

    @Test
    void theSnapshotModeIsOneOfThree() {
        assertThat(parse("main-http: A.b\nsnapshot: refresh\n")
                        .snapshot()
                        .orElseThrow()
                        .value())
                .isEqualTo(SnapshotMode.REFRESH);
        assertThat(parse("main-http: A.b\n").snapshot()).isEmpty();
        assertThat(problems("main-http: A.b\nsnapshot: Off\n"))
                .containsExactly("app.conf:2:11: snapshot \"Off\" is not a mode; use auto, off or refresh");
    }

    @Test
    void addressesAndNetmasks() {
        var c = parse(
                "main-ip: Ping.main\nip-address: 192.168.1.20\nip-netmask: 255.255.0.0\nip-gateway: 192.168.1.1\n");
        assertThat(c.bootDefaults())
                .containsEntry("ip-address", "192.168.1.20")
                .containsEntry("ip-netmask", "255.255.0.0")
                .containsEntry("ip-gateway", "192.168.1.1");
        assertThat(c.ipNetmask().orElseThrow().value().prefixLength()).isEqualTo(16);
        assertThat(
                        problems(
                                "main-ip: Ping.main\nip-address: 10.0.0.256\nip-netmask: 255.0.255.0\nip-gateway: 10.0.01.1\nhttp-address: localhost\n"))
                .containsExactly(
                        "app.conf:2:13: ip-address \"10.0.0.256\" is not an IPv4 address; use four numbers 0-255, e.g. 10.0.0.2",
                        "app.conf:3:13: ip-netmask 255.0.255.0 is not a netmask (its ones are not contiguous); use one such as 255.255.255.0",
                        "app.conf:4:13: ip-gateway \"10.0.01.1\" is not an IPv4 address; use four numbers 0-255, e.g. 10.0.0.1",
                        "app.conf:5:15: http-address \"localhost\" is not an IPv4 address or *; use * (all addresses) or one such as 127.0.0.1");
        assertThat(parse("main-ip: P.m\nip-netmask: 0.0.0.0\n").ipNetmask()).isPresent();
        assertThat(parse("main-ip: P.m\nip-netmask: 255.255.255.255\n").ipNetmask())
                .isPresent();
    }

    @Test
    void dnsIsABootTimeAddressPassedOnlyWhenSet() {
        assertThat(parse("main-ip: P.m\ndns: 10.0.0.53\n").bootDefaults()).containsEntry("dns", "10.0.0.53");
        assertThat(parse("main-ip: P.m\n").bootDefaults()).doesNotContainKey("dns");
        assertThat(Config.BOOT_KEYS).contains("dns");
        assertThat(problems("main-ip: P.m\ndns: ns1.example\n"))
                .containsExactly(
                        "app.conf:2:6: dns \"ns1.example\" is not an IPv4 address; use four numbers 0-255, e.g. 10.0.0.1");
    }

    @Test
    void httpsKeysAreBootTimeAndASelfSignedCertificateIsTheDefault() throws IOException {
        assertThat(parse("main-http: D.m\n").bootDefaults()).doesNotContainKeys("https-port", "tls-certificate");
        var c = parse("main-http: D.m\nhttps-port: 8443\nhttp-redirect: https\n");
        assertThat(c.https().selfSigned()).isTrue();
        assertThat(c.bootDefaults())
                .containsEntry("https-port", "8443")
                .containsEntry("http-redirect", "https")
                .containsEntry(
                        "tls-certificate", appDir.resolve(".mirari/tls/app.crt").toString())
                .containsEntry("tls-key", appDir.resolve(".mirari/tls/app.key").toString());
        Files.writeString(appDir.resolve("c.pem"), "x");
        Files.writeString(appDir.resolve("k.pem"), "x");
        var given = parse("main-http: D.m\nhttps-port: 443\ntls-certificate: c.pem\ntls-key: env:TLS_KEY\n");
        assertThat(given.https().selfSigned()).isFalse();
        assertThat(given.bootDefaults())
                .containsEntry("tls-certificate", appDir.resolve("c.pem").toString())
                .containsEntry("tls-key", "env:TLS_KEY");
        assertThat(Config.BOOT_KEYS).contains("https-port", "tls-certificate", "tls-key", "http-redirect");
        assertThat(parse("main-http: D.m\n", "https-port=9443")
                        .https()
                        .port()
                        .orElseThrow()
                        .value())
                .isEqualTo(9443);
    }

    @Test
    void httpsMistakesSayWhatToDo() {
        assertThat(problems("main-http: D.m\nhttps-port: 8080\n"))
                .containsExactly(
                        "app.conf:2:13: https-port 8080 is the http-port too; use another, e.g. https-port: 8443");
        assertThat(problems("main-http: D.m\ntls-key: env:K\n"))
                .containsExactly("app.conf:2:10: tls-key needs https-port; add one, e.g. https-port: 8443");
        assertThat(problems("main-http: D.m\nhttps-port: 8443\ntls-certificate: missing.pem\ntls-key: env:K\n"))
                .containsExactly("app.conf:3:18: tls-certificate " + appDir.resolve("missing.pem")
                        + " does not exist; give a PEM file's path, or env:NAME (PEM in the environment)");
        assertThat(problems("main-http: D.m\nhttps-port: 8443\ntls-certificate: env:C\n"))
                .containsExactly(
                        "app.conf:3:1: tls-certificate is given without tls-key; give both, or neither for a self-signed certificate made at configure");
        assertThat(problems("main-http: D.m\nhttps-port: 8443\nhttp-redirect: yes\n"))
                .containsExactly(
                        "app.conf:3:16: http-redirect \"yes\" is not https; use http-redirect: https (308 from HTTP to HTTPS)");
        assertThat(problems("main-http: D.m\nhttps-port: 8443\ntls-certificate: env:1x\ntls-key: env:K\n"))
                .containsExactly(
                        "app.conf:3:18: tls-certificate \"env:1x\" names no environment variable; use env:NAME, e.g. env:TLS_CERT");
    }

    @Test
    void dhcp() {
        assertThat(parse("main-ip: P.m\nip-use-dhcp: false\n").effectiveIpUseDhcp())
                .isFalse();
        assertThat(problems("main-ip: P.m\nip-use-dhcp: yes\n"))
                .containsExactly("app.conf:2:14: ip-use-dhcp \"yes\" is not true or false; use true or false");
        assertThat(parse("main-ip: P.m\nip-use-dhcp: true\nip-address: 10.1.1.1\n")
                        .warnings())
                .containsExactly(
                        "app.conf:3:13: static address ignored because ip-use-dhcp is true (at app.conf:2:14)");
    }

    @Test
    void mainKeys() {
        assertThat(parse("main-ip: com.acme.Ping.main\n").main())
                .isEqualTo(
                        new EntryPoint(EntryPoint.Kind.IP, "com.acme.Ping", "main", new Position("app.conf", 1, 10)));
        assertThat(parse("main-noip: Noip.run\n").main().kind()).isEqualTo(EntryPoint.Kind.NOIP);
        assertThat(problems("main-http: Dispatch\n"))
                .containsExactly(
                        "app.conf:1:12: main-http \"Dispatch\" is not Class.method; name a static method, e.g. main-http: Dispatch.main");
        assertThat(problems("main-http: Dispatch.class\n"))
                .containsExactly(
                        "app.conf:1:12: main-http \"Dispatch.class\" is not Class.method; name a static method, e.g. main-http: Dispatch.main");
        assertThat(problems("main-http: 1x.main\n"))
                .containsExactly(
                        "app.conf:1:12: main-http \"1x.main\" is not Class.method; name a static method, e.g. main-http: Dispatch.main");
        assertThat(problems("main-http:\n"))
                .containsExactly("app.conf:1:11: main-http has no value; give one, or comment the line out with #");
        assertThat(problems("main-http: A.b\n\nmain-ip: C.d\n"))
                .containsExactly(
                        "app.conf:3:1: main-ip and main-http (at app.conf:1:12) are both given; keep exactly one main-* key");
        assertThat(parse("main-http: A.b\nhttp-port: 80\n").warnings()).isEmpty();
        assertThat(parse("main-noip: A.b\nhttp-port: 80\n").warnings())
                .containsExactly(
                        "app.conf:2:12: http-port has no effect with main-noip (only main-http runs Mirari's HTTP server)");
    }

    @Test
    void duplicatesNameBothLinesAndListKeysAccumulate() {
        assertThat(problems("main-http: A.b\nhttp-port: 80\n# x\nhttp-port: 81\n"))
                .containsExactly(
                        "app.conf:4:1: http-port is given twice (also at app.conf:2:1); keep one of the two lines");
        assertThat(problems("main-http: A.b\nmain-http: A.c\n"))
                .containsExactly(
                        "app.conf:2:1: main-http is given twice (also at app.conf:1:1); keep one of the two lines");
        var c = parse(
                "main-http: A.b\ndepends: java.sql\ndepends: java.xml, java.logging\njvm-options: -Xmx64m\njvm-options: -Da=b -XX:+UseSerialGC\n");
        assertThat(c.depends()).extracting(Located::value).containsExactly("java.sql", "java.xml", "java.logging");
        assertThat(c.jvmOptions())
                .containsExactly(
                        new Located<>("-Xmx64m", new Position("app.conf", 4, 14)),
                        new Located<>("-Da=b", new Position("app.conf", 5, 14)),
                        new Located<>("-XX:+UseSerialGC", new Position("app.conf", 5, 20)));
    }

    @Test
    void emptyValues() {
        assertThat(problems("main-http: A.b\nip-address:\n"))
                .containsExactly("app.conf:2:12: ip-address has no value; give one, or comment the line out with #");
        assertThat(parse("main-http: A.b\ndepends:\n").depends()).isEmpty();
        // A leading '-' removes a module from a VM image's runtime; the name must still be the JDK's.
        assertThat(parse("main-http: A.b\ndepends: -java.desktop, jdk.httpserver\n")
                        .depends())
                .extracting(Located::value)
                .containsExactly("-java.desktop", "jdk.httpserver");
        assertThat(problems("main-http: A.b\ndepends: -java.dektop\n"))
                .singleElement()
                .asString()
                .contains("depends \"-java.dektop\" is not a module of the JDK; did you mean java.desktop?");
        assertThat(problems("main-http: A.b\ndepends: java.sql,,java.xml\n"))
                .containsExactly("app.conf:2:19: depends has an empty item; separate items with single commas");
    }

    @Test
    void unknownKeysWarnWithASuggestion() {
        var c = parse("main-http: A.b\nhtp-port: 80\nzzz: 1\nfs_static: x\n");
        assertThat(c.warnings())
                .containsExactly(
                        "app.conf:2:1: unknown key \"htp-port\" (line ignored); did you mean http-port?",
                        "app.conf:3:1: unknown key \"zzz\" (line ignored); see the config reference in the README for the keys",
                        "app.conf:4:1: unknown key \"fs_static\" (line ignored); did you mean fs-static?");
        assertThat(c.httpPort()).isEmpty();
    }

    @Test
    void warningsAreKeptWhenThereAreErrors() {
        assertThatThrownBy(() -> parse("main-http: A.b\nhtp-port: 80\nhttp-port: x\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.warnings())
                            .containsExactly(
                                    "app.conf:2:1: unknown key \"htp-port\" (line ignored); did you mean http-port?");
                    assertThat(e.problems())
                            .containsExactly("app.conf:3:12: http-port \"x\" is not a number; use 1-65535");
                });
    }

    @Test
    void stores() throws IOException {
        Files.writeString(appDir.resolve("app.conf"), "");
        var c = parse("main-http: A.b\nfs-static: static\nfs-up: ../files/\n");
        assertThat(c.stores())
                .containsExactly(
                        new Store("static", appDir.resolve("static"), new Position("app.conf", 2, 12)),
                        new Store("up", tmp.resolve("files"), new Position("app.conf", 3, 8)));
        assertThat(problems("main-http: A.b\nfs-static: nope\nfs-conf: app.conf\nfs-a.b: static\n"))
                .containsExactly(
                        "app.conf:2:12: fs-static \"nope\" does not exist (looked for " + appDir.resolve("nope")
                                + "); create the directory or fix the path",
                        "app.conf:3:10: fs-conf \"app.conf\" is not a directory (" + appDir.resolve("app.conf")
                                + "); name a directory whose files become the store",
                        "app.conf:4:1: store name \"a.b\" in fs-a.b is not valid; use letters, digits, _ and - (e.g. fs-static)");
    }

    @Test
    void linksOutsideMarksTheStoresItNames() throws IOException {
        Files.createDirectories(appDir.resolve("static"));
        Files.createDirectories(tmp.resolve("files"));
        var c = parse("main-http: A.b\nfs-static: static\nfs-up: ../files/\nlinks-outside: up\n");
        assertThat(c.stores())
                .containsExactly(
                        new Store("static", appDir.resolve("static"), new Position("app.conf", 2, 12), false),
                        new Store("up", tmp.resolve("files"), new Position("app.conf", 3, 8), true));
        // From the command line too, and a list key: several lines accumulate.
        assertThat(parse("main-http: A.b\nfs-static: static\nfs-up: ../files/\n", "links-outside=static, up")
                        .stores())
                .allMatch(Store::linksOutside);
        assertThat(parse(
                                "main-http: A.b\nfs-static: static\nfs-up: ../files/\nlinks-outside: up\nlinks-outside: static\n")
                        .stores())
                .allMatch(Store::linksOutside);
        // A store whose fs- line is wrong is reported once, for that line.
        assertThat(problems("main-http: A.b\nfs-gone: nope\nlinks-outside: gone\n"))
                .containsExactly("app.conf:2:10: fs-gone \"nope\" does not exist (looked for " + appDir.resolve("nope")
                        + "); create the directory or fix the path");
        assertThat(problems("main-http: A.b\nlinks-outside: static\n"))
                .containsExactly(
                        "app.conf:2:16: links-outside names \"static\", which no fs-* key defines; name a store"
                                + " (add an fs-<name>: <dir> key)");
    }

    @Test
    void aTildePathIsUnderTheHomeTheContextGives() {
        var text = "main-http: A.b\nfs-home: ~/files\n";
        var c = new ConfigParser(appDir.resolve("app.conf"), "app.conf", Optional.of(tmp))
                .parse(text.getBytes(StandardCharsets.UTF_8), List.of());
        assertThat(c.stores())
                .containsExactly(new Store("home", tmp.resolve("files"), new Position("app.conf", 2, 10), false));
        assertThat(problems(text))
                .containsExactly(
                        "app.conf:2:10: fs-home \"~/files\" names the home directory, which is unknown here; give the path in full");
    }

    @Test
    void packages() {
        var c = parse("main-http: A.b\npackages: org.slf4j:slf4j-api:2.0.17 , com.x:y:1.0-SNAPSHOT\npackages: a:b:c\n");
        assertThat(c.packages())
                .extracting(l -> l.value().toString())
                .containsExactly("org.slf4j:slf4j-api:2.0.17", "com.x:y:1.0-SNAPSHOT", "a:b:c");
        assertThat(c.packages().get(1).at()).isEqualTo(new Position("app.conf", 2, 40));
        assertThat(problems("main-http: A.b\npackages: cow, org.x:y, a:b:c:d, a b:c:1\n"))
                .containsExactly(
                        "app.conf:2:11: packages \"cow\" is not a Maven coordinate (an OPAM package name?); use group:artifact:version, e.g. com.google.code.gson:gson:2.13.1",
                        "app.conf:2:16: packages \"org.x:y\" has no version; use group:artifact:version, e.g. org.x:y:1.0",
                        "app.conf:2:25: packages \"a:b:c:d\" is not group:artifact:version; use letters, digits, ., _ and - in each part, e.g. com.google.code.gson:gson:2.13.1",
                        "app.conf:2:34: packages \"a b:c:1\" is not group:artifact:version; use letters, digits, ., _ and - in each part, e.g. com.google.code.gson:gson:2.13.1");
    }

    @Test
    void depends() {
        assertThat(problems("main-http: A.b\ndepends: java.sq\n"))
                .containsExactly(
                        "app.conf:2:10: depends \"java.sq\" is not a module of the JDK; did you mean java.sql?");
    }

    @Test
    void compiler() throws IOException {
        assertThat(parse("main-http: A.b\ncompiler: 25\n")
                        .compiler()
                        .orElseThrow()
                        .feature())
                .contains(25);
        assertThat(parse("main-http: A.b\ncompiler: +qemu\n")
                        .compiler()
                        .orElseThrow()
                        .target())
                .contains(Target.QEMU);
        var jdk = Files.createDirectories(tmp.resolve("jdk/bin"));
        Files.writeString(jdk.resolve("javac"), "");
        var c = parse("main-http: A.b\ncompiler: ../jdk+unix\n").compiler().orElseThrow();
        assertThat(c.home()).contains(tmp.resolve("jdk"));
        assertThat(c.target()).contains(Target.UNIX);
        assertThat(problems("main-http: A.b\ncompiler: 17\ncompiler: 25+arm\n"))
                .containsExactly(
                        "app.conf:2:11: compiler 17 is too old; Mirari apps need JDK 25 or newer, e.g. compiler: 25",
                        "app.conf:3:1: compiler is given twice (also at app.conf:2:1); keep one of the two lines");
        assertThat(problems("main-http: A.b\ncompiler: 25+arm\n"))
                .containsExactly(
                        "app.conf:2:14: compiler target \"arm\" is unknown; use +socket, +unix, +qemu, +xen, +js, +ec2 or +oci");
        assertThat(problems("main-http: A.b\ncompiler: /nonexistent/jdk\n"))
                .containsExactly(
                        "app.conf:2:11: compiler \"/nonexistent/jdk\" is not a JDK home (no bin/javac in /nonexistent/jdk); give a JDK home or a feature version such as 25");
        assertThat(problems("main-http: A.b\ncompiler: 4.01.0\n"))
                .containsExactly(
                        "app.conf:2:11: compiler \"4.01.0\" is an OPAM compiler version; name a JDK instead: a feature version or a JDK home, e.g. compiler: 25");
        assertThat(problems("main-http: A.b\ncompiler: latest\n"))
                .containsExactly(
                        "app.conf:2:11: compiler \"latest\" is neither a JDK feature version nor a JDK home; use e.g. compiler: 25, compiler: /usr/lib/jvm/jdk-25 or compiler: 25+qemu");
    }

    @Test
    void dependsAreModulesOfTheJdkThatCompilerNames() throws IOException {
        var jdk = Files.createDirectories(tmp.resolve("jdk/bin"));
        Files.writeString(jdk.resolve("javac"), "");
        Files.writeString(tmp.resolve("jdk/release"), "JAVA_VERSION=\"26\"\nMODULES=\"java.base jdk.special\"\n");
        // depends comes before compiler: checked once every line is read
        assertThat(problems("main-http: A.b\ndepends: jdk.special, java.sql\ncompiler: ../jdk\n"))
                .containsExactly(
                        "app.conf:2:23: depends \"java.sql\" is not a module of the JDK; list Java modules of the JDK such as java.sql or jdk.httpserver (an ocamlfind library is not one; libraries go in packages as group:artifact:version)");
        assertThat(problems("main-http: A.b\ndepends: jdk.special\n")).hasSize(1);
    }

    @Test
    void newKeys() throws IOException {
        Files.writeString(appDir.resolve("vmlinuz"), "kernel");
        var c = parse("main-http: A.b\nname: shop-1\nvm-memory: 1G\nvm-kernel: vmlinuz\njvm-options: -Xss1m\n");
        assertThat(c.name().value()).isEqualTo("shop-1");
        assertThat(c.effectiveVmMemoryMib()).isEqualTo(1024);
        assertThat(c.vmKernel().orElseThrow().value()).isEqualTo(appDir.resolve("vmlinuz"));
        assertThat(parse("main-http: A.b\nvm-memory: 300M\n").effectiveVmMemoryMib())
                .isEqualTo(300);
        assertThat(problems(
                        "main-http: A.b\nname: My App\nvm-memory: lots\nvm-kernel: none\njvm-options: -Xmx1g Xss1m\n"))
                .containsExactly(
                        "app.conf:2:7: name \"My App\" is not a valid app name; use lowercase letters, digits, ., _ and - (it names the launcher mir-<name>), e.g. my-app",
                        "app.conf:3:12: vm-memory \"lots\" is not a size; use MiB (256) or a unit (256M, 1G)",
                        "app.conf:4:12: vm-kernel \"none\" is not a file (looked for " + appDir.resolve("none")
                                + "); give the path of a Linux kernel image (bzImage or vmlinux)",
                        "app.conf:5:21: jvm-options \"Xss1m\" is not a JVM option; options start with -, e.g. -Xmx64m");
        assertThat(problems("main-http: A.b\nvm-memory: 16\n"))
                .containsExactly(
                        "app.conf:2:12: vm-memory 16 is out of range; use 64M to 1024G (a JVM needs at least 64 MiB)");
    }

    @Test
    void invalidFileNameNeedsANameKey() {
        var p = new ConfigParser(appDir.resolve("My App.conf"), "My App.conf");
        assertThatThrownBy(() -> p.parse("main-http: A.b\n".getBytes(StandardCharsets.UTF_8), List.of()))
                .hasMessage(
                        "My App.conf: the app's name \"My App\" (the file's name) is not a valid name; add a name: key (lowercase letters, digits, ., _ and -) or rename the file");
        assertThat(p.parse("main-http: A.b\nname: my-app\n".getBytes(StandardCharsets.UTF_8), List.of())
                        .name()
                        .value())
                .isEqualTo("my-app");
    }

    @Test
    void xlParameters() {
        var c = parse(
                "main-http: A.b\nxl-vif: [ 'mac=00:16:3E:74:34:32', \"bridge=xenbr0\" ]\nxl-extra: \"console=hvc0\"\nxl-cpus: []\n");
        assertThat(c.xl())
                .extracting(XlParam::value)
                .containsExactly(
                        new XlParam.Items(List.of("mac=00:16:3E:74:34:32", "bridge=xenbr0")),
                        new XlParam.Text("console=hvc0"),
                        new XlParam.Items(List.of()));
        assertThat(problems("main-http: A.b\nxl-vif: [ 'mac=1'\nxl-On: 1\n"))
                .containsExactly(
                        "app.conf:2:9: xl-vif \"[ 'mac=1'\" has no closing ]; write xl-vif: [ 'item', 'item' ]",
                        "app.conf:3:1: xl parameter \"On\" is not valid; xl keys are lowercase letters, digits and _ (e.g. xl-on_crash)");
    }

    // --- --set ---

    @Test
    void setOverridesAndAdds() {
        var c = parse(
                "main-http: A.b\nhttp-port: 80\ndepends: java.sql\n",
                "http-port=9090",
                "ip-address=10.9.9.9",
                "depends=java.xml",
                "depends=java.logging",
                "main-noip=N.m");
        assertThat(c.httpPort()).contains(new Located<>(9090, new Position("--set", 1, 11)));
        assertThat(c.ipAddress().orElseThrow().at()).isEqualTo(new Position("--set", 2, 12));
        assertThat(c.depends()).extracting(Located::value).containsExactly("java.xml", "java.logging");
        assertThat(c.main().kind()).isEqualTo(EntryPoint.Kind.NOIP);
        assertThat(parse("main-http: A.b\n", "http-port=1", "http-port=2").effectiveHttpPort())
                .isEqualTo(2);
    }

    @Test
    void setErrorsAreReportedAtSetPositions() {
        assertThat(problems("main-http: A.b\nhttp-port: x\n", "http-port=8o", "nokey", "=1", "ip-address= 300.1.1.1"))
                .containsExactly(
                        "--set:1:11: http-port \"8o\" is not a number; use 1-65535",
                        "--set:2:1: \"nokey\" has no =; use --set KEY=VALUE (e.g. --set http-port=9090)",
                        "--set:3:1: \"\" is not a key; use --set KEY=VALUE (e.g. --set http-port=9090)",
                        "--set:4:13: ip-address \"300.1.1.1\" is not an IPv4 address; use four numbers 0-255, e.g. 10.0.0.2");
        assertThat(parse("main-http: A.b\n", "htp-port=1").warnings())
                .containsExactly("--set:1:1: unknown key \"htp-port\" (line ignored); did you mean http-port?");
    }
}
