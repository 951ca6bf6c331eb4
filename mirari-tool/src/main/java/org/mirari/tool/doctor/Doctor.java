package org.mirari.tool.doctor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mirari.tool.backend.Host;
import org.mirari.tool.context.ToolContext;
import org.mirari.tool.error.EnvironmentException;
import org.mirari.tool.error.MirariException;
import org.mirari.tool.hosttool.HostTool;
import org.mirari.tool.hosttool.HostTools;
import org.mirari.tool.resolve.ResolverSettings;

/**
 * Looks at this machine for every target and says, for what is missing, the command that fixes
 * it. Each check asks what the tool itself asks when it builds or runs: programs are found on
 * {@code PATH} by {@link HostTools}, as a shell (and every backend) finds them, the Maven settings
 * are read as configure reads them, the KVM answer is the one a run's probe kept.
 */
public final class Doctor {
    /** The default target: {@code mirari doctor} exits 0 when it is ready. */
    public static final String DEFAULT_TARGET = "socket";

    /**
     * Every target the doctor knows, in the order it lists them: the build and run targets by their
     * switch names, and the deploy targets as their commands ({@code deploy ec2}).
     */
    public static final List<String> TARGETS =
            List.of("socket", "unix", "qemu", "xen", "ec2", "oci", "js", "deploy ec2", "deploy k8s");

    private static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(5);

    private final ToolContext context;
    private final Host host;
    private final HostTools tools;

    public Doctor(ToolContext context) {
        this.context = context;
        this.host = new Host(context);
        this.tools = HostTools.onPath(context.env().get("PATH"));
    }

    /** What a target needs that is missing here (empty: it works). */
    public record Readiness(String target, List<String> missing, List<String> degraded) {
        public boolean ready() {
            return missing.isEmpty();
        }
    }

    /** Every check, in the order of the table. */
    public List<Check> checks() {
        var all = new ArrayList<Check>();
        all.add(jdk());
        all.add(jlink());
        all.add(localRepository());
        all.add(remoteRepository());
        all.add(qemu());
        all.add(kvm());
        all.add(ovmf());
        all.add(tap());
        all.add(dnsmasq());
        all.add(xl());
        all.add(xen());
        all.add(runc());
        all.add(podman());
        all.add(kube());
        all.add(aws());
        all.add(node());
        return all;
    }

    /** For each target, which of {@code checks} stop it or make it worse. */
    public static List<Readiness> readiness(List<Check> checks) {
        return TARGETS.stream()
                .map(t -> new Readiness(
                        t,
                        checks.stream()
                                .filter(c -> needs(c, t) && c.status() == Check.Status.MISSING)
                                .map(Check::id)
                                .toList(),
                        checks.stream()
                                .filter(c -> needs(c, t) && c.status() == Check.Status.WARN)
                                .map(Check::id)
                                .toList()))
                .toList();
    }

    private static boolean needs(Check c, String target) {
        return c.targets().contains("all") || c.targets().contains(target);
    }

    Check jdk() {
        var v = Runtime.version();
        var home = jdkHome().orElse("?");
        if (v.feature() >= 25) return Check.ok("jdk", "JDK " + v + " (" + home + ")", "all");
        return Check.missing(
                "jdk",
                "JDK " + v + " (" + home + "): Mirari needs 25 or newer",
                "install a JDK 25 (Debian: apt-get install temurin-25-jdk from Adoptium's repository) and set JAVA_HOME",
                "all");
    }

    Check jlink() {
        var home = jdkHome();
        var jlink = home.map(h -> Path.of(h, "bin", "jlink"));
        if (jlink.isPresent() && Files.isExecutable(jlink.get()))
            return Check.ok("jlink", jlink.get().toString(), "qemu", "xen", "ec2", "oci");
        return Check.missing(
                "jlink",
                "the JDK has no bin/jlink, so no runtime can be linked for an image",
                "use a full JDK (not a JRE): set JAVA_HOME to one",
                "qemu",
                "xen",
                "ec2",
                "oci");
    }

    Check localRepository() {
        var settings = ResolverSettings.load(context.env(), context.properties());
        try {
            EnvironmentException.requireWritableDir(
                    settings.localRepo(),
                    "the local Maven repository",
                    "point Mirari at a writable one with MIRARI_JAVA_OPTS=-Dmaven.repo.local=DIR");
            return Check.ok("maven-local", settings.localRepo().toString(), "all");
        } catch (EnvironmentException e) {
            return Check.missing(
                    "maven-local",
                    e.getMessage(),
                    "MIRARI_JAVA_OPTS=-Dmaven.repo.local=DIR (a writable directory), or a writable HOME",
                    "all");
        }
    }

    Check remoteRepository() {
        ResolverSettings settings;
        try {
            settings = ResolverSettings.load(context.env(), context.properties());
        } catch (MirariException e) {
            return Check.missing("maven-remote", e.getMessage(), "fix ~/.m2/settings.xml", "all");
        }
        if (settings.offline())
            return Check.warn(
                    "maven-remote",
                    "offline (settings.xml): packages come from the local repository only",
                    "remove <offline>true</offline> from ~/.m2/settings.xml to resolve new packages",
                    "all");
        var central = ResolverSettings.CENTRAL;
        var mirror = settings.mirrors().stream()
                .filter(m -> mirrors(m.mirrorOf(), central.id()))
                .findFirst();
        var url = mirror.map(ResolverSettings.Mirror::url).orElse(central.url());
        var via = mirror.map(m -> " (mirror " + m.id() + " of " + central.id() + ")")
                .orElse(" (" + central.id() + ")");
        var reached = reach(url);
        if (reached.isEmpty()) return Check.ok("maven-remote", url + via + " answers", "all");
        return Check.warn(
                "maven-remote",
                "cannot reach " + url + via + ": " + reached.get()
                        + "; only packages already in the local repository resolve",
                mirror.isPresent()
                        ? "check the network, or the <mirror> " + mirror.get().id()
                                + " in ~/.m2/settings.xml; or mirari configure --offline"
                        : "check the network (or add a reachable <mirror> to ~/.m2/settings.xml); or mirari configure --offline",
                "all");
    }

    /** Whether a {@code mirrorOf} as Maven spells it ({@code *}, {@code a,b}, {@code *,!x}, {@code external:*}) takes {@code id}. */
    static boolean mirrors(String mirrorOf, String id) {
        boolean taken = false;
        for (var part : mirrorOf.split(",")) {
            var p = part.strip();
            if (p.equals("!" + id)) return false;
            if (p.equals("*") || p.equals("external:*") || p.equals(id)) taken = true;
        }
        return taken;
    }

    /** Empty when {@code url} answers an HTTP HEAD (any status: the server is there), else why not. */
    private Optional<String> reach(String url) {
        var client = HttpClient.newBuilder().connectTimeout(NETWORK_TIMEOUT).build();
        try {
            client.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .timeout(NETWORK_TIMEOUT)
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } finally {
            client.close();
        }
    }

    Check qemu() {
        return program(HostTool.QEMU, Check.Status.MISSING, "", true, "qemu", "ec2");
    }

    /**
     * A host program as a check: where it is (and its version), else {@code status} with the fix:
     * install its Debian package, or, when it is installed in an sbin directory this PATH lacks (an
     * ordinary user's PATH on Debian has none), add that directory.
     */
    private Check program(HostTool tool, Check.Status status, String without, boolean version, String... targets) {
        var id = tool == HostTool.QEMU ? "qemu" : tool.command();
        var found = tools.find(tool);
        if (found.isPresent()) {
            var p = found.get().toString();
            return Check.ok(
                    id,
                    p
                            + (version
                                    ? firstLine(p, "--version")
                                            .map(v -> " (" + v + ")")
                                            .orElse("")
                                    : ""),
                    targets);
        }
        var elsewhere = HostTools.onPath("/usr/local/sbin:/usr/sbin:/sbin").find(tool);
        var fix = elsewhere.isPresent()
                ? "add " + elsewhere.get().getParent() + " to PATH: export PATH=\"$PATH:"
                        + elsewhere.get().getParent() + "\""
                : "sudo apt-get install " + tool.debianPackage();
        return new Check(id, status, tool.command() + " is not on PATH" + without, Optional.of(fix), List.of(targets));
    }

    Check kvm() {
        var device = Path.of("/dev/kvm");
        if (!Files.exists(device))
            return Check.warn(
                    "kvm",
                    "no /dev/kvm: QEMU runs guests under TCG (emulation, slower boots)",
                    "enable hardware virtualisation (nested, on a VM) and load the module: sudo modprobe kvm_intel (or kvm_amd)",
                    "qemu",
                    "ec2");
        if (!Files.isReadable(device) || !Files.isWritable(device))
            return Check.warn(
                    "kvm",
                    "/dev/kvm is there but this user may not open it: QEMU runs guests under TCG",
                    "sudo usermod -aG kvm " + context.property("user.name").orElse("$USER") + " (then log in again)",
                    "qemu",
                    "ec2");
        var answer = lastProbe();
        if (answer.isPresent() && answer.get().equals("tcg"))
            return Check.warn(
                    "kvm",
                    "/dev/kvm is there, but the last run's probe could not boot a kernel under KVM (a nested VM): TCG",
                    "for KVM: a host whose KVM boots guests (nested virtualisation on); MIRARI_QEMU_ACCEL=kvm forces it",
                    "qemu",
                    "ec2");
        return Check.ok(
                "kvm",
                answer.isPresent()
                        ? "/dev/kvm boots guests (the last run's probe)"
                        : "/dev/kvm is usable (a run probes it once per boot)",
                "qemu",
                "ec2");
    }

    /** The answer the last {@code --qemu} run's KVM probe kept ({@code kvm} or {@code tcg}), if any. */
    private Optional<String> lastProbe() {
        var dir = host.cacheDir().resolve("kvm-probe");
        try (Stream<Path> files = Files.list(dir)) {
            var newest = files.max(Comparator.comparingLong(p -> p.toFile().lastModified()));
            if (newest.isEmpty()) return Optional.empty();
            return Optional.of(Files.readString(newest.get()).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The firmware {@code run --ec2} will use ({@link Host#ovmfFirmware}), so both agree. */
    Check ovmf() {
        Path firmware = host.ovmfFirmware();
        if (Files.isReadable(firmware)) return Check.ok("ovmf", firmware.toString(), "ec2");
        return Check.missing(
                "ovmf",
                "no OVMF firmware at " + firmware + ", so the EC2 disk image cannot boot locally",
                "sudo apt-get install ovmf (or MIRARI_OVMF=/path/to/OVMF.fd)",
                "ec2");
    }

    Check tap() {
        var tun = Path.of("/dev/net/tun");
        if (!Files.exists(tun)) return Check.missing("tap", "/dev/net/tun does not exist", "sudo modprobe tun", "unix");
        var user = context.property("user.name").orElse("$USER");
        if (netAdmin()) {
            if (!Files.isReadable(tun) || !Files.isWritable(tun))
                return Check.missing("tap", "/dev/net/tun cannot be opened", "sudo chmod 0666 /dev/net/tun", "unix");
            return Check.ok("tap", "may create taps (CAP_NET_ADMIN)", "unix");
        }
        var tap0 = Path.of("/sys/class/net/tap0/owner");
        long euid = euid();
        try {
            if (Files.exists(tap0) && Long.parseLong(Files.readString(tap0).strip()) == euid && Files.isWritable(tun))
                return Check.ok("tap", "tap0 is this user's (made once with sudo)", "unix");
        } catch (IOException | NumberFormatException e) {
            // unreadable owner: as if there were none
        }
        var grant = "sudo ip tuntap add dev tap0 mode tap user " + user
                + " && sudo ip addr add 10.0.0.1/24 dev tap0 && sudo ip link set dev tap0 up";
        return Check.missing(
                "tap",
                "this user may not create a tap (no CAP_NET_ADMIN) and has none of its own",
                (Files.isWritable(tun) ? "" : "sudo chmod 0666 /dev/net/tun && ") + grant + " (once), or run as root",
                "unix");
    }

    Check dnsmasq() {
        return program(
                HostTool.DNSMASQ,
                Check.Status.WARN,
                ": DHCP on --unix uses Mirari's own one-client responder",
                false,
                "unix");
    }

    Check xl() {
        return program(HostTool.XL, Check.Status.MISSING, "", false, "xen");
    }

    Check xen() {
        var type = read(Path.of("/sys/hypervisor/type")).orElse("");
        var caps = read(Path.of("/proc/xen/capabilities")).orElse("");
        if (type.equals("xen") && caps.contains("control_d")) return Check.ok("xen", "running as Xen's dom0", "xen");
        return Check.missing(
                "xen",
                type.equals("xen")
                        ? "a Xen guest, not dom0: xl cannot create domains here"
                        : "no Xen hypervisor is running",
                "boot this machine into Xen as dom0 (Debian: sudo apt-get install xen-system-amd64, then reboot into the Xen entry)",
                "xen");
    }

    Check runc() {
        return program(HostTool.RUNC, Check.Status.MISSING, "", true, "oci");
    }

    Check podman() {
        var p = tools.find("podman");
        if (p.isPresent()) return Check.ok("podman", p.get().toString(), "oci");
        return Check.warn(
                "podman",
                "podman is not installed: images run with runc only, and no local kube play",
                "sudo apt-get install podman",
                "oci");
    }

    Check kube() {
        var files = new ArrayList<Path>();
        context.env("KUBECONFIG").ifPresent(k -> {
            for (var f : k.split(":")) if (!f.isEmpty()) files.add(Path.of(f));
        });
        if (files.isEmpty()) files.add(Path.of(home(), ".kube", "config"));
        for (var f : files) {
            for (var line : read(f).orElse("").lines().toList()) {
                if (line.startsWith("current-context:")) {
                    var name =
                            line.substring("current-context:".length()).strip().replaceAll("^[\"']|[\"']$", "");
                    if (!name.isEmpty()) return Check.ok("kube", "context " + name + " (" + f + ")", "deploy k8s");
                }
            }
        }
        return Check.missing(
                "kube",
                "no current Kubernetes context ("
                        + files.stream()
                                .map(Path::toString)
                                .reduce((a, b) -> a + ":" + b)
                                .orElse("") + ")",
                "kubectl config use-context NAME (or set KUBECONFIG to a kubeconfig with a current-context)",
                "deploy k8s");
    }

    Check aws() {
        if (context.env("AWS_ACCESS_KEY_ID").isPresent()
                && context.env("AWS_SECRET_ACCESS_KEY").isPresent())
            return Check.ok("aws", "credentials from AWS_ACCESS_KEY_ID (the environment)", "deploy ec2");
        if (context.env("AWS_WEB_IDENTITY_TOKEN_FILE").isPresent())
            return Check.ok("aws", "web identity from AWS_WEB_IDENTITY_TOKEN_FILE", "deploy ec2");
        var profile = context.env("AWS_PROFILE").orElse("default");
        var credentials =
                context.env("AWS_SHARED_CREDENTIALS_FILE").map(Path::of).orElse(Path.of(home(), ".aws", "credentials"));
        var config = context.env("AWS_CONFIG_FILE").map(Path::of).orElse(Path.of(home(), ".aws", "config"));
        if (read(credentials).orElse("").lines().anyMatch(l -> l.strip().equals("[" + profile + "]")))
            return Check.ok("aws", "profile " + profile + " in " + credentials, "deploy ec2");
        var header = profile.equals("default") ? "[default]" : "[profile " + profile + "]";
        if (read(config).orElse("").lines().anyMatch(l -> l.strip().equals(header)))
            return Check.ok("aws", "profile " + profile + " in " + config, "deploy ec2");
        return Check.missing(
                "aws",
                "no AWS credentials (environment, " + credentials + " or " + config + ")",
                "aws configure (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)",
                "deploy ec2");
    }

    Check node() {
        var n = tools.find("node");
        if (n.isPresent())
            return Check.ok(
                    "node",
                    n.get()
                            + firstLine(n.get().toString(), "--version")
                                    .map(v -> " (" + v + ")")
                                    .orElse(""),
                    "js");
        return Check.missing("node", "node is not installed", "sudo apt-get install nodejs", "js");
    }

    /** The JDK Mirari builds with: the one the launcher found ({@code mirari.java.home}), else this JVM's. */
    private Optional<String> jdkHome() {
        return context.property("mirari.java.home").or(() -> context.property("java.home"));
    }

    private String home() {
        return context.env("HOME").or(() -> context.property("user.home")).orElse("/");
    }

    /** The first line {@code program arg} prints within 5 s, if it runs. */
    private static Optional<String> firstLine(String program, String arg) {
        try {
            var p = new ProcessBuilder(program, arg).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return out.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<String> read(Path p) {
        try {
            return Optional.of(Files.readString(p).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** CAP_NET_ADMIN (capability 12) in this process's effective set (root has it). */
    private static boolean netAdmin() {
        return status("CapEff:")
                .map(v -> (Long.parseUnsignedLong(v, 16) & (1L << 12)) != 0)
                .orElse(false);
    }

    private static long euid() {
        return status("Uid:").map(v -> Long.parseLong(v.split("\\s+")[1])).orElse(-1L);
    }

    private static Optional<String> status(String key) {
        return read(Path.of("/proc/self/status"))
                .flatMap(s -> s.lines().filter(l -> l.startsWith(key)).findFirst())
                .map(l -> l.substring(key.length()).strip());
    }
}
