package io.eggroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

/** Error messages carry their cause's reason and name the file: what a user needs to act. */
class DescribeTest {

    @Test
    void aWrappedIoErrorKeepsItsReason() {
        IOException disk = new FileSystemException("/runs/x/checkpoints/latest.ckpt.tmp", null, "No space left on device");
        String m = Main.describe(new UncheckedIOException("cannot write checkpoint /runs/x/checkpoints/latest.ckpt", disk));
        assertThat(m).isEqualTo("cannot write checkpoint /runs/x/checkpoints/latest.ckpt: "
                + "/runs/x/checkpoints/latest.ckpt.tmp: No space left on device");
    }

    @Test
    void fileErrorsNameTheFileAndWhy() {
        assertThat(Main.describe(new AccessDeniedException("/data/cfg.json"))).isEqualTo("/data/cfg.json: permission denied");
        assertThat(Main.describe(new IllegalArgumentException("es.sigma must be > 0, got 0")))
                .isEqualTo("es.sigma must be > 0, got 0");
    }
}
