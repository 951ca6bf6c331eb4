/**
 * Read-only key-value stores made from {@code fs-<name>} directories: packed once at configure
 * time by {@link org.mirari.runtime.kv.KvPackWriter}, mapped at run time as a
 * {@link org.mirari.runtime.kv.KvStore}.
 */
package org.mirari.runtime.kv;
