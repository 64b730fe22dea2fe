package io.eggroll.loihi.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 item 18: the library comes from the installation or -Deggroll.native.lib, never from a planted copy. */
class EggrollNativeLocateTest {

    @TempDir
    Path tmp;

    private static Path plant(Path dir) throws IOException {
        Path lib = dir.resolve(EggrollNative.BUILD_PATH);
        Files.createDirectories(lib.getParent());
        return Files.writeString(lib, "planted");
    }

    private Path jar(Path root) throws IOException {
        Path jar = root.resolve("hw-targets/loihi/target/eggroll-loihi-0.1.0-SNAPSHOT.jar");
        Files.createDirectories(jar.getParent());
        return Files.writeString(jar, "jar");
    }

    @Test
    void aLibraryPlantedAboveTheInstallationOrTheWorkingDirectoryIsNotLoaded() throws IOException {
        // the attacker controls tmp (a parent of both the working directory and the installation)
        plant(tmp);
        Path cwd = Files.createDirectories(tmp.resolve("work/deep/dir"));
        plant(tmp.resolve("work"));
        Path jar = jar(tmp.resolve("opt/eggroll"));

        assertThat(EggrollNative.candidates(jar)).isNotEmpty()
                .allMatch(c -> c.startsWith(tmp.resolve("opt/eggroll")), "inside the installation")
                .noneMatch(c -> c.startsWith(cwd.getParent().getParent()), "under the working directory's parents");
        assertThatThrownBy(() -> EggrollNative.locate(null, jar))
                .isInstanceOf(NativeUnavailableException.class)
                .hasMessageContaining("not built")
                .hasMessageNotContaining(tmp.resolve("work").toString());
    }

    @Test
    void aCheckoutLoadsItsOwnBuildFromItsJarOrClasses() throws IOException {
        Path root = tmp.resolve("checkout");
        Path built = plant(root);
        Path classes = Files.createDirectories(root.resolve("hw-targets/loihi/target/classes"));

        assertThat(EggrollNative.locate(null, jar(root))).isEqualTo(built);
        assertThat(EggrollNative.locate(null, classes)).isEqualTo(built);
    }

    @Test
    void aDistributionLoadsTheJarsSibling() throws IOException {
        Path jar = Files.writeString(Files.createDirectories(tmp.resolve("dist/lib")).resolve("eggroll-loihi.jar"), "jar");
        Path sibling = Files.writeString(jar.resolveSibling(EggrollNative.FILE), "lib");

        assertThat(EggrollNative.locate(null, jar)).isEqualTo(sibling);
    }

    @Test
    void theExplicitPropertyWinsAndMustExist() throws IOException {
        Path root = tmp.resolve("checkout");
        plant(root);
        Path explicit = Files.writeString(tmp.resolve("mine.so"), "lib");

        assertThat(EggrollNative.locate(explicit.toString(), jar(root))).isEqualTo(explicit);
        assertThatThrownBy(() -> EggrollNative.locate(tmp.resolve("missing.so").toString(), jar(root)))
                .isInstanceOf(NativeUnavailableException.class)
                .hasMessageContaining(EggrollNative.PROPERTY);
    }

    @Test
    void thisBuildFindsTheLibraryWithoutTheWorkingDirectory() {
        // the tests run from hw-targets/loihi/target/classes: the candidate is this checkout's native build
        assertThat(EggrollNative.candidates(Path.of(EggrollNative.class.getProtectionDomain().getCodeSource()
                .getLocation().getPath()))).anyMatch(c -> c.endsWith(Path.of(EggrollNative.BUILD_PATH)));
    }
}
