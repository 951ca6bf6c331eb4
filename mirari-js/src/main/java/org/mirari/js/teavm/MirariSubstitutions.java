package org.mirari.js.teavm;

import org.teavm.extension.spi.substitution.SimpleSubstitutionPolicy;
import org.teavm.extension.spi.substitution.SubstitutionSink;

/**
 * How the runtime becomes JavaScript without a test for the platform on the JVM's path: where
 * {@code org.mirari.js.runtime.X} exists, TeaVM compiles it in place of {@code org.mirari.runtime.X}
 * (the JVM class stays as it is); JDK classes TeaVM's library lacks come from
 * {@code org.mirari.js.classlib.java.*.T*} (after TeaVM's own, which come first). Found by TeaVM through {@code ServiceLoader}.
 */
public final class MirariSubstitutions extends SimpleSubstitutionPolicy {
    @Override
    public void contribute(SubstitutionSink sink) {
        sink.selectClasses(inPackage("org.mirari.runtime", true))
                .replacePackage("org.mirari.runtime", "org.mirari.js.runtime");
        sink.selectClasses(inPackage("java", true))
                .packagePrefix("org.mirari.js.classlib.")
                .simpleNamePrefix("T");
    }
}
