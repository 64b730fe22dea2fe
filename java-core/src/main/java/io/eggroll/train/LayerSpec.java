package io.eggroll.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One entry of {@code network.layers}: a convolutional LIF layer
 * {@code {"conv": {"kernel": 5, "channels": 16, "stride": 2}}} or a dense LIF layer
 * {@code {"dense": 128}}; or the compact strings {@code "conv:5:16:2"} (kernel, channels, stride;
 * stride 1 when left out) and {@code "dense:128"}. The list names the hidden layers; the dense
 * output layer of the classes follows them. Convolutions use 'valid' padding
 * ({@link io.eggroll.snn.ConvGeometry}) and must come before the dense layers.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"conv", "dense"})
public final class LayerSpec {

    public Conv conv;
    public Integer dense;

    /** The largest kernel and stride a config takes (beyond them a value is a typo). */
    public static final int MAX_KERNEL = 64;

    @JsonIgnoreProperties(ignoreUnknown = false)
    @JsonPropertyOrder({"kernel", "channels", "stride"})
    public static final class Conv {
        public int kernel;
        public int channels;
        public int stride = 1;
    }

    public static LayerSpec conv(int kernel, int channels, int stride) {
        LayerSpec s = new LayerSpec();
        s.conv = new Conv();
        s.conv.kernel = kernel;
        s.conv.channels = channels;
        s.conv.stride = stride;
        return s;
    }

    public static LayerSpec dense(int width) {
        LayerSpec s = new LayerSpec();
        s.dense = width;
        return s;
    }

    /**
     * The compact form: {@code conv:K:C[:S]} or {@code dense:N}. Jackson takes a JSON string entry
     * through this factory.
     */
    public static LayerSpec valueOf(String text) {
        String[] f = text.trim().split(":", -1);
        try {
            if (f[0].equals("conv") && (f.length == 3 || f.length == 4)) {
                return conv(Integer.parseInt(f[1]), Integer.parseInt(f[2]), f.length == 4 ? Integer.parseInt(f[3]) : 1);
            }
            if (f[0].equals("dense") && f.length == 2) {
                return dense(Integer.parseInt(f[1]));
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("a layer is 'conv:KERNEL:CHANNELS[:STRIDE]' or 'dense:WIDTH' (e.g. conv:5:16:2, "
                + "dense:128), or an object {\"conv\": {\"kernel\": 5, \"channels\": 16, \"stride\": 2}} or "
                + "{\"dense\": 128}; got '" + text + "'");
    }

    /** Checks the entry alone; {@code field} is its name in messages, e.g. {@code network.layers[0]}. */
    void validate(String field) {
        if ((conv == null) == (dense == null)) {
            throw new TrainConfig.ConfigException(field + " must have exactly one of 'conv' and 'dense', e.g. "
                    + "{\"dense\": 128}");
        }
        if (dense != null) {
            in(field + ".dense", dense, 1, TrainConfig.MAX_WIDTH);
        } else {
            in(field + ".conv.kernel", conv.kernel, 1, MAX_KERNEL);
            in(field + ".conv.channels", conv.channels, 1, TrainConfig.MAX_WIDTH);
            in(field + ".conv.stride", conv.stride, 1, MAX_KERNEL);
        }
    }

    /** Checks a list: each entry, and the convolutions before the dense layers. */
    static void validate(LayerSpec[] layers) {
        boolean dense = false;
        for (int i = 0; i < layers.length; i++) {
            String field = "network.layers[" + i + "]";
            if (layers[i] == null) {
                throw new TrainConfig.ConfigException(field + " must be given, got null");
            }
            layers[i].validate(field);
            if (layers[i].conv != null && dense) {
                throw new TrainConfig.ConfigException(field + " is a conv layer after a dense one; convolutions come "
                        + "first (a dense layer's output has no spatial shape)");
            }
            dense |= layers[i].dense != null;
        }
    }

    private static void in(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new TrainConfig.ConfigException(field + " must lie in [" + min + ", " + max + "], got " + value);
        }
    }

    @Override
    public String toString() {
        return conv != null ? "conv:" + conv.kernel + ":" + conv.channels + ":" + conv.stride : "dense:" + dense;
    }
}
