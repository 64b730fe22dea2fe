package io.eggroll.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns MNIST digits into N-MNIST-format recordings by simulating what the ATIS camera saw: the
 * 28 x 28 digit moves over the 34 x 34 sensor along the three-saccade triangle of the real
 * recordings (Tonic's {@code stabilize} model: boundaries at 105 and 210 ms, displacements
 * (+3.5, +7), (+3.5, -7), (-7, 0) px, constant velocity within a saccade), and each pixel is a
 * DVS pixel:
 * <ul>
 *   <li>it sees the bilinearly sampled image intensity {@code I} in [0, 1] and compares
 *       {@code L = ln(I + logOffset)} with the level {@code ref} at its last event;
 *   <li>{@code L - ref >= thetaOn} gives an ON event, {@code ref - L >= thetaOff} an OFF event,
 *       and {@code ref} moves by one threshold per event; thresholds differ per pixel by a
 *       Gaussian mismatch;
 *   <li>event times are interpolated linearly inside the simulation step; after an event the
 *       pixel is refractory for {@code refractoryUs} (pending crossings fire after it);
 *   <li>background-activity noise events arrive as a Poisson process at {@code noiseRateHz} per
 *       pixel, at random pixels, times and polarities;
 *   <li>initial reference levels are spread uniformly within one threshold of the first frame,
 *       so pixels do not fire in lock-step.
 * </ul>
 * Every random number of a sample comes from a {@link SplittableRandom} seeded from
 * {@code (seed, split, index)}, so output is identical for any thread count.
 */
public final class SaccadeConverter {

    /** Bumped whenever the simulation changes output for the same inputs. */
    public static final int MODEL_VERSION = 1;

    /** Saccade boundaries (us) and the displacement at each boundary (px). */
    private static final double SACCADE_US = 105_000;
    private static final double[] PATH_X = {0, 3.5, 7, 0};
    private static final double[] PATH_Y = {0, 7, 0, 0};
    /**
     * Top-left position of the digit at t = 0. With a path spanning 0..7 px and a 28-px image,
     * -0.5 keeps the image inside [-0.5, 33.5] + 1 px on a 34-px sensor; MNIST's 4-px empty
     * border keeps the ink well inside.
     */
    private static final double ORIGIN = -0.5;
    private static final int PAD = 8;
    private static final int LUT_SIZE = 4096;

    private final DvsParams params;
    private final double[] logLut;

    public SaccadeConverter(DvsParams params) {
        this.params = params;
        // ln(I + offset) on a grid over [0, 1]; sampled with linear interpolation.
        logLut = new double[LUT_SIZE + 2];
        for (int i = 0; i < logLut.length; i++) {
            logLut[i] = Math.log(Math.min(1.0, (double) i / LUT_SIZE) + params.logOffset());
        }
    }

    public DvsParams params() {
        return params;
    }

    /** Displacement of the image at time {@code tUs}: x in {@code out[0]}, y in {@code out[1]}. */
    public static void saccadeOffset(double tUs, double[] out) {
        if (tUs <= 0) {
            out[0] = 0;
            out[1] = 0;
            return;
        }
        int seg = (int) Math.min(3, Math.floor(tUs / SACCADE_US));
        if (seg >= 3) {
            out[0] = PATH_X[3];
            out[1] = PATH_Y[3];
            return;
        }
        double f = (tUs - seg * SACCADE_US) / SACCADE_US;
        out[0] = PATH_X[seg] + f * (PATH_X[seg + 1] - PATH_X[seg]);
        out[1] = PATH_Y[seg] + f * (PATH_Y[seg + 1] - PATH_Y[seg]);
    }

    /** Per-thread working memory. */
    public static final class Scratch {
        final int cw = 28 + 2 * PAD;
        final double[] canvas = new double[cw * cw];
        final double[] ref = new double[NmnistFormat.WIDTH * NmnistFormat.HEIGHT];
        final double[] prev = new double[ref.length];
        final double[] last = new double[ref.length];
        final double[] thrOn = new double[ref.length];
        final double[] thrOff = new double[ref.length];
        final int[] active = new int[ref.length];
        final int[] activeBase = new int[ref.length];
        long[] keys = new long[8192];
        int nKeys;
        final double[] off = new double[2];
        byte[] encoded = new byte[8192 * NmnistFormat.RECORD_BYTES];

        void push(long key) {
            if (nKeys == keys.length) {
                keys = Arrays.copyOf(keys, keys.length * 2);
            }
            keys[nKeys++] = key;
        }
    }

    /** The seed of sample {@code index} of {@code split}: a SplitMix64-style mix. */
    static long sampleSeed(long seed, Split split, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + (split.ordinal() + 1L) * 0xC2B2AE3D27D4EB4FL + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Simulates one recording of a 28 x 28 image ({@code image[offset .. offset+783]}, grey levels
     * 0..255) into {@code out}, sorted by time (ties by y, x, polarity).
     */
    public void simulate(byte[] image, int offset, long sampleSeed, Scratch s, EventBuffer out) {
        SplittableRandom rng = new SplittableRandom(sampleSeed);
        final int W = NmnistFormat.WIDTH;
        final int H = NmnistFormat.HEIGHT;
        final int cw = s.cw;
        final double[] c = s.canvas;
        Arrays.fill(c, 0.0);
        for (int r = 0; r < 28; r++) {
            for (int q = 0; q < 28; q++) {
                c[(r + PAD) * cw + q + PAD] = (image[offset + r * 28 + q] & 0xFF) / 255.0;
            }
        }
        // Pixels whose sampling footprint over the whole path is uniform never change: skip them.
        int nActive = 0;
        int lo = (int) Math.floor(-ORIGIN - 7 + PAD);
        int hi = (int) Math.floor(-ORIGIN + PAD) + 1;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double mn = Double.MAX_VALUE;
                double mx = -Double.MAX_VALUE;
                for (int v = y + lo; v <= y + hi; v++) {
                    for (int u = x + lo; u <= x + hi; u++) {
                        double val = c[v * cw + u];
                        mn = Math.min(mn, val);
                        mx = Math.max(mx, val);
                    }
                }
                if (mx > mn) {
                    s.activeBase[nActive] = y * cw + x;
                    s.active[nActive++] = y * W + x;
                }
            }
        }
        double sigma = params.thresholdSigma();
        double on = params.onThreshold();
        double offT = params.offThreshold();
        double minThr = 0.2 * Math.min(on, offT);
        for (int i = 0; i < W * H; i++) {
            s.thrOn[i] = Math.max(minThr, on + sigma * rng.nextGaussian());
            s.thrOff[i] = Math.max(minThr, offT + sigma * rng.nextGaussian());
            s.last[i] = -1e18;
        }
        s.nKeys = 0;
        double dt = params.stepUs();
        int steps = (int) Math.ceil(params.durationUs() / dt);
        double refr = params.refractoryUs();
        double[] lut = logLut;
        // Frame 0 sets the reference levels.
        for (int step = 0; step <= steps; step++) {
            double t = Math.min(step * dt, params.durationUs());
            saccadeOffset(t, s.off);
            double u0 = -ORIGIN - s.off[0] + PAD;
            double v0 = -ORIGIN - s.off[1] + PAD;
            int iu = (int) Math.floor(u0);
            int iv = (int) Math.floor(v0);
            double fu = u0 - iu;
            double fv = v0 - iv;
            double w00 = (1 - fu) * (1 - fv);
            double w01 = fu * (1 - fv);
            double w10 = (1 - fu) * fv;
            double w11 = fu * fv;
            double tPrev = t - dt;
            int shift = iv * cw + iu;
            for (int a = 0; a < nActive; a++) {
                int pix = s.active[a];
                int ci = s.activeBase[a] + shift;
                double inten = w00 * c[ci] + w01 * c[ci + 1] + w10 * c[ci + cw] + w11 * c[ci + cw + 1];
                double g = inten * LUT_SIZE;
                int gi = (int) g;
                double L = lut[gi] + (g - gi) * (lut[gi + 1] - lut[gi]);
                if (step == 0) {
                    s.ref[pix] = L - s.thrOn[pix] + rng.nextDouble() * (s.thrOn[pix] + s.thrOff[pix]);
                    s.prev[pix] = L;
                    continue;
                }
                double ref = s.ref[pix];
                if (L - ref >= s.thrOn[pix] || ref - L >= s.thrOff[pix]) {
                    int y = pix / W;
                    int x = pix - y * W;
                    double pl = s.prev[pix];
                    double lastT = s.last[pix];
                    while (true) {
                        double target;
                        int pol;
                        if (L - ref >= s.thrOn[pix]) {
                            target = ref + s.thrOn[pix];
                            pol = 1;
                        } else if (ref - L >= s.thrOff[pix]) {
                            target = ref - s.thrOff[pix];
                            pol = 0;
                        } else {
                            break;
                        }
                        double f = L == pl ? 1.0 : (target - pl) / (L - pl);
                        double te = tPrev + Math.max(0.0, Math.min(1.0, f)) * dt;
                        if (te < lastT + refr) {
                            te = lastT + refr;
                        }
                        if (te > t) {
                            break;
                        }
                        s.push(key((int) Math.round(te), x, y, pol));
                        ref = target;
                        lastT = te;
                    }
                    s.ref[pix] = ref;
                    s.last[pix] = lastT;
                }
                s.prev[pix] = L;
            }
        }
        // Background activity: a Poisson process over all pixels.
        double rate = params.noiseRateHz() * W * H / 1e6; // events per us
        if (rate > 0) {
            double tn = -Math.log(1 - rng.nextDouble()) / rate;
            while (tn < params.durationUs()) {
                int pix = rng.nextInt(W * H);
                s.push(key((int) tn, pix % W, pix / W, rng.nextInt(2)));
                tn += -Math.log(1 - rng.nextDouble()) / rate;
            }
        }
        Arrays.sort(s.keys, 0, s.nKeys);
        out.clear();
        out.ensureCapacity(s.nKeys);
        int maxT = (int) Math.min(NmnistFormat.MAX_TIME_US, Math.ceil(params.durationUs()));
        for (int i = 0; i < s.nKeys; i++) {
            long k = s.keys[i];
            out.add((int) (k >>> 8) & 0xFF, (int) (k >>> 16) & 0xFF, (int) (k & 1), Math.min(maxT, (int) (k >>> 32)));
        }
    }

    private static long key(int t, int x, int y, int p) {
        return ((long) t << 32) | ((long) y << 16) | ((long) x << 8) | p;
    }

    /** Summary of a conversion run. */
    public record Stats(int samples, int skippedExisting, long events, int minEvents, int maxEvents,
                        long onEvents, int maxTimeUs, double seconds) {

        public double meanEvents() {
            return samples == 0 ? 0 : (double) events / samples;
        }

        public double onFraction() {
            return events == 0 ? 0 : (double) onEvents / events;
        }

        @Override
        public String toString() {
            return String.format("%d samples converted (%d already present) in %.1f s; events/sample mean %.0f,"
                            + " min %d, max %d; ON fraction %.3f; max t %d us",
                    samples, skippedExisting, seconds, meanEvents(), minEvents, maxEvents, onFraction(), maxTimeUs);
        }
    }

    /**
     * Converts the first {@code limit} samples ({@code <= 0}: all) of an MNIST split into
     * {@code outRoot/<Split>/<digit>/<NNNNN>.bin} (1-based MNIST index), on {@code threads}
     * threads. Files already present are kept (they are complete: writes are atomic) unless
     * {@code overwrite}.
     */
    public Stats convert(MnistSet mnist, Split split, Path outRoot, int limit, long seed, int threads,
                         boolean overwrite, ProgressListener progress) throws IOException {
        if (mnist.rows() != 28 || mnist.cols() != 28) {
            throw new IOException("MNIST " + split.id() + " images are " + mnist.rows() + "x" + mnist.cols()
                    + ", expected 28x28");
        }
        int n = limit <= 0 ? mnist.size() : Math.min(limit, mnist.size());
        int nThreads = Math.max(1, threads);
        ProgressListener pl = progress == null ? ProgressListener.NONE : progress;
        String stage = "convert " + split.id();
        for (int d = 0; d <= 9; d++) {
            Files.createDirectories(outRoot.resolve(split.folder()).resolve(Integer.toString(d)));
        }
        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        AtomicLong events = new AtomicLong();
        AtomicLong onEvents = new AtomicLong();
        AtomicInteger minE = new AtomicInteger(Integer.MAX_VALUE);
        AtomicInteger maxE = new AtomicInteger();
        AtomicInteger maxT = new AtomicInteger();
        pl.update(stage, 0, n);
        ExecutorService pool = Executors.newFixedThreadPool(nThreads, r -> {
            Thread th = new Thread(r, "convert");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < nThreads; w++) {
                futures.add(pool.submit(() -> {
                    Scratch s = new Scratch();
                    EventBuffer buf = new EventBuffer(8192);
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        Path file = NmnistWriter.sampleFile(outRoot, split, mnist.label(i), i + 1);
                        if (!overwrite && Files.exists(file)) {
                            skipped.incrementAndGet();
                        } else {
                            simulate(mnist.images(), i * 784, sampleSeed(seed, split, i + 1), s, buf);
                            int len = NmnistFormat.encodedLength(buf);
                            if (s.encoded.length < len) {
                                s.encoded = new byte[len + len / 2];
                            }
                            NmnistFormat.encode(buf, s.encoded);
                            NmnistWriter.writeBytes(file, s.encoded, len);
                            int ne = buf.size();
                            events.addAndGet(ne);
                            onEvents.addAndGet(buf.onCount());
                            minE.accumulateAndGet(ne, Math::min);
                            maxE.accumulateAndGet(ne, Math::max);
                            maxT.accumulateAndGet(buf.maxTime(), Math::max);
                        }
                        int d = done.incrementAndGet();
                        if ((d & 255) == 0 || d == n) {
                            pl.update(stage, d, n);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("conversion interrupted", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException("conversion of " + split.id() + " failed: " + cause, cause);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        int converted = n - skipped.get();
        return new Stats(converted, skipped.get(), events.get(), converted == 0 ? 0 : minE.get(), maxE.get(),
                onEvents.get(), maxT.get(), (System.nanoTime() - start) / 1e9);
    }
}
