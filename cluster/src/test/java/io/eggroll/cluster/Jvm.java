package io.eggroll.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Command lines for the cluster tests' own JVMs: this JVM's java and class path, the launcher's JVM flags. */
final class Jvm {

    private static final Pattern JAVA_OPTS = Pattern.compile("(?m)^JAVA_OPTS=\\(([^)]*)\\)");

    private Jvm() {}

    /** The JVM flags {@code ./eggroll} starts every command with (its {@code JAVA_OPTS}), read from the launcher. */
    static List<String> launcherFlags() {
        Path launcher = launcher();
        String text;
        try {
            text = Files.readString(launcher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher m = JAVA_OPTS.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no JAVA_OPTS=(...) line in " + launcher);
        }
        return Arrays.stream(m.group(1).split("\\s+")).filter(t -> !t.isEmpty() && !t.startsWith("${")).toList();
    }

    /** {@code java} with the launcher's flags, a small fast-starting heap, the test class path, {@code main} and {@code args}. */
    static List<String> command(String main, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(launcherFlags());
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(args);
        return cmd;
    }

    /** The repository's {@code eggroll} launcher: in the first directory upwards from here that has one. */
    private static Path launcher() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path f = d.resolve("eggroll");
            if (Files.isRegularFile(f) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return f;
            }
        }
        throw new IllegalStateException("no eggroll launcher above " + Path.of("").toAbsolutePath());
    }
}
