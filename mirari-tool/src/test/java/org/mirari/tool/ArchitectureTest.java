package org.mirari.tool;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tool's architecture, written once and checked on every {@code ./mvnw verify}: which package
 * may use which ({@link #ALLOWED}, in the order the imports run, top to bottom), which libraries
 * only one package may use, and that nothing outside the CLI prints. A violation fails with
 * ArchUnit's message, which names both classes and the line. Each package's {@code package-info}
 * says the same in words; {@link #everyPackageIsInTheTable} keeps the table complete.
 */
class ArchitectureTest {
    private static final String TOOL = "org.mirari.tool.";

    /** Package (under org.mirari.tool) to the tool packages it may use, besides itself. */
    static final Map<String, List<String>> ALLOWED = table(
            "cli",
                    "doctor scaffold supervise pipeline run k8s oci backend deploy plan config context targets output hosttool snapshot json error event",
            "scaffold", "config error event",
            "doctor", "backend resolve hosttool context error",
            "supervise", "run backend context error event",
            "run", "backend oci plan hosttool snapshot scratch json error event",
            "pipeline",
                    "backend oci image uefi compile js codegen resolve output pkg plan config context targets hosttool error event",
            "k8s", "backend image plan config json error event",
            "backend", "image pkg plan config context targets hosttool snapshot scratch json error event",
            "codegen", "output plan config targets error event",
            "resolve", "plan config targets scratch error event",
            "image", "hosttool scratch error event",
            "uefi", "",
            "deploy", "loader error event",
            "oci", "loader error event",
            "compile", "error event",
            "js", "loader error event",
            "loader", "error",
            "output", "pkg plan config targets error event",
            "pkg", "error event",
            "plan", "config targets error",
            "config", "targets error",
            "context", "",
            "targets", "",
            "hosttool", "error",
            "snapshot", "scratch json",
            "error", "",
            "event", "",
            "scratch", "",
            "json", "");

    /** Libraries only one package may use: the rest of the tool stays fast to load and easy to replace. */
    static final Map<String, List<String>> LIBRARY_OWNERS = table(
            "picocli", "cli",
            "org.eclipse.aether", "resolve",
            "org.apache.maven", "resolve",
            "org.apache.commons.compress", "image",
            "org.tukaani", "image");

    static JavaClasses tool;

    @BeforeAll
    static void importTool() {
        tool = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.mirari.tool");
    }

    static List<String> packages() {
        return List.copyOf(ALLOWED.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packages")
    void aPackageUsesOnlyWhatTheTableAllows(String pkg) {
        var forbidden = new ArrayList<String>();
        for (var other : ALLOWED.keySet()) {
            if (!other.equals(pkg) && !ALLOWED.get(pkg).contains(other)) forbidden.add(TOOL + other + "..");
        }
        if (forbidden.isEmpty()) return; // every package may be used: nothing to check
        noClasses()
                .that()
                .resideInAPackage(TOOL + pkg + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(forbidden.toArray(String[]::new))
                .because("the table in ArchitectureTest allows " + pkg + " only " + ALLOWED.get(pkg))
                .check(tool);
    }

    @Test
    void librariesStayInTheirPackage() {
        LIBRARY_OWNERS.forEach((library, owners) -> noClasses()
                .that()
                .resideOutsideOfPackages(
                        owners.stream().map(o -> TOOL + o + "..").toArray(String[]::new))
                .should()
                .dependOnClassesThat()
                .resideInAPackage(library + "..")
                .because(library + " belongs to " + owners)
                .check(tool));
    }

    @Test
    void theToolUsesOnlyTheRuntimesApiAndItsPackWriter() {
        classes()
                .that()
                .resideInAPackage("org.mirari.tool..")
                .should()
                .onlyDependOnClassesThat(DescribedPredicate.describe(
                        "outside the runtime's engine, or its KvPackWriter, or its certificate writer, PEM reader and key check",
                        c -> !c.getPackageName().startsWith("org.mirari.runtime.internal")
                                || c.getName().equals("org.mirari.runtime.internal.kv.KvPackWriter")
                                || c.getName().equals("org.mirari.runtime.internal.tls.SelfSigned")
                                || c.getName().equals("org.mirari.runtime.internal.tls.Pem")
                                || c.getName().equals("org.mirari.runtime.internal.tls.KeyMatch")))
                .check(tool);
    }

    @Test
    void nothingOutsideTheCliPrints() {
        noClasses()
                .that()
                .resideOutsideOfPackage(TOOL + "cli..")
                .should()
                .accessField(System.class, "out")
                .orShould()
                .accessField(System.class, "err")
                .orShould()
                .callMethod(Throwable.class, "printStackTrace")
                .because("the core emits events and only the CLI renders them")
                .check(tool);
    }

    /** The environment and system properties reach the core through {@code ToolContext} only. */
    @Test
    void onlyTheContextReadsTheEnvironment() {
        noClasses()
                .that()
                .resideOutsideOfPackages(TOOL + "context..", TOOL + "cli..")
                .should()
                .callMethod(System.class, "getenv")
                .orShould()
                .callMethod(System.class, "getenv", String.class)
                .orShould()
                .callMethod(System.class, "getProperty", String.class)
                .orShould()
                .callMethod(System.class, "getProperty", String.class, String.class)
                .orShould()
                .callMethod(System.class, "getProperties")
                .because("the tool reads its environment through ToolContext, so tests can give their own")
                .check(tool);
    }

    @Test
    void everyPackageIsInTheTable() {
        var seen = new TreeSet<String>();
        tool.forEach(c -> seen.add(c.getPackageName().substring(TOOL.length()).replaceFirst("\\..*", "")));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
    }

    @Test
    void theTableRunsOneWay() {
        // A package may use only packages below it in the table: that is what makes it a layering.
        var order = packages();
        ALLOWED.forEach((pkg, uses) -> uses.forEach(u -> assertThat(order.indexOf(u))
                .as(pkg + " uses " + u + ", which must come below it")
                .isGreaterThan(order.indexOf(pkg))));
    }

    @Test
    void aViolationNamesBothClasses() {
        var importer = new ClassFileImporter()
                .importClasses(org.mirari.tool.config.Config.class, org.mirari.tool.plan.Plan.class);
        assertThatThrownBy(() -> noClasses()
                        .that()
                        .resideInAPackage(TOOL + "plan..")
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage(TOOL + "config..")
                        .check(importer))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org.mirari.tool.plan.Plan")
                .hasMessageContaining("org.mirari.tool.config.Config");
    }

    private static Map<String, List<String>> table(String... pairs) {
        var m = new LinkedHashMap<String, List<String>>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1].isBlank() ? List.of() : List.of(pairs[i + 1].split(" ")));
        }
        return m;
    }
}
