package io.eggroll.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A horizontal bar chart with min–max whiskers, drawn with Java2D (headless) and written as PNG.
 * A logarithmic axis keeps a 20x gap readable.
 */
public final class Chart {

    /** One bar: the median and the range of its repetitions. */
    public record Bar(String label, double median, double min, double max) {}

    private static final int WIDTH = 1000;
    private static final int ROW = 26;
    private static final Color BAR = new Color(0x3B6EA8);
    private static final Color UNAVAILABLE = new Color(0xB0B0B0);

    private Chart() {}

    public static void write(Path file, String title, String axis, List<Bar> bars, boolean log) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int height = 70 + ROW * Math.max(1, bars.size()) + 40;
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            draw(g, height, title, axis, bars, log);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available to write " + file);
        }
    }

    private static void draw(Graphics2D g, int height, String title, String axis, List<Bar> bars, boolean log) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 12, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int labelWidth = 0;
        for (Bar b : bars) {
            labelWidth = Math.max(labelWidth, fm.stringWidth(b.label()));
        }
        int x0 = Math.min(WIDTH / 2, 20 + labelWidth);
        int x1 = WIDTH - 110;
        int y0 = 50;
        double hi = 0;
        double lo = Double.POSITIVE_INFINITY;
        for (Bar b : bars) {
            if (Double.isFinite(b.max()) && b.max() > 0) {
                hi = Math.max(hi, b.max());
                lo = Math.min(lo, b.min() > 0 ? b.min() : b.median());
            }
        }
        if (hi == 0) {
            hi = 1;
            lo = 0.1;
        }
        boolean useLog = log && lo > 0 && hi / lo > 10;
        double axisLo = useLog ? Math.pow(10, Math.floor(Math.log10(lo))) : 0;
        double axisHi = useLog ? Math.pow(10, Math.ceil(Math.log10(hi))) : hi * 1.1;
        Scale s = v -> {
            double f = useLog ? (Math.log10(Math.max(v, axisLo)) - Math.log10(axisLo))
                    / (Math.log10(axisHi) - Math.log10(axisLo)) : v / axisHi;
            return x0 + (int) Math.round(f * (x1 - x0));
        };
        // grid and axis labels
        int yAxis = y0 + ROW * bars.size() + 4;
        g.setColor(new Color(0xDDDDDD));
        for (double t : ticks(axisLo, axisHi, useLog)) {
            int x = s.x(t);
            g.drawLine(x, y0 - 4, x, yAxis);
        }
        g.setColor(Color.DARK_GRAY);
        for (double t : ticks(axisLo, axisHi, useLog)) {
            String txt = Summary.num(t, 2);
            g.drawString(txt, s.x(t) - fm.stringWidth(txt) / 2, yAxis + 15);
        }
        g.drawString(axis + (useLog ? " (log scale)" : ""), x0, yAxis + 32);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = y0 + ROW * i;
            g.setColor(Color.BLACK);
            g.drawString(b.label(), x0 - 8 - fm.stringWidth(b.label()), y + ROW / 2 + 4);
            if (!Double.isFinite(b.median())) {
                g.setColor(UNAVAILABLE);
                g.drawString("unavailable", x0 + 4, y + ROW / 2 + 4);
                continue;
            }
            g.setColor(BAR);
            int xm = s.x(b.median());
            g.fillRect(x0, y + 4, Math.max(1, xm - x0), ROW - 8);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.5f));
            int xa = s.x(b.min());
            int xb = s.x(b.max());
            int yc = y + ROW / 2;
            g.drawLine(xa, yc, xb, yc);
            g.drawLine(xa, yc - 5, xa, yc + 5);
            g.drawLine(xb, yc - 5, xb, yc + 5);
            g.drawString(Summary.num(b.median(), 3), Math.max(xm, xb) + 6, yc + 4);
        }
    }

    private static double[] ticks(double lo, double hi, boolean log) {
        if (log) {
            int a = (int) Math.round(Math.log10(lo));
            int b = (int) Math.round(Math.log10(hi));
            double[] t = new double[b - a + 1];
            for (int i = 0; i <= b - a; i++) {
                t[i] = Math.pow(10, a + i);
            }
            return t;
        }
        double step = Math.pow(10, Math.floor(Math.log10(hi / 2)));
        if (hi / step > 10) {
            step *= 2;
        }
        int n = (int) Math.floor(hi / step) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * step;
        }
        return t;
    }

    @FunctionalInterface
    private interface Scale {
        int x(double v);
    }
}
