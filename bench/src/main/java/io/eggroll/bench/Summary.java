package io.eggroll.bench;

import java.util.Arrays;
import java.util.Locale;

/** Median and range of repeated measurements. */
public record Summary(double median, double min, double max, int count) {

    public static Summary of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurements to summarise");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new Summary(median, s[0], s[n - 1], n);
    }

    /** {@code median (min–max)} with the given number of significant digits. */
    public String format(int digits) {
        if (count == 1) {
            return num(median, digits);
        }
        return num(median, digits) + " (" + num(min, digits) + "–" + num(max, digits) + ")";
    }

    /** A number with about {@code digits} significant digits, without exponent for usual magnitudes. */
    public static String num(double x, int digits) {
        if (!Double.isFinite(x)) {
            return "—";
        }
        double a = Math.abs(x);
        if (a != 0 && (a >= 1e7 || a < 1e-4)) {
            return String.format(Locale.ROOT, "%." + (digits - 1) + "e", x);
        }
        int decimals = a == 0 ? 0 : Math.max(0, digits - 1 - (int) Math.floor(Math.log10(a)));
        return String.format(Locale.ROOT, "%." + decimals + "f", x);
    }
}
