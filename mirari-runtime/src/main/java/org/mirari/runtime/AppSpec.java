package org.mirari.runtime;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the generated {@code Main} knows about its app at build time.
 *
 * @param name      the app's name (the conf file's base name)
 * @param stores    names of the KV stores packed for this app ({@code fs-<name>} keys)
 * @param defaults  boot-time parameters from the conf ({@code ip-*}, {@code http-port},
 *                  {@code http-address}); arguments given at start-up override them
 */
public record AppSpec(String name, List<String> stores, Map<String, String> defaults) {
    public AppSpec {
        Objects.requireNonNull(name, "name");
        stores = List.copyOf(stores);
        defaults = Map.copyOf(defaults);
    }
}
