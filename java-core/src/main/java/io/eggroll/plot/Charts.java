package io.eggroll.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.colors.ColorBlindFriendlySeriesColors;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Every chart the engine draws, made by XChart and written as PNG: line charts (the learning
 * curves of a run, {@code eggroll plot}'s comparison of runs) and bar charts with min–max marks
 * ({@code eggroll bench}). One look for all of them: white background, colour-blind-friendly
 * series colours, a legend under the plot, ticks on round numbers, {@link Locale#ROOT} digits.
 * Runs headless.
 */
public final class Charts {

    /** The size of one line-chart panel; {@link #write} puts panels side by side. */
    public static final int PANEL_WIDTH = 640;
    public static final int PANEL_HEIGHT = 420;

    /** The width of a bar chart; its height grows with the number of bars' labels. */
    public static final int BAR_CHART_WIDTH = 1000;

    /** The fill of bars: light enough for the black min and max marks and value labels on it. */
    private static final Color BAR = new Color(0x9DBBE0);

    /** Series with fewer points than this get a marker on every point. */
    private static final int MARKER_LIMIT = 60;

    static {
        // Set before XChart's first font or image touches AWT: charts are files, never windows.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** A named series of (x, y) points; points with a non-finite coordinate are left out when drawn. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            Objects.requireNonNull(name, "name");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values and "
                        + y.length + " y values");
            }
        }

        /** This series without the points that a (log-scale when {@code positiveX}) axis cannot show. */
        Series drawable(boolean positiveX, boolean positiveY) {
            int n = 0;
            double[] xs = new double[x.length];
            double[] ys = new double[y.length];
            for (int i = 0; i < x.length; i++) {
                if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!positiveX || x[i] > 0)
                        && (!positiveY || y[i] > 0)) {
                    xs[n] = x[i];
                    ys[n++] = y[i];
                }
            }
            return new Series(name, Arrays.copyOf(xs, n), Arrays.copyOf(ys, n));
        }
    }

    /**
     * An axis: its title, a logarithmic or linear scale, its range ({@code NaN} bounds: from the
     * data, widened to round numbers) and the {@link java.text.DecimalFormat} pattern of its tick
     * labels (null: XChart's, which shows as many decimals as the tick step needs).
     */
    public record Axis(String title, boolean log, double min, double max, String pattern) {
        public static Axis linear(String title) {
            return new Axis(title, false, Double.NaN, Double.NaN, null);
        }

        public static Axis log(String title) {
            return new Axis(title, true, Double.NaN, Double.NaN, null);
        }

        /**
         * A linear axis of whole numbers (generations): ticks whose labels would repeat after
         * rounding make XChart choose a coarser step, so no tick falls between two integers.
         */
        public static Axis whole(String title) {
            return new Axis(title, false, Double.NaN, Double.NaN, "#,##0");
        }

        /** A linear axis from 0 to 100: accuracies in percent never reach past 100 %. */
        public static Axis percent(String title) {
            return new Axis(title, false, 0, 100, null);
        }

        /** This axis starting at {@code min} (e.g. 0 for generations and wall time). */
        public Axis from(double min) {
            return new Axis(title, log, min, max, pattern);
        }
    }

    /** One bar of a bar chart: the median of repetitions and their range; NaN median: unavailable. */
    public record Bar(String label, double median, double min, double max) {}

    /** A unit for a wall-time axis, chosen so that its numbers stay short. */
    public record TimeUnit(String symbol, double seconds) {
        /** Seconds up to 5 minutes, minutes up to 5 hours, then hours. */
        public static TimeUnit forSpan(double maxSeconds) {
            return maxSeconds <= 300 ? new TimeUnit("s", 1) : maxSeconds <= 5 * 3600 ? new TimeUnit("min", 60)
                    : new TimeUnit("h", 3600);
        }

        public String axisTitle() {
            return "wall time (" + symbol + ")";
        }
    }

    /** A line chart of {@code series}; series without drawable points are left out. */
    public static XYChart lines(String title, Axis x, Axis y, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(title)
                .xAxisTitle(x.title()).yAxisTitle(y.title()).build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(5);
        List<Series> drawn = new ArrayList<>();
        for (Series s : series) {
            Series d = s.drawable(x.log(), y.log());
            if (d.x().length > 0) {
                drawn.add(d);
            }
        }
        if (drawn.isEmpty()) {
            throw new IllegalArgumentException("chart '" + title + "' has no points to draw");
        }
        for (Series s : drawn) {
            XYSeries xs = chart.addSeries(s.name(), s.x(), s.y());
            xs.setMarker(s.x().length < MARKER_LIMIT ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        List<List<Double>> xs = drawn.stream().map(s -> boxed(s.x())).toList();
        List<List<Double>> ys = drawn.stream().map(s -> boxed(s.y())).toList();
        double[] xr = range(x, xs);
        double[] yr = range(y, ys);
        chart.getStyler().setXAxisLogarithmic(x.log()).setXAxisMin(xr[0]).setXAxisMax(xr[1]);
        chart.getStyler().setYAxisLogarithmic(y.log()).setYAxisMin(yr[0]).setYAxisMax(yr[1]);
        chart.getStyler().setXAxisDecimalPattern(x.pattern() != null ? x.pattern()
                : x.log() ? decimalPattern(xr[0]) : null);
        chart.getStyler().setYAxisDecimalPattern(y.pattern() != null ? y.pattern()
                : y.log() ? decimalPattern(yr[0]) : null);
        return chart;
    }

    /**
     * A vertical bar chart of medians with the smallest and largest repetition marked on each bar.
     * A log {@code valueAxis} falls back to linear unless the values span more than a factor of 10;
     * a percent axis runs from 0 to 100. Unavailable bars (NaN median) keep their place, labelled
     * as such.
     */
    public static CategoryChart bars(String title, Axis valueAxis, List<Bar> bars) {
        List<String> labels = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        List<Double> mins = new ArrayList<>();
        List<Double> maxs = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int longest = 0;
        for (Bar b : bars) {
            boolean available = Double.isFinite(b.median());
            String label = available ? b.label() : b.label() + " (unavailable)";
            labels.add(unique(label, labels));
            longest = Math.max(longest, label.length());
            medians.add(available ? b.median() : null);
            mins.add(available && Double.isFinite(b.min()) ? b.min() : null);
            maxs.add(available && Double.isFinite(b.max()) ? b.max() : null);
            for (Double v : new Double[] {medians.getLast(), mins.getLast(), maxs.getLast()}) {
                if (v != null) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (labels.isEmpty()) {
            labels.add("(no results)");
            medians.add(null);
            mins.add(null);
            maxs.add(null);
        }
        if (!(hi >= lo)) {
            lo = 0.1;
            hi = 1;
        }
        boolean useLog = valueAxis.log() && lo > 0 && hi / lo > 10;
        // Rotated labels need room under the plot: about 6 px per character at 45 degrees.
        int height = 460 + Math.min(400, 6 * longest);
        CategoryChart chart = new CategoryChartBuilder().width(BAR_CHART_WIDTH).height(height).title(title)
                .xAxisTitle("").yAxisTitle(valueAxis.title() + (useLog ? " (log scale)" : "")).build();
        style(chart.getStyler());
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setXAxisTitleVisible(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsPosition(0.5);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setLabelsFontColor(Color.BLACK);
        chart.getStyler().setMarkerSize(14);
        chart.getStyler().setYAxisLogarithmic(useLog);
        chart.getStyler().setYAxisDecimalPattern(valueAxis.pattern() != null ? valueAxis.pattern()
                : decimalPattern(Math.min(Math.abs(lo), Math.abs(hi))));
        if (useLog) {
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(lo))));
            chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(hi))));
            chart.getStyler().setYAxisLogarithmicDecadeOnly(true);
        } else {
            double[] r = range(new Axis(valueAxis.title(), false, Double.isNaN(valueAxis.min())
                    ? Math.min(0, lo) : valueAxis.min(), valueAxis.max(), null), List.of(nonNull(medians), nonNull(mins),
                    nonNull(maxs)));
            chart.getStyler().setYAxisMin(r[0]).setYAxisMax(r[1]);
        }
        CategorySeries median = chart.addSeries("median", labels, medians);
        median.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Bar);
        median.setFillColor(BAR);
        for (boolean low : new boolean[] {true, false}) {
            CategorySeries s = chart.addSeries(low ? "min of repetitions" : "max of repetitions", labels,
                    low ? mins : maxs);
            s.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
            s.setMarker(new Dash());
            s.setMarkerColor(low ? new Color(0x1B5E20) : new Color(0xB71C1C));
        }
        return chart;
    }

    /**
     * Writes {@code panels} side by side into one PNG at {@code file} (replacing it); returns
     * {@code file}.
     */
    public static Path write(Path file, List<? extends Chart<?, ?>> panels) throws IOException {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("no charts to write to " + file);
        }
        BufferedImage image;
        if (panels.size() == 1) {
            image = BitmapEncoder.getBufferedImage(panels.getFirst());
        } else {
            int width = panels.stream().mapToInt(Chart::getWidth).sum();
            int height = panels.stream().mapToInt(Chart::getHeight).max().orElseThrow();
            image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            try {
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, width, height);
                int x = 0;
                for (Chart<?, ?> c : panels) {
                    g.drawImage(BitmapEncoder.getBufferedImage(c), x, 0, null);
                    x += c.getWidth();
                }
            } finally {
                g.dispose();
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available to write " + file);
            }
        }
        return file;
    }

    private static void style(AxesChartStyler s) {
        s.setLocale(Locale.ROOT);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xDDDDDD));
        s.setPlotBorderColor(Color.GRAY);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setSeriesColors(new ColorBlindFriendlySeriesColors().getSeriesColors());
        s.setChartTitleBoxVisible(false);
        s.setAxisTickMarkLength(4);
    }

    /**
     * The range of a linear axis: the axis's own bounds where set, else the data's widened to
     * multiples of a round step (1, 2 or 5 times a power of ten). A log axis keeps the data's range
     * (its ticks are the powers of ten and their multiples anyway).
     */
    static double[] range(Axis a, List<List<Double>> values) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (List<Double> vs : values) {
            for (double v : vs) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (a.log()) {
            return new double[] {Double.isNaN(a.min()) ? lo : a.min(), Double.isNaN(a.max()) ? hi : a.max()};
        }
        if (!Double.isNaN(a.min()) && !Double.isNaN(a.max())) {
            return new double[] {a.min(), a.max()};
        }
        double[] r = roundRange(Double.isNaN(a.min()) ? lo : a.min(), hi, values);
        if (!Double.isNaN(a.max())) {
            r[1] = a.max();
        }
        return r;
    }

    /**
     * {@code [lo, hi]} widened to multiples of a round step. XChart puts the ticks of an axis on
     * its data values themselves when the axis minimum, the values (in series order) and the
     * maximum are equally spaced (its {@code AxisTickCalculator_.calculateForEquallySpacedAxisValues}),
     * which turns generations 1, 2, ..., 1500 into ticks at 1, 151, 301, ...; the upper bound then
     * moves up by half that spacing, which breaks it, so that the ticks stay on round numbers.
     */
    static double[] roundRange(double lo, double hi, List<? extends List<Double>> values) {
        if (!(hi > lo)) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = roundStep((hi - lo) / 10);
        double a = Math.floor(lo / step) * step + 0.0; // + 0.0: no "-0" label
        double b = Math.ceil(hi / step) * step + 0.0;
        double gap = equalSpacing(a, values, b);
        return new double[] {a, Double.isNaN(gap) ? b : b + gap / 2};
    }

    /** The round number (1, 2 or 5 times a power of ten) nearest above {@code raw}. */
    static double roundStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    /**
     * XChart's test for data-valued ticks: the gap when min, the unique values in order and max lie
     * one gap apart, else NaN.
     */
    private static double equalSpacing(double min, List<? extends List<Double>> values, double max) {
        LinkedHashSet<Double> set = new LinkedHashSet<>();
        set.add(min);
        for (List<Double> vs : values) {
            for (Double v : vs) {
                if (v != null) {
                    set.add(v);
                }
            }
        }
        set.add(max);
        List<Double> l = new ArrayList<>(set);
        if (l.size() < 2 || Math.abs(max - min) < 1e-4) {
            return Double.NaN;
        }
        double gap = l.get(1) - l.get(0);
        for (int i = 2; i < l.size(); i++) {
            if (Math.abs(l.get(i) - l.get(i - 1) - gap) >= 1e-4) {
                return Double.NaN;
            }
        }
        return gap;
    }

    /** Enough decimals for three significant digits of {@code smallest}, grouped thousands. */
    static String decimalPattern(double smallest) {
        int decimals = smallest > 0 ? (int) Math.max(0, Math.min(6, 2 - Math.floor(Math.log10(smallest)))) : 2;
        return decimals == 0 ? "#,##0" : "#,##0." + "#".repeat(decimals);
    }

    private static List<Double> nonNull(List<Double> v) {
        return v.stream().filter(Objects::nonNull).toList();
    }

    private static List<Double> boxed(double[] v) {
        return Arrays.stream(v).boxed().toList();
    }

    private static String unique(String label, List<String> taken) {
        String l = label;
        for (int k = 2; taken.contains(l); k++) {
            l = label + " (" + k + ")";
        }
        return l;
    }

    /** A short horizontal stroke: the end of a whisker. */
    private static final class Dash extends Marker {
        private static final BasicStroke STROKE = new BasicStroke(2.5f);

        @Override
        public void paint(Graphics2D g, double x, double y, int size) {
            g.setStroke(STROKE);
            g.draw(new Line2D.Double(x - size / 2.0, y, x + size / 2.0, y));
        }
    }
}
