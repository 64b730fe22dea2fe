package io.eggroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code eggroll -V}: the version Maven stamped, the commit (or "unknown"), and the JVM. */
class BuildInfoTest {

    @Test
    void versionComesFromTheBuildStamp() {
        BuildInfo b = BuildInfo.current();
        assertThat(b.version()).isNotEqualTo("unknown").matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(b.commit()).matches("unknown|[0-9a-f]{7,40}(-dirty)?");
        assertThat(b.jvm()).contains(Runtime.version().toString());
        StringBuilder out = new StringBuilder();
        assertThat(io.eggroll.testing.Fixtures.runCli(out, "-V")).isZero();
        assertThat(out.toString()).contains(b.line()).doesNotContain("eggroll-snn dev");
    }
}
