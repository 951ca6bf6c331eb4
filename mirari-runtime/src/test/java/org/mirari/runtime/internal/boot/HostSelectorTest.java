package org.mirari.runtime.internal.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.spi.SelectorProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HostSelectorTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(HostSelector.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) System.clearProperty(HostSelector.PROPERTY);
        else System.setProperty(HostSelector.PROPERTY, saved);
    }

    @Test
    void onLinuxTheJdksEpollProviderIsNamedWhenNothingIs() {
        System.clearProperty(HostSelector.PROPERTY);
        HostSelector.preferTheJdks();
        if (System.getProperty("os.name").equals("Linux")) {
            assertThat(System.getProperty(HostSelector.PROPERTY)).isEqualTo(HostSelector.EPOLL);
            // the class the property names is the JDK's default here
            assertThat(SelectorProvider.provider().getClass().getName()).isEqualTo(HostSelector.EPOLL);
        } else {
            assertThat(System.getProperty(HostSelector.PROPERTY)).isNull();
        }
    }

    @Test
    void aProviderNamedAlreadyStays() {
        System.setProperty(HostSelector.PROPERTY, "org.mirari.net.nio.StackSelectorProvider");
        HostSelector.preferTheJdks();
        assertThat(System.getProperty(HostSelector.PROPERTY)).isEqualTo("org.mirari.net.nio.StackSelectorProvider");
    }
}
