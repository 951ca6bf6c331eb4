package org.mirari.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The runtime prints only through the streams {@code Boot} was given: {@link Mirari} (the entry
 * points) is the one class that names {@code System.out} and {@code System.err}, and no class
 * prints a stack trace to the process's stderr behind Boot's back.
 */
class PrintingTest {
    @Test
    void onlyTheEntryPointsNameTheProcessStreams() {
        var runtime = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.mirari.runtime");
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName(Mirari.class.getName())
                .should()
                .accessField(System.class, "out")
                .orShould()
                .accessField(System.class, "err")
                .orShould()
                .callMethod(Throwable.class, "printStackTrace")
                .because(
                        "the runtime prints through the streams Boot was given, so the tool and tests can capture them")
                .check(runtime);
    }
}
