package org.mirari.js.host;

import org.teavm.jso.JSBody;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * What the compiled app asks of the JavaScript that loads it: {@code globalThis.mirariHost}, which
 * the Node launcher ({@code node.mjs}) and the Service Worker define before they call {@code main}.
 * <ul>
 *   <li>{@code pack(name)}: the bytes of {@code <name>.kv} (a {@code Uint8Array}), or null;
 *   <li>{@code packLocation(name)}: where that pack is looked for, for messages;
 *   <li>{@code exit(status)}: the app's exit status (Node ends with it once its output is written);
 *   <li>{@code halt(status)}: the app's {@code System.exit(status)} (Node ends at once).
 * </ul>
 */
public final class JsHost {
    private JsHost() {}

    public static byte[] pack(String name) {
        Int8Array bytes = packBytes(name);
        return bytes == null ? null : bytes.toJavaArray();
    }

    @JSBody(
            params = "name",
            script = "var b = globalThis.mirariHost.pack(name);"
                    + " return b == null ? null : new Int8Array(b.buffer, b.byteOffset, b.byteLength);")
    private static native Int8Array packBytes(String name);

    @JSBody(params = "name", script = "return String(globalThis.mirariHost.packLocation(name));")
    public static native String packLocation(String name);

    @JSBody(params = "status", script = "globalThis.mirariHost.exit(status);")
    public static native void exit(int status);

    @JSBody(params = "status", script = "globalThis.mirariHost.halt(status);")
    public static native void halt(int status);
}
