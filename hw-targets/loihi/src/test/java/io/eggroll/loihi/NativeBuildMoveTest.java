package io.eggroll.loihi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 17: a built checkout that is moved keeps a CMakeCache.txt naming the old paths;
 * native/build.sh notices, says why, and rebuilds from a clean build directory instead of failing.
 */
class NativeBuildMoveTest {

    @TempDir
    Path tmp;

    /** The checkout root: surefire runs in hw-targets/loihi. */
    private static Path root() {
        Path root = Path.of("").toAbsolutePath().getParent().getParent();
        assertThat(root.resolve("native/build.sh")).isRegularFile();
        return root;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.createDirectories(t.getParent());
                    Files.copy(f, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static Result build(Path checkout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", checkout.resolve("native/build.sh").toString())
                .directory(checkout.resolve("native").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("build.sh finished").isTrue();
        return new Result(p.exitValue(), out);
    }

    private record Result(int rc, String out) {}

    @Test
    void aMovedCheckoutRebuildsFromACleanBuildDirectorySayingWhy() throws Exception {
        Path root = root();
        Path a = tmp.resolve("a");
        String kernels = "kernels/src/main/resources/io/eggroll/kernels";
        copyTree(root.resolve(kernels), a.resolve(kernels));
        for (String f : new String[] {"build.sh", "CMakeLists.txt", "src", "include"}) {
            copyTree(root.resolve("native").resolve(f), a.resolve("native").resolve(f));
        }
        Result first = build(a);
        if (first.out().contains("skipping")) {
            Assumptions.abort("native toolchain missing: " + first.out());
        }
        assertThat(first.rc()).as(first.out()).isZero();

        Path b = Files.move(a, tmp.resolve("b"));
        Result moved = build(b);

        assertThat(moved.rc()).as(moved.out()).isZero();
        assertThat(moved.out()).contains("configured for " + a.resolve("native"), "moved or copied",
                "Rebuilding from a clean build directory");
        assertThat(b.resolve("native/target/build/CMakeCache.txt")).content()
                .contains("CMAKE_HOME_DIRECTORY:INTERNAL=" + b.resolve("native"));
        assertThat(b.resolve("native/target/build").resolve(System.mapLibraryName("eggroll_native"))).isRegularFile();

        assertThat(build(b).out()).as("an unmoved build keeps its cache").doesNotContain("moved or copied");
    }
}
