package io.eggroll.tornado;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.backend.Backend;
import io.eggroll.backend.Backends;
import io.eggroll.backend.ModelState;
import io.eggroll.backend.conformance.Conformance;
import io.eggroll.backend.conformance.ConformanceCase;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.es.EsConfig;
import io.eggroll.es.Generation;
import io.eggroll.snn.SpikeBatch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Device selection, the service provider, plan rebuilds, clear errors and training on TornadoVM. */
class TornadoBackendTest {

    private static TornadoDevices.Device device;

    @BeforeAll
    static void device() {
        device = TornadoTestSupport.device();
    }

    @Test
    void theBackendIsFoundThroughTheServiceLoaderAndListsDevices() {
        var provider = Backends.provider("tornado");
        assertThat(provider.unavailableReason()).isEmpty();
        assertThat(provider.devices()).isNotEmpty().allSatisfy(d -> assertThat(d).matches("\\d+:\\d+ .*")
                .contains("compute units"));
        StringBuilder out = new StringBuilder();
        assertThat(io.eggroll.testing.Fixtures.runCli(out, "devices")).isZero();
        assertThat(out.toString()).contains("tornado:").contains("[0] " + TornadoDevices.list().get(0).describe());
    }

    @Test
    void devicesAreSelectedByBackendAndDeviceIndexPositionOrName() {
        TornadoDevices.Device first = TornadoDevices.list().getFirst();
        assertThat(TornadoDevices.select(first.id())).isEqualTo(first);
        assertThat(TornadoDevices.select("0")).isEqualTo(first);
        assertThat(TornadoDevices.select(null)).isEqualTo(first);
        assertThat(TornadoDevices.select(first.name().substring(0, Math.min(6, first.name().length()))
                .toUpperCase(java.util.Locale.ROOT))).isEqualTo(first);
        assertThatThrownBy(() -> TornadoDevices.select("7:9"))
                .hasMessageContaining("--device 7:9: TornadoVM has no device").hasMessageContaining("[0] ");
        assertThatThrownBy(() -> TornadoDevices.select("999"))
                .hasMessageContaining("--device 999: no TornadoVM device with that index");
        assertThatThrownBy(() -> TornadoDevices.select("no-such-device-xyz"))
                .hasMessageContaining("'no-such-device-xyz' matches no TornadoVM device");
    }

    @Test
    void outgrowingTheBuffersRebuildsThePlanAndKeepsTheResidentState() {
        ConformanceCase c = ConformanceCase.random(0xBEEFL, 40, 0);
        // 1200 frames: more than the initial plan holds (1024), so evaluate rebuilds the plan.
        SpikeBatch big = ConformanceCase.randomBatch(new SplittableRandom(5), 100, 12,
                c.state().network().inputs(), c.state().network().outputs(), 0.2);
        float[] shaped = c.randomShapedFitness();
        try (TornadoBackend tornado = new TornadoBackend(device, 0); Backend cpu = new CpuBackend(2)) {
            tornado.load(c.state());
            cpu.load(c.state());
            float lr = c.state().optimizer().learningRateAt(c.state().optimizerState().step() + 1);
            tornado.update(c.generation(), shaped, shaped.length, lr);
            cpu.update(c.generation(), shaped, shaped.length, lr);
            String before = tornado.state().params().sha256();
            Conformance.ReadoutResult r = Conformance.compare(cpu.evaluate(big, c.generation()),
                    tornado.evaluate(big, c.generation()), c.generation().es().population(), big,
                    c.state().network().outputs(), 1f, "after rebuild");
            assertThat(r.agreement()).as("first difference: %s", r.firstDifference())
                    .isGreaterThanOrEqualTo(Conformance.READOUT_AGREEMENT);
            ModelState after = tornado.state();
            assertThat(after.params().sha256()).isEqualTo(before);
            assertThat(after.optimizerState().step()).isEqualTo(1);
        }
    }

    @Test
    void badInputIsAClearError() {
        ConformanceCase c = ConformanceCase.random(0xF00DL, 24, 0);
        try (TornadoBackend b = new TornadoBackend(device, 0)) {
            assertThatThrownBy(() -> b.infer(c.batch())).hasMessageContaining("no model loaded");
            b.load(c.state());
            SpikeBatch wrong = ConformanceCase.randomBatch(new SplittableRandom(1), 2, 3,
                    c.state().network().inputs() + 1, 2, 0.1);
            assertThatThrownBy(() -> b.infer(wrong)).hasMessageContaining("batch has " + wrong.inputs() + " inputs");
            assertThatThrownBy(() -> b.update(c.generation(), new float[3], 3, 0.01f))
                    .hasMessageContaining("shaped fitness has 3 entries");
            EsConfig es = c.generation().es();
            assertThatThrownBy(() -> b.evaluate(c.batch(), new Generation(1, 0, es), es.pairs(), 1))
                    .hasMessageContaining("out of range for population");
        }
    }
}
