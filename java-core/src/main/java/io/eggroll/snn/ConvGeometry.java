package io.eggroll.snn;

/**
 * The shape of a convolutional LIF layer: a {@code kernel x kernel} convolution with
 * {@code outChannels} output channels, stride {@code stride} in both directions, 'valid' padding
 * (no padding: every output position sees a whole patch inside the input), dilation 1, one group.
 *
 * <p>Layouts (all row-major, channel first, as PyTorch, NIR and the pooled N-MNIST frames):
 * <ul>
 *   <li>input neuron {@code (c, y, x)} is index {@code (c * inHeight + y) * inWidth + x} (N-MNIST:
 *       c is the polarity);</li>
 *   <li>output neuron {@code (o, y, x)} is index {@code (o * outHeight + y) * outWidth + x}, so the
 *       next layer sees the output in (channel, y, x) order;</li>
 *   <li>the kernel is stored as a weight matrix {@code K} of {@code patch() x outChannels} (fan-in x
 *       fan-out, as a dense layer's {@code W}): row {@code (c * kernel + ky) * kernel + kx} holds the
 *       weights of input channel c at kernel offset (ky, kx) for every output channel. It is the
 *       transpose of the {@code (out, in * k * k)} matrix; exports reshape it to {@code (out, in, kh, kw)}.</li>
 * </ul>
 * Output neuron {@code (o, y, x)} receives {@code b_o + sum K[(c, ky, kx), o]} over the active inputs
 * {@code (c, y stride + ky, x stride + kx)}: the dense current of the patch at {@code (y, x)}.
 */
public record ConvGeometry(int inChannels, int inHeight, int inWidth, int outChannels, int kernel, int stride) {

    public ConvGeometry {
        if (inChannels < 1 || inHeight < 1 || inWidth < 1) {
            throw new IllegalArgumentException("a convolution's input shape must be positive, got " + inChannels + " x "
                    + inHeight + " x " + inWidth);
        }
        if (outChannels < 1) {
            throw new IllegalArgumentException("conv channels must be >= 1, got " + outChannels);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("conv stride must be >= 1, got " + stride);
        }
        if (kernel < 1 || kernel > inHeight || kernel > inWidth) {
            throw new IllegalArgumentException("conv kernel must lie in [1, " + Math.min(inHeight, inWidth)
                    + "] for an input of " + inChannels + " x " + inHeight + " x " + inWidth + " ('valid' padding), got "
                    + kernel);
        }
    }

    /** Output rows: {@code (inHeight - kernel) / stride + 1}. */
    public int outHeight() {
        return (inHeight - kernel) / stride + 1;
    }

    /** Output columns: {@code (inWidth - kernel) / stride + 1}. */
    public int outWidth() {
        return (inWidth - kernel) / stride + 1;
    }

    /** Output positions per channel. */
    public int positions() {
        return outHeight() * outWidth();
    }

    /** Rows of the kernel matrix: {@code inChannels kernel^2}. */
    public int patch() {
        return inChannels * kernel * kernel;
    }

    /** Input neurons: {@code inChannels inHeight inWidth}. */
    public int inputs() {
        return inChannels * inHeight * inWidth;
    }

    /** Output neurons: {@code outChannels positions()}. */
    public int neurons() {
        return outChannels * positions();
    }

    /**
     * The patch of every output position (im2col of a binary frame): entry {@code pos = y outWidth + x}
     * lists, in increasing order, the kernel rows {@code (c, ky, kx)} whose input
     * {@code (c, y stride + ky, x stride + kx)} is among {@code active[0 .. count)}. Written plainly:
     * every position scans its whole patch.
     */
    public int[][] patches(int[] active, int count) {
        boolean[] on = new boolean[inputs()];
        for (int k = 0; k < count; k++) {
            on[active[k]] = true;
        }
        int[][] out = new int[positions()][];
        int[] buf = new int[patch()];
        for (int y = 0; y < outHeight(); y++) {
            for (int x = 0; x < outWidth(); x++) {
                int n = 0;
                for (int c = 0; c < inChannels; c++) {
                    for (int ky = 0; ky < kernel; ky++) {
                        for (int kx = 0; kx < kernel; kx++) {
                            if (on[(c * inHeight + y * stride + ky) * inWidth + x * stride + kx]) {
                                buf[n++] = (c * kernel + ky) * kernel + kx;
                            }
                        }
                    }
                }
                out[y * outWidth() + x] = java.util.Arrays.copyOf(buf, n);
            }
        }
        return out;
    }

    /** The geometry of a convolution on this one's output. */
    public ConvGeometry next(int channels, int kernelSize, int strideSize) {
        return new ConvGeometry(outChannels, outHeight(), outWidth(), channels, kernelSize, strideSize);
    }

    /** Values per layer in {@link #encode}. */
    private static final int FIELDS = 6;

    /**
     * A network's conv layers as a flat int array (checkpoints, the cluster wire): empty for a dense
     * network (null), else per layer {@code inChannels, inHeight, inWidth, outChannels, kernel, stride},
     * all 0 for a dense layer.
     */
    public static int[] encode(ConvGeometry[] conv) {
        if (conv == null) {
            return new int[0];
        }
        int[] out = new int[conv.length * FIELDS];
        for (int l = 0; l < conv.length; l++) {
            ConvGeometry g = conv[l];
            if (g != null) {
                System.arraycopy(new int[] {g.inChannels, g.inHeight, g.inWidth, g.outChannels, g.kernel, g.stride}, 0,
                        out, l * FIELDS, FIELDS);
            }
        }
        return out;
    }

    /** The inverse of {@link #encode}: null for an empty array. */
    public static ConvGeometry[] decode(int[] flat) {
        if (flat == null || flat.length == 0) {
            return null;
        }
        if (flat.length % FIELDS != 0) {
            throw new IllegalArgumentException("conv layers take " + FIELDS + " values each, got " + flat.length);
        }
        ConvGeometry[] conv = new ConvGeometry[flat.length / FIELDS];
        for (int l = 0; l < conv.length; l++) {
            int o = l * FIELDS;
            if (flat[o] != 0) {
                conv[l] = new ConvGeometry(flat[o], flat[o + 1], flat[o + 2], flat[o + 3], flat[o + 4], flat[o + 5]);
            }
        }
        return conv;
    }

    /** e.g. {@code conv 2x17x17 k5 s2 -> 16x7x7}. */
    @Override
    public String toString() {
        return "conv " + inChannels + "x" + inHeight + "x" + inWidth + " k" + kernel + " s" + stride + " -> "
                + outChannels + "x" + outHeight() + "x" + outWidth();
    }
}
