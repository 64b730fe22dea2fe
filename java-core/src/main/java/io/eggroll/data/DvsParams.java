package io.eggroll.data;

/**
 * Parameters of the simulated DVS recording used by {@link SaccadeConverter}.
 *
 * @param onThreshold mean ON contrast threshold (log-intensity units)
 * @param offThreshold mean OFF contrast threshold (log-intensity units)
 * @param thresholdSigma standard deviation of the per-pixel Gaussian threshold mismatch
 * @param refractoryUs refractory period of a pixel after an event, microseconds
 * @param noiseRateHz background-activity rate per pixel (both polarities together), Hz
 * @param logOffset added to the normalised intensity (0..1) before the log, so black is finite
 * @param stepUs simulation time step, microseconds (events get sub-step timestamps)
 * @param durationUs recording length, microseconds (three saccades of 105 ms: 315,000)
 */
public record DvsParams(double onThreshold, double offThreshold, double thresholdSigma,
                        double refractoryUs, double noiseRateHz, double logOffset,
                        double stepUs, double durationUs) {

    /** The defaults documented in {@code docs/DATA.md}. */
    public static final DvsParams DEFAULT = new DvsParams(0.3, 0.3, 0.03, 1000, 0.5, 0.3, 1000, 315_000);

    public DvsParams {
        positive("onThreshold", onThreshold);
        positive("offThreshold", offThreshold);
        nonNegative("thresholdSigma", thresholdSigma);
        nonNegative("refractoryUs", refractoryUs);
        nonNegative("noiseRateHz", noiseRateHz);
        positive("logOffset", logOffset);
        positive("stepUs", stepUs);
        positive("durationUs", durationUs);
        if (durationUs > NmnistFormat.MAX_TIME_US) {
            throw new IllegalArgumentException("durationUs=" + durationUs + " exceeds the 23-bit timestamp range");
        }
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a positive finite number, got " + v);
        }
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a non-negative finite number, got " + v);
        }
    }
}
