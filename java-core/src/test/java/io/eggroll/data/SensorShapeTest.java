package io.eggroll.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SensorShapeTest {

    @Test
    void nmnistIndexIsLavaDlsPyxOrder() {
        SensorShape s = SensorShape.NMNIST;
        assertThat(s.inputs()).isEqualTo(2312);
        assertThat(s.frameBytes()).isEqualTo(289);
        assertThat(s.index(3, 2, 1)).isEqualTo(1156 + 2 * 34 + 3).isEqualTo(BinSpec.inputIndex(3, 2, 1));
        assertThat(s.contains(33, 33, 1)).isTrue();
        assertThat(s.contains(34, 0, 0)).isFalse();
        assertThat(s.contains(0, 0, 2)).isFalse();
        assertThat(s.contains(-1, 0, 0)).isFalse();
    }

    @Test
    void aOneDimensionalSensorIsOneRowOfUnits() {
        SensorShape s = SensorShape.units(700);
        assertThat(s).isEqualTo(new SensorShape(1, 1, 700));
        assertThat(s.oneDimensional()).isTrue();
        assertThat(s.index(699, 0, 0)).isEqualTo(699);
        assertThat(s.frameBytes()).isEqualTo(88);
        assertThat(s.contains(0, 1, 0)).isFalse();
        assertThat(s).hasToString("700 units");
        assertThat(new SensorShape(2, 3, 5)).hasToString("2 x 3 x 5");
        assertThat(SensorShape.units(9).frameBytes()).isEqualTo(2);
    }

    @Test
    void emptyOrHugeSensorsAreRefused() {
        assertThatThrownBy(() -> SensorShape.units(0)).hasMessageContaining("1 x 1 x 0");
        assertThatThrownBy(() -> new SensorShape(2, 1 << 12, 1 << 12)).hasMessageContaining("at most");
    }

    @Test
    void binningRefusesAnEventOffTheSensor() {
        EventBuffer e = new EventBuffer();
        e.add(5, 0, 0, 0);
        BinSpec b = new BinSpec(1, 0, 10);
        assertThatThrownBy(() -> b.binInto(e, SensorShape.units(5), new byte[1], 0))
                .hasMessageContaining("x=5").hasMessageContaining("5 units");
    }
}
