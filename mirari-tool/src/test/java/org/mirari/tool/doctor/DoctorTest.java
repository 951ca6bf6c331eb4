package org.mirari.tool.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.context.ToolContext;

class DoctorTest {
    @TempDir
    Path dir;

    Doctor doctor(Map<String, String> env) {
        return new Doctor(new ToolContext(dir, env, dir, Map.of("user.name", "alice", "user.home", dir.toString())));
    }

    @Test
    void aPathWithoutQemuIsThatRowWithItsFix() {
        var c = doctor(Map.of("PATH", dir.toString())).qemu();
        assertThat(c.status()).isEqualTo(Check.Status.MISSING);
        assertThat(c.detail()).isEqualTo("qemu-system-x86_64 is not on PATH");
        assertThat(c.fix()).contains("sudo apt-get install qemu-system-x86");
        assertThat(c.targets()).containsExactly("qemu", "ec2");
    }

    @Test
    void ovmfIsTheFirmwareRunEc2WouldUse() throws Exception {
        var elsewhere = Files.writeString(dir.resolve("OVMF.fd"), "firmware");
        var found = doctor(Map.of("MIRARI_OVMF", elsewhere.toString())).ovmf();
        assertThat(found.status()).isEqualTo(Check.Status.OK);
        assertThat(found.detail()).isEqualTo(elsewhere.toString());
        var missing = dir.resolve("none/OVMF.fd");
        var c = doctor(Map.of("MIRARI_OVMF", missing.toString())).ovmf();
        assertThat(c.status()).isEqualTo(Check.Status.MISSING);
        assertThat(c.detail())
                .isEqualTo("no OVMF firmware at " + missing + ", so the EC2 disk image cannot boot locally");
        assertThat(c.fix()).contains("sudo apt-get install ovmf (or MIRARI_OVMF=/path/to/OVMF.fd)");
        assertThat(c.targets()).containsExactly("ec2");
    }

    @Test
    void targetsAreReadyUnlessACheckTheyNeedIsMissing() {
        var checks = List.of(
                Check.ok("jdk", "25", "all"),
                Check.missing("qemu", "none", "apt-get install qemu-system-x86", "qemu", "ec2"),
                Check.warn("kvm", "tcg", "modprobe", "qemu"),
                Check.missing("aws", "none", "aws configure", "deploy ec2"));
        var r = Doctor.readiness(checks);
        assertThat(r).extracting(Doctor.Readiness::target).isEqualTo(Doctor.TARGETS);
        assertThat(r.get(0).ready()).isTrue();
        var qemu = r.stream().filter(t -> t.target().equals("qemu")).findFirst().orElseThrow();
        assertThat(qemu.missing()).containsExactly("qemu");
        assertThat(qemu.degraded()).containsExactly("kvm");
        var deploy = r.stream()
                .filter(t -> t.target().equals("deploy ec2"))
                .findFirst()
                .orElseThrow();
        assertThat(deploy.missing()).containsExactly("aws");
    }

    @Test
    void mirrorOfAsMavenSpellsIt() {
        assertThat(Doctor.mirrors("*", "central")).isTrue();
        assertThat(Doctor.mirrors("external:*", "central")).isTrue();
        assertThat(Doctor.mirrors("a, central", "central")).isTrue();
        assertThat(Doctor.mirrors("*,!central", "central")).isFalse();
        assertThat(Doctor.mirrors("other", "central")).isFalse();
    }

    @Test
    void credentialsAndContextsAreFoundWhereTheirToolsLook() throws Exception {
        assertThat(doctor(Map.of("HOME", dir.toString())).aws().status()).isEqualTo(Check.Status.MISSING);
        assertThat(doctor(Map.of("HOME", dir.toString(), "AWS_ACCESS_KEY_ID", "A", "AWS_SECRET_ACCESS_KEY", "S"))
                        .aws()
                        .status())
                .isEqualTo(Check.Status.OK);
        Files.createDirectories(dir.resolve(".aws"));
        Files.writeString(dir.resolve(".aws/credentials"), "[default]\naws_access_key_id = A\n");
        assertThat(doctor(Map.of("HOME", dir.toString())).aws().detail())
                .isEqualTo("profile default in " + dir.resolve(".aws/credentials"));
        assertThat(doctor(Map.of("HOME", dir.toString(), "AWS_PROFILE", "ci"))
                        .aws()
                        .status())
                .isEqualTo(Check.Status.MISSING);

        var kube = doctor(Map.of("HOME", dir.toString())).kube();
        assertThat(kube.status()).isEqualTo(Check.Status.MISSING);
        assertThat(kube.fix())
                .contains("kubectl config use-context NAME (or set KUBECONFIG to a kubeconfig with a"
                        + " current-context)");
        var config = Files.writeString(dir.resolve("kc"), "apiVersion: v1\ncurrent-context: \"kind-dev\"\n");
        var found = doctor(Map.of("HOME", dir.toString(), "KUBECONFIG", "/nonexistent:" + config))
                .kube();
        assertThat(found.status()).isEqualTo(Check.Status.OK);
        assertThat(found.detail()).isEqualTo("context kind-dev (" + config + ")");
    }

    @Test
    void offlineSettingsAreAWarningWithTheirFix() throws Exception {
        Files.createDirectories(dir.resolve(".m2"));
        Files.writeString(dir.resolve(".m2/settings.xml"), "<settings><offline>true</offline></settings>\n");
        var c = doctor(Map.of("HOME", dir.toString())).remoteRepository();
        assertThat(c.status()).isEqualTo(Check.Status.WARN);
        assertThat(c.fix())
                .isEqualTo(Optional.of(
                        "remove <offline>true</offline> from ~/.m2/settings.xml to resolve" + " new packages"));
    }
}
