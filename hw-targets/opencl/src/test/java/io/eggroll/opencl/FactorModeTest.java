package io.eggroll.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.backend.Backend;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.conformance.ConformanceCase;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.es.Generation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Materialised and regenerated factors give the cpu backend's bits: the same readouts and, after
 * updates, the same parameters (hash), on random networks covering EGGROLL, full rank,
 * Rademacher noise, membrane readouts and deep networks; also with the build GPUs get (work-groups
 * of 64, no explicit vectors), whose code paths PoCL's default build takes only for partial strips.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FactorModeTest {

    private ClDevice device;
    private OpenClBackend materialised;
    private OpenClBackend regenerated;
    private OpenClBackend gpuShaped;
    private CpuBackend cpu;

    @BeforeAll
    void open() {
        device = OpenClTestSupport.device();
        materialised = new OpenClBackend(device, null, 0, FactorMode.MATERIALISE);
        regenerated = new OpenClBackend(device, null, 0, FactorMode.REGENERATE);
        gpuShaped = new OpenClBackend(device, null, (int) Math.min(64, device.maxWorkGroupSize()), 1,
                FactorMode.MATERIALISE);
        cpu = new CpuBackend(2);
    }

    @AfterAll
    void close() {
        for (Backend b : new Backend[] {materialised, regenerated, gpuShaped, cpu}) {
            if (b != null) {
                b.close();
            }
        }
    }

    @Test
    void bothFactorModesGiveTheCpuBackendsBits() {
        for (int variant = 0; variant < 6; variant++) {
            ConformanceCase c = ConformanceCase.random(0xFAC7L + variant, 40, variant);
            float[] shaped = c.randomShapedFitness();
            cpu.load(c.state());
            float[] want = cpu.evaluate(c.batch(), c.generation());
            cpu.update(c.generation(), shaped, shaped.length, 0.01f);
            String wantParams = cpu.state().params().sha256();
            for (OpenClBackend b : new OpenClBackend[] {materialised, regenerated, gpuShaped}) {
                b.load(c.state());
                assertThat(b.evaluate(c.batch(), c.generation())).as("%s, %s", b.device(), c).containsExactly(want);
                b.update(c.generation(), shaped, shaped.length, 0.01f);
                assertThat(b.state().params().sha256()).as("updated parameters, %s, %s", b.device(), c)
                        .isEqualTo(wantParams);
            }
        }
    }

    @Test
    void factorsMaterialisedInChunksOfAFewPairsGiveTheSameBits() {
        try (OpenClBackend chunked = new OpenClBackend(device, null, 0, FactorMode.MATERIALISE)) {
            for (int variant = 0; variant < 3; variant++) { // EGGROLL Gaussian, full rank, EGGROLL Rademacher
                ConformanceCase c = ConformanceCase.random(0xFACAL + variant, 40, variant);
                float[] shaped = c.randomShapedFitness();
                regenerated.load(c.state());
                float[] want = regenerated.evaluate(c.batch(), c.generation());
                regenerated.update(c.generation(), shaped, shaped.length, 0.01f);
                chunked.load(c.state());
                long pairBytes = chunked.factorBytesPerPair(c.generation().es());
                chunked.factorBudget((1 + variant % 2) * pairBytes); // chunks of 1 or 2 pairs
                assertThat(chunked.evaluate(c.batch(), c.generation())).as("%s", c).containsExactly(want);
                chunked.update(c.generation(), shaped, shaped.length, 0.01f);
                assertThat(chunked.state().params().sha256()).as("%s", c)
                        .isEqualTo(regenerated.state().params().sha256());
            }
        }
    }

    @Test
    void anUpdateWithoutAnEvaluationMaterialisesItsOwnFactors() {
        ConformanceCase c = ConformanceCase.random(0xFAC8L, 40, 0);
        float[] shaped = c.randomShapedFitness();
        materialised.load(c.state());
        regenerated.load(c.state());
        materialised.evaluate(c.batch(), new Generation(c.generation().seed() + 1, c.generation().index(),
                c.generation().es()));
        materialised.update(c.generation(), shaped, shaped.length, 0.01f);
        regenerated.update(c.generation(), shaped, shaped.length, 0.01f);
        assertThat(materialised.state().params().sha256()).isEqualTo(regenerated.state().params().sha256());
    }

    @Test
    void theModeIsChosenByOptionPropertyOrEnvironmentAndDescribed() {
        assertThat(FactorMode.parse("Materialize")).isEqualTo(FactorMode.MATERIALISE);
        assertThat(FactorMode.resolve("regenerate")).isEqualTo(FactorMode.REGENERATE);
        assertThatThrownBy(() -> FactorMode.parse("sometimes")).hasMessageContaining("auto, materialise or regenerate");
        System.setProperty(FactorMode.PROPERTY, "regenerate");
        try (Backend b = new OpenClBackendProvider().create(BackendOptions.defaults()
                .withDevice(Integer.toString(device.index())))) {
            assertThat(b.device()).contains("factors regenerated on the fly (forced)");
        } finally {
            System.clearProperty(FactorMode.PROPERTY);
        }
        try (Backend b = new OpenClBackendProvider().create(BackendOptions.defaults()
                .withDevice(Integer.toString(device.index())).withFactors("materialise"))) {
            assertThat(b.device()).contains("factors materialised in device memory (forced)");
            ConformanceCase c = ConformanceCase.random(0xFAC9L, 24, 0);
            b.load(c.state());
            b.evaluate(c.batch(), c.generation());
            assertThat(b.device()).containsPattern("factors materialised \\(\\d+ KiB per pair, materialise\\)");
        }
        assertThat(new OpenClBackendProvider().devices()).allSatisfy(d -> assertThat(d).contains("factors "));
    }
}
