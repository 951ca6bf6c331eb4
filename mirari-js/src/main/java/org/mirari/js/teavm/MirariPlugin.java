package org.mirari.js.teavm;

import org.teavm.vm.spi.TeaVMHost;
import org.teavm.vm.spi.TeaVMPlugin;

/** Mirari's additions to TeaVM's class library (found by TeaVM through {@code ServiceLoader}). */
public final class MirariPlugin implements TeaVMPlugin {
    @Override
    public void install(TeaVMHost host) {
        host.add(new StringLines());
        host.add(new SystemExit());
    }
}
