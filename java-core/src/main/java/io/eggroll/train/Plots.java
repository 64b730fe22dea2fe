package io.eggroll.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Learning curves from {@code metrics.jsonl}: {@code fitness.png} and {@code accuracy.png}, each
 * with two panels, against generation and against wall time. Plain Java2D, headless.
 */
public final class Plots {

    private static final int PANEL_W = 560;
    private static final int PANEL_H = 360;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};

    private Plots() {}

    /** A named series of (x, y) points. */
    record Series(String name, double[] x, double[] y) {}

    /** Writes both charts into the run directory; returns their paths. */
    public static List<Path> write(RunDirectory run) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<JsonNode> rows = new ArrayList<>();
        ObjectMapper om = new ObjectMapper();
        for (String line : Files.readAllLines(run.metrics())) {
            if (!line.isBlank()) {
                rows.add(om.readTree(line));
            }
        }
        if (rows.isEmpty()) {
            throw new IOException(run.metrics() + " holds no generations to plot");
        }
        Path fitness = run.root().resolve("fitness.png");
        Path accuracy = run.root().resolve("accuracy.png");
        chart(fitness, "Fitness (negative cross-entropy)", rows,
                new String[] {"fitness_mean", "fitness_max"}, new String[] {"mean", "max"}, false);
        chart(accuracy, "Accuracy (%)", rows,
                new String[] {"minibatch_accuracy", validationKey(rows)}, new String[] {"minibatch (population mean)",
                        "validation"}, true);
        return List.of(fitness, accuracy);
    }

    /** {@code val_accuracy}, or {@code heldout_accuracy} in runs written before the validation split. */
    private static String validationKey(List<JsonNode> rows) {
        return rows.stream().anyMatch(r -> r.has("heldout_accuracy")) ? "heldout_accuracy" : "val_accuracy";
    }

    private static void chart(Path file, String title, List<JsonNode> rows, String[] keys, String[] names,
                              boolean percent) throws IOException {
        BufferedImage img = new BufferedImage(2 * PANEL_W, PANEL_H + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 20, 24);
        for (int panel = 0; panel < 2; panel++) {
            String xKey = panel == 0 ? "generation" : "seconds";
            List<Series> series = new ArrayList<>();
            for (int k = 0; k < keys.length; k++) {
                series.add(series(rows, xKey, keys[k], names[k], percent, panel == 0));
            }
            panel(g, panel * PANEL_W, 40, series, panel == 0 ? "generation" : "wall time (s)");
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static Series series(List<JsonNode> rows, String xKey, String yKey, String name, boolean percent,
                                 boolean oneBased) {
        List<double[]> pts = new ArrayList<>();
        for (JsonNode r : rows) {
            JsonNode y = r.get(yKey);
            if (y == null || y.isNull()) {
                continue;
            }
            double x = r.get(xKey).asDouble() + (oneBased ? 1 : 0);
            pts.add(new double[] {x, percent ? 100 * y.asDouble() : y.asDouble()});
        }
        double[] xs = new double[pts.size()];
        double[] ys = new double[pts.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = pts.get(i)[0];
            ys[i] = pts.get(i)[1];
        }
        return new Series(name, xs, ys);
    }

    private static void panel(Graphics2D g, int x0, int y0, List<Series> series, String xLabel) {
        int left = x0 + 64;
        int top = y0 + 10;
        int w = PANEL_W - 90;
        int h = PANEL_H - 70;
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                xMin = Math.min(xMin, s.x()[i]);
                xMax = Math.max(xMax, s.x()[i]);
                if (Double.isFinite(s.y()[i])) {
                    yMin = Math.min(yMin, s.y()[i]);
                    yMax = Math.max(yMax, s.y()[i]);
                }
            }
        }
        if (!(xMax > xMin)) {
            xMax = xMin + 1;
        }
        if (!(yMax > yMin)) {
            yMax = yMin + 1;
        }
        double pad = (yMax - yMin) * 0.05;
        yMin -= pad;
        yMax += pad;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int t = 0; t <= 5; t++) {
            int yy = top + h - t * h / 5;
            int xx = left + t * w / 5;
            g.setColor(new Color(0xE8E8E8));
            g.drawLine(left, yy, left + w, yy);
            g.drawLine(xx, top, xx, top + h);
            g.setColor(Color.DARK_GRAY);
            g.drawString(fmt(yMin + t * (yMax - yMin) / 5), x0 + 6, yy + 4);
            g.drawString(fmt(xMin + t * (xMax - xMin) / 5), xx - 14, top + h + 16);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, w, h);
        g.drawString(xLabel, left + w / 2 - 30, top + h + 34);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(COLORS[k % COLORS.length]);
            g.setStroke(new BasicStroke(1.6f));
            Path2D path = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i])) {
                    continue;
                }
                double px = left + (s.x()[i] - xMin) / (xMax - xMin) * w;
                double py = top + h - (s.y()[i] - yMin) / (yMax - yMin) * h;
                if (!started) {
                    path.moveTo(px, py);
                    started = true;
                } else {
                    path.lineTo(px, py);
                }
                if (s.x().length < 60) {
                    g.fillOval((int) px - 2, (int) py - 2, 5, 5);
                }
            }
            g.draw(path);
            g.fillRect(left + 10, top + 10 + 16 * k, 12, 3);
            g.drawString(s.name(), left + 28, top + 15 + 16 * k);
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static String fmt(double v) {
        double a = Math.abs(v);
        return a >= 1000 ? String.format(Locale.ROOT, "%.0f", v)
                : a >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
