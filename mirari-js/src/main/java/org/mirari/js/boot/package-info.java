/**
 * The boot of an app compiled to JavaScript: boot-time parameters (the runtime's own parser), the
 * KV stores from the host's pack bytes ({@link org.mirari.js.runtime.internal.kv.PackedKvStore}), then the app:
 * {@code main-noip} runs, {@code main-http} is registered as the Service Worker's handler. Uses the
 * runtime, {@code host} and TeaVM's JSO.
 */
package org.mirari.js.boot;
