package org.mirari.tool.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.context.ToolContext;
import org.mirari.tool.error.EnvironmentException;

class StateDirTest {
    @TempDir
    Path dir;

    private ToolContext context(Map<String, String> env) {
        return new ToolContext(dir, env, dir, Map.of());
    }

    @Test
    void xdgStateHomeWinsThenHome() {
        assertThat(StateDir.location(context(Map.of("XDG_STATE_HOME", "/x/state", "HOME", "/home/a"))))
                .isEqualTo(Path.of("/x/state/mirari"));
        // a relative XDG_STATE_HOME is to be ignored (XDG Base Directory Specification)
        assertThat(StateDir.location(context(Map.of("XDG_STATE_HOME", "rel", "HOME", "/home/a"))))
                .isEqualTo(Path.of("/home/a/.local/state/mirari"));
        assertThat(StateDir.location(context(Map.of("HOME", "/root")))).isEqualTo(Path.of("/root/.local/state/mirari"));
        assertThatThrownBy(() -> StateDir.location(context(Map.of()))).isInstanceOf(EnvironmentException.class);
    }

    @Test
    void createdPrivateWithNamesThatStayUnique() throws Exception {
        var state = StateDir.of(context(Map.of("XDG_STATE_HOME", dir.toString())));
        assertThat(Files.getPosixFilePermissions(state.root())).hasToString("[OWNER_READ, OWNER_WRITE, OWNER_EXECUTE]");
        assertThat(state.freeName("hello")).isEqualTo("hello");
        Files.createDirectory(state.instance("hello"));
        assertThat(state.freeName("hello")).isEqualTo("hello-2");
        Files.createDirectory(state.instance("hello-2"));
        assertThat(state.freeName("hello")).isEqualTo("hello-3");
        assertThat(state.names()).containsExactly("hello", "hello-2");
        try (var lock = state.lock()) {
            assertThat(lock.lock().isValid()).isTrue();
        }
    }

    /** A state directory of another user (a sudo that kept the caller's HOME) is refused with the fix. */
    @Test
    void anotherUsersStateDirectoryIsRefused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Processes.euid() == 0, "only root can give a directory away");
        var theirs = Files.createDirectories(dir.resolve("theirs/mirari"));
        Files.setAttribute(theirs, "unix:uid", 65534);
        assertThatThrownBy(() -> StateDir.of(
                        context(Map.of("XDG_STATE_HOME", dir.resolve("theirs").toString()))))
                .isInstanceOf(EnvironmentException.class)
                .hasMessage("the state directory " + theirs + " belongs to uid 65534, not to this user (uid 0); set"
                        + " XDG_STATE_HOME to a directory of your own (with sudo: sudo -H, so that HOME is root's)");
    }

    /** A state directory under a file (XDG_STATE_HOME set to one) names the file and what is wrong with it. */
    @Test
    void aStateDirectoryUnderAFileNamesTheFile() throws Exception {
        var file = Files.writeString(dir.resolve("file"), "not a directory\n");
        assertThatThrownBy(() -> StateDir.of(context(Map.of("XDG_STATE_HOME", file.toString()))))
                .isInstanceOf(EnvironmentException.class)
                .hasMessage("cannot use the state directory " + file.resolve("mirari") + ": " + file
                        + " is not a directory; set XDG_STATE_HOME to a writable directory");
        assertThat(Files.readString(file)).isEqualTo("not a directory\n");
    }

    @Test
    void instanceNamesAreChecked() {
        assertThat(StateDir.invalidName("web-1.a_b")).isEmpty();
        for (var bad : List.of("", "-x", "A", "a/b", "..", "a b", "x".repeat(64)))
            assertThat(StateDir.invalidName(bad)).as(bad).isPresent();
    }

    @Test
    void anInstanceAndItsStatusReadBackAsWritten() throws Exception {
        var state = StateDir.of(context(Map.of("XDG_STATE_HOME", dir.toString())));
        var d = Files.createDirectory(state.instance("a"));
        var i = new Instance(
                d,
                "a",
                "hello",
                "/x/hello.conf",
                "socket",
                dir,
                List.of("--set", "k=v = x", "/x"),
                RestartPolicy.parse("on-failure:3"),
                42);
        i.write();
        assertThat(Instance.read(d)).contains(i);
        var s = Status.starting(7, 8)
                .withApp(9, 10, 11)
                .with(State.RUNNING)
                .withAddress("http://h/")
                .withTap("t0");
        s.write(d);
        assertThat(i.status()).isEqualTo(s);
        assertThat(state.all()).containsExactly(i);
    }
}
