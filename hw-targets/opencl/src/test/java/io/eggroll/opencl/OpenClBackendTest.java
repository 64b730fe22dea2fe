package io.eggroll.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eggroll.backend.Backend;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.Backends;
import io.eggroll.backend.conformance.ConformanceCase;
import io.eggroll.es.EsConfig;
import io.eggroll.es.Generation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Program binaries, device selection, clear errors, and training through the opencl backend. */
class OpenClBackendTest {

    @TempDir
    Path tmp;

    private static ClDevice device;

    @BeforeAll
    static void device() {
        device = OpenClTestSupport.device();
    }

    private static ConformanceCase someCase(int variant) {
        return ConformanceCase.random(0xC0FFEEL + variant, 40, variant);
    }

    @Test
    void evolvedNeuronParametersAreRefusedNamingTheOption() {
        ConformanceCase c = someCase(0).withEvolvedNeurons(false, true);
        try (Backend b = new OpenClBackend(device, null, 0)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.load(c.state()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("network.evolveDecay").hasMessageContaining("opencl");
        }
    }

    @Test
    void convLayersAreRefusedWithAClearMessage() {
        ConformanceCase c = ConformanceCase.randomConv(0xC0FFEEL, 0);
        try (Backend b = new OpenClBackend(device, null, 0)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.load(c.state()))
                    .hasMessageContaining("opencl backend does not implement convolutional layers");
        }
    }

    @Test
    void programBinaryRoundTripGivesIdenticalResults() throws Exception {
        Path bin = tmp.resolve("eggroll.bin");
        int rc = io.eggroll.testing.Fixtures.runCli(new StringBuilder(), "kernels", "build", "--device", Integer.toString(device.index()), "--out",
                bin.toString());
        assertThat(rc).isZero();
        assertThat(Files.size(bin)).isPositive();
        ConformanceCase c = someCase(0);
        try (Backend fromSource = new OpenClBackend(device, null, 0);
             Backend fromBinary = new OpenClBackendProvider().create(
                     new BackendOptions(1, Integer.toString(device.index()), bin))) {
            assertThat(fromBinary.device()).contains("program from binary " + bin);
            fromSource.load(c.state());
            fromBinary.load(c.state());
            assertThat(fromBinary.evaluate(c.batch(), c.generation()))
                    .containsExactly(fromSource.evaluate(c.batch(), c.generation()));
            assertThat(fromBinary.infer(c.batch())).containsExactly(fromSource.infer(c.batch()));
            float[] shaped = c.randomShapedFitness();
            float lr = c.state().optimizer().learningRateAt(c.state().optimizerState().step() + 1);
            fromSource.update(c.generation(), shaped, shaped.length, lr);
            fromBinary.update(c.generation(), shaped, shaped.length, lr);
            assertThat(fromBinary.state().params().sha256()).isEqualTo(fromSource.state().params().sha256());
        }
    }

    @Test
    void programBinaryIsAlsoReadFromTheSystemProperty() throws Exception {
        Path bin = tmp.resolve("p.bin");
        try (ClContext ctx = new ClContext(device); EggrollProgram p = EggrollProgram.fromSource(ctx, 8)) {
            Files.write(bin, p.program().binary());
        }
        System.setProperty(OpenClBackendProvider.BINARY_PROPERTY, bin.toString());
        try (Backend b = new OpenClBackendProvider().create(BackendOptions.defaults().withDevice(
                Integer.toString(device.index())))) {
            assertThat(b.device()).contains("work-groups of 8").contains("binary " + bin);
        } finally {
            System.clearProperty(OpenClBackendProvider.BINARY_PROPERTY);
        }
    }

    @Test
    void aBadProgramBinaryIsAClearError() throws Exception {
        Path bad = tmp.resolve("garbage.aocx");
        Files.write(bad, "this is not a program binary".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> new OpenClBackend(device, bad, 0))
                .isInstanceOf(ClException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageMatching("(?s).*CL_[A-Z_]+.*");
        Path missing = tmp.resolve("missing.xclbin");
        assertThatThrownBy(() -> new OpenClBackend(device, missing, 0))
                .hasMessageContaining("program binary " + missing + " does not exist");
    }

    @Test
    void aKernelBuildFailureCarriesTheBuildLog() {
        try (ClContext ctx = new ClContext(device)) {
            assertThatThrownBy(() -> ctx.buildFromSource("__kernel void broken(__global float *x) { x[0] = y; }",
                    "-cl-std=CL1.2"))
                    .isInstanceOfSatisfying(ClException.class, e -> {
                        assertThat(e.errorName()).isEqualTo("CL_BUILD_PROGRAM_FAILURE");
                        assertThat(e.buildLog()).isNotBlank();
                        assertThat(e.getMessage()).contains("CL_BUILD_PROGRAM_FAILURE").contains("build log");
                    });
        }
    }

    @Test
    void anUnknownDeviceNamesTheSelectorAndListsTheDevices() {
        assertThatThrownBy(() -> ClDevices.select("no-such-device-xyz"))
                .hasMessageContaining("'no-such-device-xyz' matches no OpenCL device")
                .hasMessageContaining("[0]");
        assertThatThrownBy(() -> ClDevices.select("999"))
                .hasMessageContaining("--device 999: no OpenCL device with that index");
    }

    @Test
    void aPopulationTooLargeForTheDeviceIsAClearError() {
        ConformanceCase c = someCase(3);
        int row = c.batch().samples() * c.state().network().outputs();
        long members = device.maxAlloc() / (4L * row) + 2;
        assumeTrue(members < Integer.MAX_VALUE - 2, "device allows buffers too large to exceed with an int population");
        EsConfig es = c.generation().es().withPopulation((int) (members + (members & 1)));
        try (Backend b = new OpenClBackend(device, null, 0)) {
            b.load(c.state());
            assertThatThrownBy(() -> b.evaluate(c.batch(), new Generation(1, 0, es)))
                    .isInstanceOf(DeviceMemoryException.class)
                    .hasMessageContaining("readouts (N x B x C)")
                    .hasMessageContaining("CL_DEVICE_MAX_MEM_ALLOC_SIZE")
                    .hasMessageContaining("smaller population");
        }
    }

    @Test
    void errorCodesHaveSymbolicNames() {
        assertThat(OpenCL.errorName(-5)).isEqualTo("CL_OUT_OF_RESOURCES");
        assertThat(OpenCL.errorName(-1001)).isEqualTo("CL_PLATFORM_NOT_FOUND_KHR");
        assertThat(new ClException(-4, "allocating x").getMessage())
                .isEqualTo("allocating x: CL_MEM_OBJECT_ALLOCATION_FAILURE");
        assertThat(OpenCL.errorName(-12345)).isEqualTo("CL_UNKNOWN_ERROR(-12345)");
    }

    @Test
    void theBackendIsFoundThroughTheServiceLoaderAndListsDevices() {
        var provider = Backends.provider("opencl");
        assertThat(provider.unavailableReason()).isEmpty();
        assertThat(provider.devices()).isNotEmpty().allSatisfy(d -> assertThat(d).contains("compute units")
                .contains("OpenCL C"));
        StringBuilder out = new StringBuilder();
        assertThat(io.eggroll.testing.Fixtures.runCli(out, "devices")).isZero();
        assertThat(out.toString()).contains("opencl:").contains("[0] " + ClDevices.list().get(0).fullName());
    }
}
