package io.eggroll.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void medianAndRange() {
        assertThat(Summary.of(new double[] {3, 1, 2})).isEqualTo(new Summary(2, 1, 3, 3));
        assertThat(Summary.of(new double[] {4, 1, 2, 10})).isEqualTo(new Summary(3, 1, 10, 4));
        assertThat(Summary.of(new double[] {0.5}).format(3)).isEqualTo("0.500");
        assertThat(Summary.of(new double[] {1.25, 2, 3}).format(2)).isEqualTo("2.0 (1.3–3.0)");
        assertThatThrownBy(() -> Summary.of(new double[0])).hasMessageContaining("no measurements");
    }

    @Test
    void numbersKeepSignificantDigits() {
        assertThat(Summary.num(1234.5, 3)).isEqualTo("1235");
        assertThat(Summary.num(0.012345, 3)).isEqualTo("0.0123");
        assertThat(Summary.num(3.2e9, 3)).isEqualTo("3.20e+09");
        assertThat(Summary.num(Double.NaN, 3)).isEqualTo("—");
    }
}
