package io.eggroll.loihi.export;

import io.eggroll.loihi.bridge.Hdf5File;
import io.eggroll.snn.ConvGeometry;
import io.eggroll.snn.fixed.FixedConv;
import io.eggroll.snn.fixed.FixedLayer;
import io.eggroll.snn.fixed.LoihiQuantizer;

/**
 * A conv layer as a lava-dl NetX {@code conv} block (docs/FORMATS.md section 3), the datasets
 * {@code lava.lib.dl.netx.hdf5.Network.create_conv} reads, in slayer's export layout:
 *
 * <pre>
 * /layer/{i}   type "conv", shape int64 [C, H, W] (output; netx reverses it to its (x, y, c) order),
 *              inChannels, outChannels int64, kernelSize int64 [k, k],
 *              stride int64 [s, s], padding int64 [0, 0] ('valid'), dilation int64 [1, 1], groups int64 1,
 *              weight float32 (out, in, kh, kw): the integer kernel, PyTorch's cross-correlation layout
 *              (netx flips and transposes it for Lava's Conv), bias float32 (out,): per channel,
 *              neuron/ as a dense block's
 * /layer/{i+1} type "flatten" after the last conv block: netx then feeds the dense block the conv
 *              output in (c, y, x) order, the order of the dense weights' columns
 * </pre>
 */
final class NetxConv {

    private NetxConv() {}

    /** Writes the block after entry {@code entry} (and the flatten when {@code flatten}); returns the last entry. */
    static int write(Hdf5File f, int entry, ConvGeometry g, FixedLayer layer, boolean flatten) {
        String p = "/layer/" + (++entry);
        int out = g.outChannels();
        int patch = g.patch();
        int k = g.kernel();
        int[] kernel = FixedConv.fold(g, layer.weights());
        float[] w = new float[out * patch];
        for (int row = 0; row < patch; row++) {
            for (int o = 0; o < out; o++) {
                w[o * patch + row] = kernel[row * out + o];
            }
        }
        f.writeStrings(p + "/type", false, 10, new String[] {"conv"}, 1);
        f.writeLongs(p + "/shape", new long[] {out, g.outHeight(), g.outWidth()}, 3);
        f.writeLongs(p + "/inChannels", new long[] {g.inChannels()});
        f.writeLongs(p + "/outChannels", new long[] {out});
        f.writeLongs(p + "/kernelSize", new long[] {k, k}, 2);
        f.writeLongs(p + "/stride", new long[] {g.stride(), g.stride()}, 2);
        f.writeLongs(p + "/padding", new long[] {0, 0}, 2);
        f.writeLongs(p + "/dilation", new long[] {1, 1}, 2);
        f.writeLongs(p + "/groups", new long[] {1});
        f.writeFloats(p + "/weight", w, out, g.inChannels(), k, k);
        int[] bias = FixedConv.channelBias(g, layer.biasMant());
        float[] b = new float[out];
        for (int o = 0; o < out; o++) {
            b[o] = bias[o];
        }
        f.writeFloats(p + "/bias", b, out);
        NetxExport.neuron(f, p, layer);
        if (flatten) {
            f.writeStrings("/layer/" + (++entry) + "/type", false, 10, new String[] {"flatten"}, 1);
        }
        return entry;
    }

    /** The unrolled layer of a conv block whose input has shape {@code in} (C, H, W). */
    static FixedLayer read(Hdf5File f, String p, long[] in, int scaleExp) {
        Hdf5File.Info wi = f.dataset(p + "/weight");
        long[] ws = wi.shape();
        int out = (int) ws[0];
        int k = (int) ws[2];
        long[] stride = f.readLongs(p + "/stride");
        long[] padding = f.readLongs(p + "/padding");
        long[] dilation = f.readLongs(p + "/dilation");
        if (ws[2] != ws[3] || stride[0] != stride[1] || padding[0] != 0 || padding[1] != 0 || dilation[0] != 1
                || dilation[1] != 1 || f.readLongs(p + "/groups")[0] != 1 || in.length != 3 || in[0] != ws[1]) {
            throw new IllegalArgumentException(p + ": only square kernels with equal strides, no padding, dilation 1 and "
                    + "one group on a (C, H, W) input of C = in channels are supported");
        }
        ConvGeometry g = new ConvGeometry((int) in[0], (int) in[1], (int) in[2], out, k, (int) stride[0]);
        int patch = g.patch();
        float[] w = f.readFloats(p + "/weight");
        int[] kernel = new int[patch * out];
        for (int o = 0; o < out; o++) {
            for (int row = 0; row < patch; row++) {
                kernel[row * out + o] = (int) w[o * patch + row];
            }
        }
        int[] bias = new int[out];
        if (f.info(p + "/bias").exists()) {
            float[] b = f.readFloats(p + "/bias");
            for (int o = 0; o < out; o++) {
                bias[o] = (int) b[o];
            }
        }
        int du = (int) f.readLongs(p + "/neuron/iDecay")[0] - 1;
        int dv = (int) f.readLongs(p + "/neuron/vDecay")[0];
        int vth = (int) f.readLongs(p + "/neuron/vThMant")[0];
        return new FixedLayer(g.inputs(), g.neurons(), FixedConv.unroll(g, kernel), 0, FixedConv.expandBias(g, bias),
                LoihiQuantizer.BIAS_EXP, du, dv, vth, scaleExp);
    }
}
