package io.eggroll.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.plot.Charts.Axis;
import io.eggroll.plot.Charts.Bar;
import io.eggroll.plot.Charts.Series;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

class ChartsTest {

    @TempDir
    Path dir;

    static Series line(String name, double... y) {
        return new Series(name, IntStream.rangeClosed(1, y.length).asDoubleStream().toArray(), y);
    }

    @Test
    void roundStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(Charts.roundStep(0.08)).isEqualTo(0.1, Offset.offset(1e-12));
        assertThat(Charts.roundStep(1.3)).isEqualTo(2);
        assertThat(Charts.roundStep(300)).isEqualTo(500);
        assertThat(Charts.roundStep(600)).isEqualTo(1000);
        assertThat(Charts.roundStep(5)).isEqualTo(5);
    }

    @Test
    void rangesEndOnRoundNumbers() {
        double[] r = Charts.roundRange(-2.31, -0.47, List.of(List.of(-2.31, -1.2, -0.47)));
        assertThat(r[0]).isCloseTo(-2.4, Offset.offset(1e-12));
        assertThat(r[1]).isCloseTo(-0.4, Offset.offset(1e-12));
        r = Charts.roundRange(0, 1234, List.of(List.of(3.0, 1234.0)));
        assertThat(r).containsExactly(0, 1400);
    }

    @Test
    void equallySpacedGenerationsDoNotTurnIntoDataValuedTicks() {
        // 0, 1, ..., 1000: XChart would put its ticks on every k-th value (0, 71, 142, ...).
        List<Double> gens = IntStream.rangeClosed(1, 1000).mapToObj(i -> (double) i).toList();
        double[] r = Charts.roundRange(0, 1000, List.of(gens));
        assertThat(r[0]).isZero();
        assertThat(r[1]).isEqualTo(1000.5);
        // Not equally spaced already: the bounds stay round.
        List<Double> times = List.of(1.3, 2.9, 4.0, 7.7);
        assertThat(Charts.roundRange(0, 7.7, List.of(times))).containsExactly(0, 8);
    }

    @Test
    void decimalPatternsGiveThreeSignificantDigitsOfTheSmallestValue() {
        assertThat(Charts.decimalPattern(0.0123)).isEqualTo("#,##0.####");
        assertThat(Charts.decimalPattern(1.7)).isEqualTo("#,##0.##");
        assertThat(Charts.decimalPattern(250)).isEqualTo("#,##0");
        assertThat(Charts.decimalPattern(0)).isEqualTo("#,##0.##");
    }

    @Test
    void percentAxesStopAt100AndLinearAxesAtARoundBound() {
        XYChart c = Charts.lines("t", Axis.whole("generation").from(0), Axis.percent("accuracy (%)"),
                List.of(line("a", 12, 55, 97.5)));
        assertThat(c.getStyler().getYAxisMin()).isZero();
        assertThat(c.getStyler().getYAxisMax()).isEqualTo(100);
        assertThat(c.getStyler().getXAxisMin()).isZero();
        assertThat(c.getStyler().getXAxisDecimalPattern()).isEqualTo("#,##0");
        assertThat(c.getSeriesMap()).containsOnlyKeys("a");
    }

    @Test
    void pointsALogAxisCannotShowAndEmptySeriesAreLeftOut() {
        Series s = new Series("s", new double[] {0, 1, 10, Double.NaN}, new double[] {1, 2, 3, 4});
        XYChart c = Charts.lines("t", Axis.log("time"), Axis.linear("y"),
                List.of(s, new Series("empty", new double[0], new double[0])));
        assertThat(c.getSeriesMap()).containsOnlyKeys("s");
        assertThat(c.getSeriesMap().get("s").getXData()).containsExactly(1, 10);
        assertThat(c.getStyler().isXAxisLogarithmic()).isTrue();
    }

    @Test
    void aChartWithoutPointsIsRefusedNamingIt() {
        assertThatThrownBy(() -> Charts.lines("Accuracy", Axis.linear("x"), Axis.linear("y"),
                List.of(new Series("v", new double[] {1}, new double[] {Double.NaN}))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Accuracy");
    }

    @Test
    void panelsAreWrittenSideBySideAsOnePng() throws Exception {
        XYChart a = Charts.lines("a", Axis.linear("x"), Axis.linear("y"), List.of(line("s", 1, 2, 3)));
        XYChart b = Charts.lines("b", Axis.linear("x"), Axis.linear("y"), List.of(line("s", 3, 2, 1)));
        Path file = Charts.write(dir.resolve("sub/two.png"), List.of(a, b));
        BufferedImage img = PlotFixtures.png(file);
        assertThat(img.getWidth()).isEqualTo(2 * Charts.PANEL_WIDTH);
        assertThat(img.getHeight()).isEqualTo(Charts.PANEL_HEIGHT);
    }

    @Test
    void barsUseALogAxisOnlyForASpanOverAFactorOfTen() throws Exception {
        List<Bar> wide = List.of(new Bar("fast", 0.012, 0.011, 0.014), new Bar("slow", 1.7, 1.5, 2.2));
        List<Bar> narrow = List.of(new Bar("a", 1.2, 1.1, 1.4), new Bar("b", 1.7, 1.5, 2.2));
        CategoryChart log = Charts.bars("t", Axis.log("seconds per generation"), wide);
        CategoryChart lin = Charts.bars("t", Axis.log("seconds per generation"), narrow);
        assertThat(log.getStyler().isYAxisLogarithmic()).isTrue();
        assertThat(log.getStyler().getYAxisMin()).isEqualTo(0.01, Offset.offset(1e-12));
        assertThat(log.getStyler().getYAxisMax()).isEqualTo(10, Offset.offset(1e-9));
        assertThat(lin.getStyler().isYAxisLogarithmic()).isFalse();
        assertThat(lin.getStyler().getYAxisMin()).isZero();
        assertThat(log.getSeriesMap()).containsOnlyKeys("median", "min of repetitions", "max of repetitions");
        BufferedImage img = PlotFixtures.png(Charts.write(dir.resolve("bars.png"), List.of(log)));
        assertThat(img.getWidth()).isEqualTo(Charts.BAR_CHART_WIDTH);
        assertThat(img.getHeight()).isGreaterThan(400);
    }

    @Test
    void unavailableBarsKeepTheirPlaceAndPercentBarsStopAt100() {
        List<Bar> bars = new ArrayList<>(List.of(new Bar("cpu", 85, 83, 87), new Bar("opencl", Double.NaN, Double.NaN,
                Double.NaN), new Bar("zero", 0, 0, 0)));
        CategoryChart c = Charts.bars("t", Axis.percent("accuracy (%)"), bars);
        assertThat(new ArrayList<Object>(c.getSeriesMap().get("median").getXData()))
                .containsExactly("cpu", "opencl (unavailable)", "zero");
        assertThat(new ArrayList<Number>(c.getSeriesMap().get("median").getYData())).containsExactly(85.0, null, 0.0);
        assertThat(c.getStyler().getYAxisMax()).isEqualTo(100);
    }

    @Test
    void aBarChartOfNothingStillDraws() throws Exception {
        CategoryChart c = Charts.bars("t", Axis.log("s"), List.of());
        assertThat(PlotFixtures.png(Charts.write(dir.resolve("none.png"), List.of(c))).getWidth())
                .isEqualTo(Charts.BAR_CHART_WIDTH);
    }

    @Test
    void wallTimeUnitsKeepNumbersShort() {
        assertThat(Charts.TimeUnit.forSpan(90).axisTitle()).isEqualTo("wall time (s)");
        assertThat(Charts.TimeUnit.forSpan(3600).symbol()).isEqualTo("min");
        assertThat(Charts.TimeUnit.forSpan(36000).seconds()).isEqualTo(3600);
    }
}
