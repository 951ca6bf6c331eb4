package org.mirari.oci.it;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * An htpasswd line with a bcrypt hash, the only kind Debian's docker-registry accepts, made by the
 * system's libcrypt (libxcrypt, part of every Debian system: {@code crypt_gensalt} with the
 * {@code $2b$} prefix, then {@code crypt}) through the FFM API, so the test needs no
 * {@code apache2-utils} and no bcrypt library.
 */
final class Htpasswd {
    private Htpasswd() {}

    /** {@code user:$2b$10$...}. */
    static String line(String user, String password) {
        var linker = Linker.nativeLinker();
        try (var arena = Arena.ofConfined()) {
            var crypt = SymbolLookup.libraryLookup("libcrypt.so.1", arena);
            var ptr = ValueLayout.ADDRESS;
            // char *crypt_gensalt(const char *prefix, unsigned long count, const char *rbytes, int nrbytes):
            // null random bytes make it read the OS's own.
            MethodHandle gensalt = linker.downcallHandle(
                    crypt.find("crypt_gensalt").orElseThrow(),
                    FunctionDescriptor.of(ptr, ptr, ValueLayout.JAVA_LONG, ptr, ValueLayout.JAVA_INT));
            // char *crypt(const char *phrase, const char *setting)
            MethodHandle hash =
                    linker.downcallHandle(crypt.find("crypt").orElseThrow(), FunctionDescriptor.of(ptr, ptr, ptr));
            var setting = (MemorySegment) gensalt.invokeExact(arena.allocateFrom("$2b$"), 10L, MemorySegment.NULL, 0);
            if (setting.equals(MemorySegment.NULL)) throw new IllegalStateException("crypt_gensalt failed");
            String salt = setting.reinterpret(64).getString(0);
            var out = (MemorySegment) hash.invokeExact(arena.allocateFrom(password), arena.allocateFrom(salt));
            String hashed = out.reinterpret(128).getString(0);
            if (!hashed.startsWith("$2b$10$")) throw new IllegalStateException("crypt gave " + hashed);
            return user + ":" + hashed;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot make a bcrypt hash with libcrypt: " + e, e);
        }
    }
}
