package org.mirari.tool.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.mirari.runtime.BootParameters;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.OciBackend;
import org.mirari.tool.config.EntryPoint;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.image.VmImageBuilder;
import org.mirari.tool.json.JsonString;
import org.mirari.tool.plan.Boot;

/**
 * The manifests of an app, in the order they are applied: the ConfigMap {@code <name>-boot}
 * (every boot-time parameter as {@code MIRARI_*}, which the image's runtime reads from the
 * environment), the Deployment {@code <name>} and, for {@code main-http} apps, the Service
 * {@code <name>}. Labels are Kubernetes' recommended ones ({@code app.kubernetes.io/name},
 * {@code /managed-by}, {@code /version}).
 *
 * <p>Probes: a {@code main-http} app listens only once it is ready (its readiness line is printed
 * then), so readiness and liveness are TCP probes on the HTTP port: an HTTP probe on {@code /}
 * would fail apps whose {@code /} answers 404. A {@code main-ip} or {@code main-noip} app's
 * readiness line is on its console, which a kubelet does not read, and the image holds no program
 * an exec probe could run: so the ConfigMap sets the boot parameter {@code health-port}
 * ({@value #HEALTH_PORT}), a port the runtime opens when it prints
 * that line (a {@code main-noip} app: as it starts) and keeps open while the app runs, and the
 * probes are TCP probes on it (the named port {@code health}).
 *
 * <p>Security: the container runs as the image's user ({@link OciBackend#USER}), not root, with no
 * capabilities, no privilege escalation and a read-only root file system; {@code /tmp} is an
 * {@code emptyDir} of its own. An {@code http-port} below 1024 then needs a cluster that allows
 * unprivileged ports ({@code net.ipv4.ip_unprivileged_port_start}, containerd 2's default).
 *
 * <p>Resources: the memory request is what the image's JVM may take (heap, by default 64 MiB or
 * {@code -Xmx} in {@code jvm-options}, plus 48 MiB of metaspace, plus 48 MiB for the JVM itself:
 * the VM image's measured figures), the limit 64 MiB above it; CPU 100m requested, no limit (a
 * CPU limit throttles the JIT at start-up).
 */
public final class K8sManifests {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    static final int METASPACE_MIB = 48;
    static final int OVERHEAD_MIB = 48;

    /** The {@code health-port} of {@code main-ip} and {@code main-noip} apps (not a conf key: only the manifests set it). */
    public static final int HEALTH_PORT = 8099;

    private K8sManifests() {}

    /** The app's name as a Kubernetes object name (RFC 1123 label), or a config error saying what to use. */
    public static String objectName(AppBuild app) {
        String n = app.name().replace('_', '-').replace('.', '-');
        if (!DNS_LABEL.matcher(n).matches())
            throw new ConfigException("the app's name " + app.name()
                    + " cannot name Kubernetes objects (lowercase letters, digits and '-', at most 63, a letter or digit at each"
                    + " end); set name: in "
                    + app.conf().getFileName());
        return n;
    }

    /** The ConfigMap, the Deployment and the Service, as YAML documents separated by {@code ---}. */
    public static String yaml(AppBuild app, Boot boot, K8sOptions options) {
        String name = objectName(app);
        boolean http = app.config().main().kind() == EntryPoint.Kind.HTTP;
        var y = new StringBuilder();
        y.append("# ").append(app.stamp()).append('\n');
        y.append("# ConfigMap ").append(name).append("-boot: the boot-time parameters, read from the environment\n");
        y.append("apiVersion: v1\nkind: ConfigMap\n");
        metadata(y, name + "-boot", options, app);
        y.append("data:\n");
        for (var e : bootEnvironment(boot, http).entrySet())
            y.append("  ")
                    .append(e.getKey())
                    .append(": ")
                    .append(quote(e.getValue()))
                    .append('\n');
        y.append("---\n");
        y.append("apiVersion: apps/v1\nkind: Deployment\n");
        metadata(y, name, options, app);
        y.append("spec:\n");
        y.append("  replicas: ").append(options.replicas()).append('\n');
        y.append("  selector:\n    matchLabels:\n      app.kubernetes.io/name: ")
                .append(name)
                .append('\n');
        y.append("  template:\n");
        y.append("    metadata:\n      labels:\n");
        y.append("        app.kubernetes.io/name: ").append(name).append('\n');
        y.append("        app.kubernetes.io/managed-by: mirari\n");
        y.append("    spec:\n");
        y.append("      containers:\n");
        y.append("        - name: ").append(name).append('\n');
        y.append("          image: ").append(quote(options.image())).append('\n');
        y.append("          imagePullPolicy: IfNotPresent\n");
        y.append("          envFrom:\n            - configMapRef:\n                name: ")
                .append(name)
                .append("-boot\n");
        String probed = http ? "http" : "health";
        y.append("          ports:\n            - name: ")
                .append(probed)
                .append("\n              containerPort: ")
                .append(http ? boot.httpPort() : HEALTH_PORT)
                .append("\n              protocol: TCP\n");
        options.hostPort()
                .ifPresent(p -> y.append("              hostPort: ").append(p).append('\n'));
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            y.append("          ").append(probe).append(":\n");
            y.append("            tcpSocket:\n              port: ")
                    .append(probed)
                    .append('\n');
            if (probe.equals("readinessProbe"))
                y.append("            periodSeconds: 2\n            failureThreshold: 3\n");
            else
                y.append(
                        "            initialDelaySeconds: 10\n            periodSeconds: 10\n            failureThreshold: 3\n");
        }
        // The image's user, no privileges, a read-only root: the app writes only to /tmp, an emptyDir.
        y.append("          securityContext:\n");
        y.append("            runAsNonRoot: true\n");
        y.append("            runAsUser: ").append(OciBackend.USER).append('\n');
        y.append("            runAsGroup: ").append(OciBackend.USER).append('\n');
        y.append("            allowPrivilegeEscalation: false\n");
        y.append("            readOnlyRootFilesystem: true\n");
        y.append("            capabilities:\n              drop: [\"ALL\"]\n");
        y.append("          volumeMounts:\n            - name: tmp\n              mountPath: /tmp\n");
        int memory = memoryMiB(app.jvmOptions());
        y.append("          resources:\n");
        y.append("            requests:\n              cpu: 100m\n              memory: ")
                .append(memory)
                .append("Mi\n");
        y.append("            limits:\n              memory: ")
                .append(memory + 64)
                .append("Mi\n");
        y.append("      volumes:\n        - name: tmp\n          emptyDir:\n            sizeLimit: 64Mi\n");
        if (http) {
            y.append("---\n");
            y.append("apiVersion: v1\nkind: Service\n");
            metadata(y, name, options, app);
            y.append("spec:\n  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: ")
                    .append(name)
                    .append('\n');
            y.append("  ports:\n    - name: http\n      port: ")
                    .append(boot.httpPort())
                    .append("\n      targetPort: http\n      protocol: TCP\n");
        }
        return y.toString();
    }

    /** Every boot-time parameter of the run as the image's runtime reads it from the environment, sorted. */
    static Map<String, String> bootEnvironment(Boot boot, boolean http) {
        var env = new TreeMap<String, String>();
        env.put(BootParameters.envName("http-port"), Integer.toString(boot.httpPort()));
        env.put(BootParameters.envName("http-address"), boot.httpAddress());
        boot.all().forEach((k, v) -> {
            if (BootParameters.KEYS.contains(k)) env.put(BootParameters.envName(k), v);
        });
        boot.overrides().forEach((k, v) -> {
            if (BootParameters.KEYS.contains(k)) env.put(BootParameters.envName(k), v);
        });
        if (!http) env.put(BootParameters.envName("health-port"), Integer.toString(HEALTH_PORT));
        return env;
    }

    /** The memory the app's JVM may take, in MiB: heap (the VM image's rule: {@code -Xmx}, else 64 MiB) + metaspace + the JVM's own. */
    static int memoryMiB(List<String> jvmOptions) {
        return VmImageBuilder.heapMiB(jvmOptions) + METASPACE_MIB + OVERHEAD_MIB;
    }

    private static void metadata(StringBuilder y, String name, K8sOptions options, AppBuild app) {
        y.append("metadata:\n");
        y.append("  name: ").append(name).append('\n');
        y.append("  namespace: ").append(options.namespace()).append('\n');
        y.append("  labels:\n");
        y.append("    app.kubernetes.io/name: ").append(objectName(app)).append('\n');
        y.append("    app.kubernetes.io/managed-by: mirari\n");
        y.append("    app.kubernetes.io/version: ")
                .append(quote(app.toolVersion()))
                .append('\n');
    }

    /** A YAML double-quoted scalar, always quoted so that "8080" stays a string: a JSON string is one (YAML 1.2 section 7.3.1). */
    static String quote(String s) {
        return JsonString.of(s);
    }

    /** The names of the objects, in order: {@code ConfigMap/hello-boot}, {@code Deployment/hello}, {@code Service/hello}. */
    public static List<String> objects(AppBuild app) {
        String name = objectName(app);
        var out = new ArrayList<>(List.of("ConfigMap/" + name + "-boot", "Deployment/" + name));
        if (app.config().main().kind() == EntryPoint.Kind.HTTP) out.add("Service/" + name);
        return out;
    }
}
