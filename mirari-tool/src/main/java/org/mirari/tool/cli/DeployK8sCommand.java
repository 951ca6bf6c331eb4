package org.mirari.tool.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mirari.tool.backend.OciBackend;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.event.Event;
import org.mirari.tool.k8s.K8sManifests;
import org.mirari.tool.k8s.K8sOptions;
import org.mirari.tool.k8s.KubeVirtManifests;
import org.mirari.tool.oci.OciExtension;
import org.mirari.tool.oci.OciExtensions;
import org.mirari.tool.pipeline.Pipeline;
import org.mirari.tool.targets.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mirari deploy k8s}: the app's OCI image as a Deployment, a Service and a ConfigMap of its
 * boot-time parameters, applied with the fabric8 client (the {@code mirari-oci} module, loaded only
 * here) to a kube context, or printed.
 */
@Command(
        name = "k8s",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Deploys the app's OCI image (mirari build --oci) to Kubernetes: a ConfigMap <name>-boot with the "
                    + "boot-time parameters (MIRARI_HTTP_PORT...), a Deployment <name> with TCP probes on the HTTP port "
                    + "and memory requests from the image's JVM, a Service <name> for http-port; then waits for the "
                    + "rollout and prints the Service's address.",
            "",
            "The cluster is the kubeconfig's ($KUBECONFIG, else ~/.kube/config) current context, or --context. "
                    + "-o yaml prints the manifests instead; --vm prints a KubeVirt VirtualMachine for the micro-VM image."
        })
public final class DeployK8sCommand implements Callable<Integer> {
    @ParentCommand
    DeployCommand deploy;

    @Mixin
    AppOptions app;

    @Option(
            names = "--replicas",
            paramLabel = "N",
            defaultValue = "1",
            description = "Replicas (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(
            names = "--namespace",
            paramLabel = "NS",
            defaultValue = "default",
            description = "The namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(
            names = "--context",
            paramLabel = "C",
            description = "The kube context (default: the kubeconfig's current one).")
    String kubeContext;

    @Option(
            names = "--image",
            paramLabel = "REF",
            description = "The image the cluster pulls (default: mirari/<name>:latest, which only a local runtime has; "
                    + "push it with mirari build --oci --push REF).")
    String image;

    @Option(
            names = "--host-port",
            paramLabel = "P",
            description =
                    "Also bind the HTTP port on the node's port P (hostPort: what podman kube play publishes here).")
    Integer hostPort;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "yaml",
            description = "Print the manifests as YAML; apply nothing.")
    String output;

    @Option(names = "--dry-run", description = "Print what would be applied, and where; apply nothing.")
    boolean dryRun;

    @Option(names = "--no-wait", description = "Do not wait for the rollout.")
    boolean noWait;

    @Option(
            names = "--timeout",
            paramLabel = "S",
            defaultValue = "300",
            description = "Seconds the rollout may take (default: ${DEFAULT-VALUE}).")
    long timeout;

    @Option(
            names = "--vm",
            description = "A KubeVirt VirtualMachine booting the micro-VM image (mirari build --qemu) by direct kernel "
                    + "boot from a container disk, printed as YAML (KubeVirt is not tested here).")
    boolean vm;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override or add a config key (repeatable); boot-time keys go into the ConfigMap.")
    List<String> sets = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        var context = deploy.context();
        if (output != null && !output.equals("yaml"))
            throw new org.mirari.tool.error.ConfigException("-o " + output + ": only -o yaml is supported");
        if (replicas < 0) throw new org.mirari.tool.error.ConfigException("--replicas " + replicas + ": use 0 or more");
        var sink = context.sink(app.quiet());
        var pipeline = Pipeline.prepare(context.tool(), app.location(), Optional.of(Target.OCI), sets, sink);
        boolean printOnly = output != null || dryRun || vm;
        var built = printOnly ? pipeline.appBuild(List.of()) : pipeline.build();
        String ref = image != null ? image : OciBackend.reference(built);
        var options = new K8sOptions(
                replicas,
                namespace,
                ref,
                Optional.ofNullable(kubeContext),
                hostPort == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(hostPort));
        if (vm) {
            context.out().print(KubeVirtManifests.yaml(built, pipeline.boot(), options));
            return 0;
        }
        String yaml = K8sManifests.yaml(built, pipeline.boot(), options);
        if (output != null) {
            context.out().print(yaml);
            return 0;
        }
        if (image == null)
            sink.emit(new Event.Warning("the image " + ref
                    + " exists only here; a cluster pulls it only if its nodes have "
                    + "it: push it (mirari build --oci --push REGISTRY/" + built.name() + ":TAG) and pass --image"));
        Path kubeconfig = kubeconfig(context);
        if (dryRun) {
            context.out()
                    .println("deploy " + built.name() + " to " + kubeconfig + " context "
                            + (kubeContext == null ? "(current)" : kubeContext) + ", namespace " + namespace + ": "
                            + String.join(", ", K8sManifests.objects(built)) + ", image " + ref + ", " + replicas
                            + " replicas");
            return 0;
        }
        sink.emit(new Event.StepStarted(
                "deploy", String.join(", ", K8sManifests.objects(built)) + " to namespace " + namespace));
        var lines = OciExtensions.load(context.home())
                .apply(
                        kubeconfig,
                        new OciExtension.Deployment(
                                yaml,
                                K8sManifests.objectName(built),
                                replicas,
                                Optional.ofNullable(kubeContext),
                                namespace,
                                !noWait,
                                Duration.ofSeconds(timeout)),
                        sink);
        lines.forEach(context.out()::println);
        return 0;
    }

    /** {@code $KUBECONFIG}'s first file, else {@code ~/.kube/config}; exit 5 with what to do when there is none. */
    private static Path kubeconfig(CliContext context) {
        var env = context.env().get("KUBECONFIG");
        Path file = env != null && !env.isBlank()
                ? Path.of(env.split(":")[0])
                : context.tool().userHome().orElse(Path.of("/nonexistent")).resolve(".kube/config");
        if (!Files.isRegularFile(file))
            throw new BackendException("no kubeconfig: " + file + " does not exist"
                    + (env == null ? " (and KUBECONFIG is not set)" : "")
                    + "; mirari deploy k8s applies to a kube context's cluster: point KUBECONFIG at one, or print the "
                    + "manifests with -o yaml (kubectl apply -f -)");
        return file;
    }
}
