package org.mirari.tool.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityBootTest {
    @TempDir
    Path jre;

    @Test
    void passesTheRuntimesOwnValueAsASystemProperty() throws IOException {
        write("# comment\njdk.includeInExceptions=hostInfo,jar\nother=1\n");
        assertThat(SecurityBoot.jvmOptions(jre)).containsExactly("-Djdk.includeInExceptions=hostInfo,jar");
    }

    @Test
    void passesNothingWhenTheRuntimeSetsNothing() throws IOException {
        assertThat(SecurityBoot.jvmOptions(jre)).isEmpty(); // no file at all
        write("#jdk.includeInExceptions=hostInfo\nother=1\n");
        assertThat(SecurityBoot.jvmOptions(jre)).isEmpty();
    }

    @Test
    void theJdksOwnFileGivesTheValueItsSecurityPropertyHas() throws IOException {
        var options = SecurityBoot.jvmOptions(Path.of(System.getProperty("java.home")));
        String value = Security.getProperty(SecurityBoot.INCLUDE_IN_EXCEPTIONS);
        if (value == null) assertThat(options).isEmpty();
        else assertThat(options).containsExactly("-Djdk.includeInExceptions=" + value);
    }

    /** The point of the option, on the real JDK: the first InetAddress then leaves java.security alone. */
    @Test
    void withTheOptionTheFirstInetAddressDoesNotInitialiseSecurity() throws Exception {
        var options = SecurityBoot.jvmOptions(Path.of(System.getProperty("java.home")));
        assertThat(options)
                .as("the JDK running the tests sets jdk.includeInExceptions")
                .hasSize(1);
        assertThat(initialisesSecurity(List.of())).isTrue();
        assertThat(initialisesSecurity(options)).isFalse();
    }

    /** Run by {@link #initialisesSecurity} in a JVM of its own. */
    public static final class FirstAddress {
        public static void main(String[] args) throws IOException {
            System.out.println("address " + InetAddress.getByName("10.0.0.2").getHostAddress());
        }
    }

    private static boolean initialisesSecurity(List<String> options) throws Exception {
        var cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto",
                "-Xlog:class+init=info:stdout"));
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FirstAddress.class.getName()));
        // Exec: output read before the wait, a deadline, and the child killed if the test is stopped.
        var r = Exec.run(null, cmd);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("address 10.0.0.2").contains("Initializing 'java/net/InetAddress'");
        return r.output().contains("Initializing 'java/security/Security'");
    }

    private void write(String text) throws IOException {
        Path file = jre.resolve(SecurityBoot.FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
    }
}
