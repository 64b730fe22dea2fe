package io.eggroll.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What users see when OpenCL cannot run: {@code eggroll devices} and {@code --backend opencl}
 * explain why, in a fresh JVM (the ICD loader is loaded once per process).
 */
class OpenClUnavailableTest {

    @TempDir
    Path tmp;

    private static String run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void aMissingIcdLoaderIsExplained() throws Exception {
        String out = run(Map.of(), "-Deggroll.opencl.library=libOpenCL-not-installed.so.1", "io.eggroll.cli.Main",
                "devices");
        assertThat(out).contains("opencl: unavailable: no OpenCL ICD loader (libOpenCL-not-installed.so.1): "
                + "install ocl-icd-libopencl1 and a vendor ICD such as pocl-opencl-icd");
        assertThat(out).contains("cpu:");
    }

    @Test
    void noRegisteredPlatformIsExplained() throws Exception {
        OpenClTestSupport.assumeOpenCl();
        String out = run(Map.of("OCL_ICD_VENDORS", tmp.toString()), "io.eggroll.cli.Main", "devices");
        assertThat(out).contains("opencl: unavailable: the OpenCL ICD loader found no platform "
                + "(CL_PLATFORM_NOT_FOUND_KHR)");
        String train = run(Map.of("OCL_ICD_VENDORS", tmp.toString()), "io.eggroll.cli.Main", "train",
                "--task", "synthetic", "--backend", "opencl", "--generations", "1", "--runs-dir", tmp.resolve("runs").toString());
        assertThat(train).contains("backend 'opencl' is unavailable").contains("CL_PLATFORM_NOT_FOUND_KHR");
    }
}
