/**
 * The KV pack format ({@link org.mirari.runtime.internal.kv.PackFormat}), its writer (used by the
 * tool at configure time: the one internal type the tool may use), key normalisation,
 * content types, and the mapped store. Not an API: apps use {@code org.mirari.runtime.kv}.
 */
package org.mirari.runtime.internal.kv;
