/**
 * Read-only key-value stores made from {@code fs-<name>} directories: packed once at configure
 * time by the tool (with {@code internal.kv.KvPackWriter}, not an app API), mapped at run time as a
 * {@link org.mirari.runtime.kv.KvStore}.
 */
package org.mirari.runtime.kv;
