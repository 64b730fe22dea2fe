package io.eggroll.rng;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Known-answer vectors from Random123, read from the one data file ({@link PhiloxKnownAnswers}; docs/FORMATS.md section 4). */
class PhiloxTest {

    @Test
    void theSharedFileHoldsTheVectors() {
        assertThat(PhiloxKnownAnswers.all()).hasSize(9);
        assertThat(PhiloxKnownAnswers.eggrollRounds()).hasSize(6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.eggroll.rng.PhiloxKnownAnswers#all")
    void knownAnswerVectors(PhiloxKnownAnswers.Vector v) {
        int[] c = v.counter().clone();
        Philox.philox4x32(v.rounds(), c, v.k0(), v.k1());
        assertThat(c).containsExactly(v.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.eggroll.rng.PhiloxKnownAnswers#eggrollRounds")
    void blockUsesSeedHalvesAsKey(PhiloxKnownAnswers.Vector v) {
        int[] viaBlock = new int[4];
        int[] c = v.counter();
        Philox.block(v.seed(), c[0], c[1], c[2], c[3], viaBlock);
        assertThat(viaBlock).containsExactly(v.expected());
    }

    @Test
    void u01MatchesRandom123() {
        assertThat(Float.floatToIntBits(Philox.u01(0))).isEqualTo(0x2f000000);
        assertThat(Philox.u01(0x80000000)).isEqualTo(0.5f);
        assertThat(Philox.u01(0xFFFFFFFF)).isEqualTo(1.0f);
        assertThat(Float.floatToIntBits(Philox.u01(0x6627e8d5))).isEqualTo(0x3ecc4fd2);
        assertThat(Float.floatToIntBits(Philox.u01(0xe169c58d))).isEqualTo(0x3f6169c6);
        assertThat(Float.floatToIntBits(Philox.u01(0xbc57ac4c))).isEqualTo(0x3f3c57ac);
        assertThat(Float.floatToIntBits(Philox.u01(0x9b00dbd8))).isEqualTo(0x3f1b00dc);
    }
}
