package io.eggroll.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    @Test
    void theVerifyFractionIsAShareAndDefaultsToFivePercent() {
        Duration s = Duration.ofSeconds(1);
        assertThat(new Coordinator.Options(1, s, s).verifyFraction()).isEqualTo(0.05);
        assertThat(new Coordinator.Options(1, s, s, 0).verifyFraction()).isZero();
        assertThatThrownBy(() -> new Coordinator.Options(1, s, s, 1.5)).hasMessageContaining("--verify-fraction");
        assertThatThrownBy(() -> new Coordinator.Options(1, s, s, Double.NaN)).hasMessageContaining("--verify-fraction");
    }

    @Test
    void expandsPortRanges() {
        assertThat(ClusterSettings.expandMembers(List.of("10.0.0.5:5701-5703", " host-b:6000 ")))
                .containsExactly("10.0.0.5:5701", "10.0.0.5:5702", "10.0.0.5:5703", "host-b:6000");
    }

    @Test
    void badMembersAreNamed() {
        assertThatThrownBy(() -> ClusterSettings.expandMembers(List.of("10.0.0.5")))
                .hasMessageContaining("member '10.0.0.5' is not host:port");
        assertThatThrownBy(() -> ClusterSettings.expandMembers(List.of("h:5703-5701")))
                .hasMessageContaining("'h:5703-5701'").hasMessageContaining("port range");
        assertThatThrownBy(() -> ClusterSettings.expandMembers(List.of()))
                .hasMessageContaining("member list is empty");
    }

    @Test
    void aClusterNameIsRequired() {
        assertThatThrownBy(() -> new ClusterSettings(" ", "127.0.0.1", 5701, 1, List.of("127.0.0.1:5701"), 5))
                .hasMessageContaining("cluster name is required");
    }

    @Test
    void configBindsOneInterfaceAndJoinsOnlyListedMembers() {
        ClusterSettings s = new ClusterSettings("c1", "127.0.0.1", 5801, 3, List.of("127.0.0.1:5801-5802"), 7);
        Config c = s.hazelcastConfig("x", true, Map.of(Wire.ATTR_ROLE, Wire.ROLE_COORDINATOR), Map.of());
        assertThat(c.getClusterName()).isEqualTo("c1");
        assertThat(c.isLiteMember()).isTrue();
        assertThat(c.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
        assertThat(c.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("7");
        assertThat(c.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        assertThat(c.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
        assertThat(c.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
                .containsExactly("127.0.0.1:5801", "127.0.0.1:5802");
        assertThat(c.getMemberAttributeConfig().getAttribute(Wire.ATTR_ROLE)).isEqualTo(Wire.ROLE_COORDINATOR);
    }
}
