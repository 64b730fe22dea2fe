package io.eggroll.rng;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Known-answer vectors from Random123 (docs/FORMATS.md sections 4.3 and 4.4). */
class PhiloxTest {

    @ParameterizedTest(name = "R={0} ctr={1} key={2}")
    @CsvSource({
        "7,  00000000 00000000 00000000 00000000, 00000000 00000000, 5f6fb709 0d893f64 4f121f81 4f730a48",
        "7,  ffffffff ffffffff ffffffff ffffffff, ffffffff ffffffff, 5207ddc2 45165e59 4d8ee751 8c52f662",
        "7,  243f6a88 85a308d3 13198a2e 03707344, a4093822 299f31d0, 4dfccaba 190a87f0 c47362ba b6b5242a",
        "10, 00000000 00000000 00000000 00000000, 00000000 00000000, 6627e8d5 e169c58d bc57ac4c 9b00dbd8",
        "10, ffffffff ffffffff ffffffff ffffffff, ffffffff ffffffff, 408f276d 41c83b0e a20bc7c6 6d5451fd",
        "10, 243f6a88 85a308d3 13198a2e 03707344, a4093822 299f31d0, d16cfe09 94fdcceb 5001e420 24126ea1",
        "10, 00000000 00000000 00000000 00000000, 12345678 9abcdef0, 0279b337 ecb5bd8d e611c4f6 44ece875",
        "10, 00000001 00000000 00000000 00000000, 12345678 9abcdef0, eb897a36 4fcdf6b6 fba23d8c 6eed5b47",
        "10, 00000002 00000000 00000000 00000000, 12345678 9abcdef0, 207b164b 5d52b9ca ba2c9175 19dee812",
    })
    void knownAnswerVectors(int rounds, String ctr, String key, String expected) {
        int[] c = words(ctr);
        int[] k = words(key);
        Philox.philox4x32(rounds, c, k[0], k[1]);
        assertThat(c).containsExactly(words(expected));
    }

    @Test
    void blockUsesSeedHalvesAsKey() {
        int[] viaBlock = new int[4];
        Philox.block(0x9abcdef012345678L, 2, 0, 0, 0, viaBlock);
        assertThat(viaBlock).containsExactly(words("207b164b 5d52b9ca ba2c9175 19dee812"));
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

    static int[] words(String s) {
        String[] p = s.trim().split("\\s+");
        int[] w = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            w[i] = (int) Long.parseLong(p[i], 16);
        }
        return w;
    }
}
