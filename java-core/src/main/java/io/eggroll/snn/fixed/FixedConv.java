package io.eggroll.snn.fixed;

import io.eggroll.snn.ConvGeometry;

/**
 * A convolutional layer in Loihi 2 fixed point, run as the {@link FixedLayer} it is equivalent to:
 * the integer kernel unrolled into an {@code inputs x neurons} weight matrix (zero outside each
 * neuron's patch) and the per-channel bias mantissa repeated for every position. Integer sums do
 * not depend on their order, so the unrolled Dense gives the very sums Lava's Conv forms; the
 * simulator, the quantiser and the native cross-check need no conv case of their own. The cost is
 * memory and time proportional to {@code inputs x neurons} instead of the kernel's
 * {@code patch x channels}: fine for the small networks loihi-sim trains; NetX and NIR exports fold
 * the kernel back ({@link #fold}).
 */
public final class FixedConv {

    private FixedConv() {}

    /**
     * The unrolled weights ({@code g.inputs() x g.neurons()}, row-major) of a kernel matrix
     * {@code kernel} ({@code g.patch() x g.outChannels()}, the float layout of
     * {@link io.eggroll.snn.ConvGeometry}).
     */
    public static int[] unroll(ConvGeometry g, int[] kernel) {
        int neurons = g.neurons();
        int[] w = new int[Math.multiplyExact(g.inputs(), neurons)];
        int k = g.kernel();
        int positions = g.positions();
        int channels = g.outChannels();
        for (int oy = 0; oy < g.outHeight(); oy++) {
            for (int ox = 0; ox < g.outWidth(); ox++) {
                int pos = oy * g.outWidth() + ox;
                for (int c = 0; c < g.inChannels(); c++) {
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int input = (c * g.inHeight() + oy * g.stride() + ky) * g.inWidth() + ox * g.stride() + kx;
                            int row = ((c * k + ky) * k + kx) * channels;
                            for (int o = 0; o < channels; o++) {
                                w[input * neurons + o * positions + pos] = kernel[row + o];
                            }
                        }
                    }
                }
            }
        }
        return w;
    }

    /** The kernel matrix ({@code patch x channels}) of unrolled weights: the inverse of {@link #unroll}. */
    public static int[] fold(ConvGeometry g, int[] unrolled) {
        int channels = g.outChannels();
        int k = g.kernel();
        int neurons = g.neurons();
        int positions = g.positions();
        int[] kernel = new int[g.patch() * channels];
        for (int c = 0; c < g.inChannels(); c++) {
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    int input = (c * g.inHeight() + ky) * g.inWidth() + kx; // seen by position (0, 0)
                    int row = ((c * k + ky) * k + kx) * channels;
                    for (int o = 0; o < channels; o++) {
                        kernel[row + o] = unrolled[input * neurons + o * positions];
                    }
                }
            }
        }
        return kernel;
    }

    /** The per-neuron bias of per-channel values: channel o's value at each of its positions. */
    public static int[] expandBias(ConvGeometry g, int[] perChannel) {
        int positions = g.positions();
        int[] out = new int[g.neurons()];
        for (int o = 0; o < perChannel.length; o++) {
            java.util.Arrays.fill(out, o * positions, (o + 1) * positions, perChannel[o]);
        }
        return out;
    }

    /** The per-channel bias of a per-neuron one (position 0 of each channel). */
    public static int[] channelBias(ConvGeometry g, int[] perNeuron) {
        int[] out = new int[g.outChannels()];
        for (int o = 0; o < out.length; o++) {
            out[o] = perNeuron[o * g.positions()];
        }
        return out;
    }
}
