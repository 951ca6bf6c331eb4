package org.mirari.runtime.internal.boot;

import java.util.List;
import org.mirari.runtime.BootParameters;
import org.mirari.runtime.net.NetInterface;
import org.mirari.runtime.net.Network;
import org.mirari.runtime.spi.NetworkProvider;

/**
 * A provider (scheme {@code fixed}) that configures nothing and reports the static boot-time
 * parameters: enough to check that the runtime finds providers and passes them what it should.
 */
public final class FixedNetworkProvider implements NetworkProvider {
    @Override
    public String scheme() {
        return "fixed";
    }

    @Override
    public Network open(String target, BootParameters params) {
        return Network.of(List.of(new NetInterface(
                target, "00:16:3e:00:00:01", params.ipAddress(), params.ipNetmask(), params.ipGateway())));
    }
}
