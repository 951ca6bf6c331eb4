package org.mirari.tool.image;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The JDK modules that the classes reachable from the app's roots use, from the class-level
 * dependency graph {@code jdeps -verbose:class -filter:none} prints. {@code jdeps
 * --print-module-deps} answers for every class in every jar: commons-lang3's {@code
 * AbstractCircuitBreaker} uses {@code java.beans} (for property-change listeners), so any app that
 * depends on commons-lang3 (commons-text does) got {@code java.desktop}, 12 MB, whether or not it
 * could ever load that class. Here only classes reachable by static references from the entry
 * class and the jars' service providers count; what reflection alone reaches is what {@code
 * depends} is for.
 *
 * @param modules   the modules used by reachable classes, sorted
 * @param unreached each module only unreachable classes use, with one such class (for messages)
 */
record ModuleReach(Set<String> modules, Map<String, String> unreached) {
    /**
     * {@code   org.a.B   -> org.c.D   where}: where is a JDK module, {@code JDK internal API (module)},
     * a jar of the class path (its file name, or its module name when it has one) or "not found".
     */
    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+(\\S.*?)\\s*$");

    private static final Pattern INTERNAL = Pattern.compile("JDK internal API \\((\\S+)\\)");

    ModuleReach {
        modules = java.util.Collections.unmodifiableSet(new TreeSet<>(modules));
        unreached = java.util.Collections.unmodifiableMap(new TreeMap<>(unreached));
    }

    /**
     * Walks the graph in {@code jdepsOutput}.
     *
     * @param jdkModules the modules of the JDK whose runtime is linked (any other "where" holds app classes)
     * @param roots    the classes the JVM loads first: the entry class and the service providers
     */
    static ModuleReach of(String jdepsOutput, Set<String> jdkModules, List<String> roots) {
        var classEdges = new HashMap<String, Set<String>>();
        var moduleEdges = new HashMap<String, Set<String>>();
        var allModuleUsers = new TreeMap<String, String>();
        for (String line : jdepsOutput.lines().toList()) {
            var m = EDGE.matcher(line);
            if (!m.matches()) continue;
            String from = m.group(1);
            String to = m.group(2);
            String where = m.group(3);
            if (where.equals("not found")) continue;
            var internal = INTERNAL.matcher(where);
            if (internal.matches()) where = internal.group(1);
            if (jdkModules.contains(where)) {
                moduleEdges.computeIfAbsent(from, k -> new TreeSet<>()).add(where);
                allModuleUsers.merge(where, from, (a, b) -> a.compareTo(b) <= 0 ? a : b);
            } else {
                classEdges.computeIfAbsent(from, k -> new HashSet<>()).add(to);
            }
        }
        var seen = new HashSet<String>();
        var todo = new ArrayDeque<String>();
        for (String r : roots) if (seen.add(r)) todo.add(r);
        var modules = new TreeSet<String>();
        while (!todo.isEmpty()) {
            String c = todo.poll();
            modules.addAll(moduleEdges.getOrDefault(c, Set.of()));
            for (String next : classEdges.getOrDefault(c, Set.of())) if (seen.add(next)) todo.add(next);
        }
        var unreached = new TreeMap<String, String>();
        allModuleUsers.forEach((module, user) -> {
            if (!modules.contains(module)) unreached.put(module, user);
        });
        return new ModuleReach(modules, unreached);
    }
}
