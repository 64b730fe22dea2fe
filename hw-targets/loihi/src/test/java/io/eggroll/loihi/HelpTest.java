package io.eggroll.loihi;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** {@code eggroll --help} lists each command by its first description line: a whole sentence. */
class HelpTest {

    @Test
    void everyCommandSummaryIsAWholeSentence() {
        assertThat(Fixtures.assertCommandSummariesAreSentences()).contains("export", "import", "quantize", "replay");
    }
}
