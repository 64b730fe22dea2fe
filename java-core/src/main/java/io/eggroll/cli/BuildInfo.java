package io.eggroll.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What this build is: the project version and the git commit it was built from (stamped by Maven
 * into {@code io/eggroll/build.properties}; the launcher passes the commit), and the JVM running it.
 */
public record BuildInfo(String version, String commit, String jvm) {

    /** The stamp of the running build ("unknown" parts where the build did not record them). */
    public static BuildInfo current() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/io/eggroll/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable stamp is reported as unknown below
        }
        return new BuildInfo(known(p.getProperty("version")), known(p.getProperty("commit")),
                System.getProperty("java.vm.name") + " " + Runtime.version());
    }

    private static String known(String v) {
        return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v.strip();
    }

    /** {@code eggroll-snn VERSION (commit COMMIT)}. */
    public String line() {
        return "eggroll-snn " + version + " (commit " + commit + ")";
    }
}
