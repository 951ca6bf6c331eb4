package org.mirari.tool.backend;

import java.util.List;
import java.util.Optional;
import org.mirari.tool.config.SnapshotMode;

/**
 * How {@code mirari run} wants the app started.
 *
 * @param aotCache     use (or, when there is none yet, train) a JEP 514 AOT cache for faster start-up
 * @param tap          {@code --unix}: the tap device to create or reuse ({@code tap0} by default)
 * @param hostAddress  {@code --unix}: the host side's address and prefix on the tap ({@code 10.0.0.1/24}
 *                     by default, or the app's static gateway)
 * @param forwards     VM targets: host-to-guest TCP port forwards ({@code -p HOST:GUEST}); empty means the default
 * @param vmTap        VM targets: a host tap device for the guest's NIC instead of user networking (given explicitly)
 * @param snapshot     {@code --qemu}: {@code --snapshot=auto|off|refresh}, which wins over the conf's {@code snapshot}
 */
public record RunOptions(
        boolean aotCache,
        String tap,
        Optional<String> hostAddress,
        List<PortForward> forwards,
        Optional<String> vmTap,
        Optional<SnapshotMode> snapshot) {
    public static final String DEFAULT_TAP = "tap0";

    public RunOptions {
        forwards = List.copyOf(forwards);
    }

    public RunOptions(
            boolean aotCache,
            String tap,
            Optional<String> hostAddress,
            List<PortForward> forwards,
            Optional<String> vmTap) {
        this(aotCache, tap, hostAddress, forwards, vmTap, Optional.empty());
    }

    public RunOptions(boolean aotCache, String tap, Optional<String> hostAddress) {
        this(aotCache, tap, hostAddress, List.of(), Optional.empty());
    }

    public RunOptions(boolean aotCache) {
        this(aotCache, DEFAULT_TAP, Optional.empty());
    }

    public static RunOptions defaults() {
        return new RunOptions(true);
    }
}
