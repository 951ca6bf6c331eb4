package org.mirari.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Executable;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's exported packages (read from the compiled {@code module-info}) never name an
 * {@code internal} type in a public or protected signature: an app can then compile against the
 * API alone, and the engine can change without breaking one. A failure names the member and the
 * internal type it exposes.
 */
class ExportedApiTest {
    private static final String INTERNAL = "org.mirari.runtime.internal.";

    @Test
    void exportedSignaturesNameNoInternalType() throws Exception {
        Path classes = classesDir();
        Set<String> exported = exportedPackages(classes);
        assertThat(exported).contains("org.mirari.runtime", "org.mirari.runtime.kv", "org.mirari.runtime.http");

        var leaks = new TreeSet<String>();
        int checked = 0;
        for (Class<?> c : classesOf(classes, exported)) {
            if (!isVisible(c.getModifiers()) || (c.getEnclosingClass() != null && !visibleFromOutside(c))) {
                continue;
            }
            checked++;
            String where = c.getName();
            check(leaks, where + " extends", c.getGenericSuperclass());
            for (Type t : c.getGenericInterfaces()) check(leaks, where + " implements", t);
            if (c.isSealed()) {
                for (Class<?> p : c.getPermittedSubclasses()) check(leaks, where + " permits", p);
            }
            for (var f : c.getDeclaredFields()) {
                if (isVisible(f.getModifiers())) check(leaks, where + "." + f.getName(), f.getGenericType());
            }
            for (var m : c.getDeclaredMethods()) {
                if (isVisible(m.getModifiers()) && !m.isSynthetic()) {
                    check(leaks, where + "." + m.getName() + "() returns", m.getGenericReturnType());
                    checkExecutable(leaks, where + "." + m.getName() + "()", m);
                }
            }
            for (var k : c.getDeclaredConstructors()) {
                if (isVisible(k.getModifiers())) checkExecutable(leaks, where + ".<init>()", k);
            }
        }
        assertThat(checked).as("exported public types checked").isGreaterThan(10);
        assertThat(leaks).as("exported signatures naming internal types").isEmpty();
    }

    @Test
    void theCheckSeesAnInternalType() {
        var leaks = new TreeSet<String>();
        check(leaks, "probe", org.mirari.runtime.internal.boot.Boot.class);
        assertThat(leaks).containsExactly("probe names org.mirari.runtime.internal.boot.Boot");
    }

    private static void checkExecutable(Set<String> leaks, String where, Executable e) {
        for (Type t : e.getGenericParameterTypes()) check(leaks, where + " parameter", t);
        for (Type t : e.getGenericExceptionTypes()) check(leaks, where + " throws", t);
    }

    private static void check(Set<String> leaks, String where, Type type) {
        for (String name : typeNames(type, new ArrayList<>())) {
            if (name.startsWith(INTERNAL)) leaks.add(where + " names " + name);
        }
    }

    private static List<String> typeNames(Type type, List<String> out) {
        switch (type) {
            case null -> {}
            case Class<?> c -> out.add(c.isArray() ? c.componentType().getName() : c.getName());
            case ParameterizedType p -> {
                typeNames(p.getRawType(), out);
                for (Type a : p.getActualTypeArguments()) typeNames(a, out);
            }
            case GenericArrayType g -> typeNames(g.getGenericComponentType(), out);
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) typeNames(b, out);
                for (Type b : w.getLowerBounds()) typeNames(b, out);
            }
            case TypeVariable<?> v -> {} // its bounds are checked where it is declared
            default -> throw new IllegalStateException("unexpected type " + type);
        }
        return out;
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static boolean visibleFromOutside(Class<?> c) {
        for (Class<?> e = c; e != null; e = e.getEnclosingClass()) {
            if (!isVisible(e.getModifiers())) return false;
        }
        return true;
    }

    private static Path classesDir() throws URISyntaxException {
        // target/classes, where Mirari.class was compiled (tests see target/test-classes first).
        return Path.of(
                Mirari.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Set<String> exportedPackages(Path classes) throws IOException {
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            var exports = new TreeSet<String>();
            for (var e : ModuleDescriptor.read(in).exports()) {
                if (!e.isQualified()) exports.add(e.source());
            }
            return exports;
        }
    }

    private static List<Class<?>> classesOf(Path classes, Set<String> packages) throws Exception {
        var out = new ArrayList<Class<?>>();
        for (String pkg : packages) {
            Path dir = classes.resolve(pkg.replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String file = f.getFileName().toString();
                    if (file.endsWith(".class") && !file.equals("package-info.class")) {
                        out.add(Class.forName(
                                pkg + "." + file.substring(0, file.length() - 6),
                                false,
                                ExportedApiTest.class.getClassLoader()));
                    }
                }
            }
        }
        return out;
    }
}
