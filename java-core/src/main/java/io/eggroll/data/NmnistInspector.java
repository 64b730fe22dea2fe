package io.eggroll.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Statistics and pictures of N-MNIST recordings, for {@code eggroll data inspect}. */
public final class NmnistInspector {

    /** Saccade panel boundaries in microseconds: [0, 105 ms), [105, 210 ms), [210 ms, end]. */
    static final int[] PANEL_START = {0, 105_000, 210_000};
    static final int PANEL_SCALE = 8;
    static final int PANEL_GAP = 4;

    private NmnistInspector() {}

    /** Statistics of one recording. */
    public record FileStats(int events, int on, int minTimeUs, int maxTimeUs) {
        public static FileStats of(EventBuffer e) {
            return new FileStats(e.size(), e.onCount(), e.minTime(), e.maxTime());
        }

        public double onFraction() {
            return events == 0 ? 0 : (double) on / events;
        }

        @Override
        public String toString() {
            return String.format("events %d (ON %d, OFF %d, ON fraction %.3f); time %d..%d us (span %.1f ms)",
                    events, on, events - on, onFraction(), minTimeUs, maxTimeUs, (maxTimeUs - minTimeUs) / 1000.0);
        }
    }

    /** Aggregate statistics of a folder. */
    public static final class DirStats {
        int samples;
        int skipped;
        long events;
        long on;
        int minEvents = Integer.MAX_VALUE;
        int maxEvents;
        int maxTime;
        double spanSum;
        final int[] perClass = new int[10];
        List<String> problems = List.of();

        void add(int label, EventBuffer e) {
            samples++;
            perClass[label]++;
            events += e.size();
            on += e.onCount();
            minEvents = Math.min(minEvents, e.size());
            maxEvents = Math.max(maxEvents, e.size());
            int mx = e.maxTime();
            maxTime = Math.max(maxTime, mx);
            spanSum += mx - e.minTime();
        }

        public int samples() {
            return samples;
        }

        public int skipped() {
            return skipped;
        }

        public long events() {
            return events;
        }

        public double meanEvents() {
            return samples == 0 ? 0 : (double) events / samples;
        }

        public int minEvents() {
            return samples == 0 ? 0 : minEvents;
        }

        public int maxEvents() {
            return maxEvents;
        }

        public double onFraction() {
            return events == 0 ? 0 : (double) on / events;
        }

        public int maxTimeUs() {
            return maxTime;
        }

        public double meanSpanMs() {
            return samples == 0 ? 0 : spanSum / samples / 1000.0;
        }

        public int[] perClass() {
            return perClass.clone();
        }

        public List<String> problems() {
            return problems;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("samples %d (skipped %d malformed)%n", samples, skipped));
            sb.append(String.format("events total %d, per sample mean %.1f, min %d, max %d%n",
                    events, meanEvents(), minEvents(), maxEvents));
            sb.append(String.format("ON fraction %.3f (ON %d, OFF %d)%n", onFraction(), on, events - on));
            sb.append(String.format("time span per sample mean %.1f ms; latest event %d us%n", meanSpanMs(), maxTime));
            sb.append("samples per class:");
            for (int d = 0; d < 10; d++) {
                sb.append(' ').append(d).append('=').append(perClass[d]);
            }
            return sb.toString();
        }
    }

    /** Statistics over a split folder's samples. */
    public static DirStats inspectSplit(List<NmnistSample> samples, boolean lenient) throws IOException {
        DirStats st = new DirStats();
        NmnistReader.ReadReport r = NmnistReader.forEach(samples, lenient, (s, e) -> st.add(s.label(), e));
        st.skipped = r.skipped();
        st.problems = r.problems();
        return st;
    }

    /**
     * Renders accumulated events per saccade as three panels side by side (ON red, OFF blue,
     * brightness proportional to the count, normalised by the largest count in the picture).
     */
    public static BufferedImage render(EventBuffer e) {
        int w = NmnistFormat.WIDTH;
        int h = NmnistFormat.HEIGHT;
        int[][] on = new int[3][w * h];
        int[][] off = new int[3][w * h];
        int max = 1;
        for (int i = 0; i < e.size(); i++) {
            int t = e.t(i);
            int panel = t >= PANEL_START[2] ? 2 : t >= PANEL_START[1] ? 1 : 0;
            int[] a = e.p(i) == 1 ? on[panel] : off[panel];
            int idx = e.y(i) * w + e.x(i);
            max = Math.max(max, ++a[idx]);
        }
        int pw = w * PANEL_SCALE;
        int ph = h * PANEL_SCALE;
        BufferedImage img = new BufferedImage(3 * pw + 4 * PANEL_GAP, ph + 2 * PANEL_GAP, BufferedImage.TYPE_INT_RGB);
        for (int yy = 0; yy < img.getHeight(); yy++) {
            for (int xx = 0; xx < img.getWidth(); xx++) {
                img.setRGB(xx, yy, 0x808080);
            }
        }
        for (int panel = 0; panel < 3; panel++) {
            int ox = PANEL_GAP + panel * (pw + PANEL_GAP);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int r = (int) Math.round(255.0 * Math.sqrt((double) on[panel][y * w + x] / max));
                    int b = (int) Math.round(255.0 * Math.sqrt((double) off[panel][y * w + x] / max));
                    int rgb = (r << 16) | b;
                    for (int dy = 0; dy < PANEL_SCALE; dy++) {
                        for (int dx = 0; dx < PANEL_SCALE; dx++) {
                            img.setRGB(ox + x * PANEL_SCALE + dx, PANEL_GAP + y * PANEL_SCALE + dy, rgb);
                        }
                    }
                }
            }
        }
        return img;
    }

    /** Writes {@link #render} of {@code e} as a PNG. */
    public static void writePng(EventBuffer e, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path parent = png.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        if (!ImageIO.write(render(e), "png", png.toFile())) {
            throw new IOException("no PNG writer available to write " + png);
        }
    }
}
