package org.mirari.net;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The stack prints only through the streams the runtime's {@code Boot} hands it: the one class
 * that names {@code System.out} and {@code System.err} is {@code dhcp.DhcpResponder}, a program of
 * its own ({@code main}) that {@code mirari run --unix} starts.
 */
class PrintingTest {
    @Test
    void onlyTheDhcpRespondersMainNamesTheProcessStreams() {
        var net = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.mirari.net");
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName("org.mirari.net.dhcp.DhcpResponder")
                .should()
                .accessField(System.class, "out")
                .orShould()
                .accessField(System.class, "err")
                .orShould()
                .callMethod(Throwable.class, "printStackTrace")
                .because("the stack prints through the streams Boot was given")
                .check(net);
    }
}
