package org.mirari.tool.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleReachTest {
    static final Set<String> JDK = Set.of("java.base", "java.desktop", "jdk.httpserver", "jdk.unsupported");

    /** Lines as jdeps -verbose:class -filter:none prints them (a modular jar's "where" is its module name). */
    static final String OUTPUT = """
            hello.jar -> java.base
            hello.jar -> org.mirari.runtime
               Main                                -> Hello                               hello.jar
               Main                                -> org.mirari.runtime.Mirari           org.mirari.runtime
               Hello                               -> java.lang.String                    java.base
               org.mirari.runtime.Mirari           -> org.mirari.runtime.internal.Boot    org.mirari.runtime
               org.mirari.runtime.internal.Boot    -> sun.misc.Signal                     JDK internal API (jdk.unsupported)
               org.mirari.runtime.http.HttpApp     -> com.sun.net.httpserver.HttpHandler  jdk.httpserver
               org.apache.commons.lang3.concurrent.AbstractCircuitBreaker -> java.beans.PropertyChangeSupport java.desktop
               org.apache.commons.lang3.StringUtils -> org.apache.commons.lang3.CharUtils org.apache.commons.lang3
               org.example.Plugin                  -> java.beans.Beans                    java.desktop
               Hello                               -> org.example.Gone                    not found
            """;

    @Test
    void onlyTheModulesOfReachableClassesCount() {
        var r = ModuleReach.of(OUTPUT, JDK, List.of("Main"));
        assertThat(r.modules()).containsExactly("java.base", "jdk.unsupported");
        assertThat(r.unreached())
                .containsEntry("java.desktop", "org.apache.commons.lang3.concurrent.AbstractCircuitBreaker")
                .containsEntry("jdk.httpserver", "org.mirari.runtime.http.HttpApp");
    }

    @Test
    void serviceProvidersAreRootsToo() {
        var r = ModuleReach.of(OUTPUT, JDK, List.of("Main", "org.example.Plugin"));
        assertThat(r.modules()).containsExactly("java.base", "java.desktop", "jdk.unsupported");
        assertThat(r.unreached()).containsOnlyKeys("jdk.httpserver");
    }

    @Test
    void aCycleEnds() {
        String cyclic = """
                   A -> B   app.jar
                   B -> A   app.jar
                   B -> java.lang.Object java.base
                """;
        assertThat(ModuleReach.of(cyclic, JDK, List.of("A")).modules()).containsExactly("java.base");
    }

    @FuzzTest(maxDuration = "10s")
    void anyOutputGivesModulesOfTheJdk(byte[] data) {
        var r = ModuleReach.of(new String(data, StandardCharsets.UTF_8), JDK, List.of("Main"));
        assertThat(JDK).containsAll(r.modules());
        assertThat(JDK).containsAll(r.unreached().keySet());
        for (String m : r.modules()) assertThat(r.unreached()).doesNotContainKey(m);
    }
}
