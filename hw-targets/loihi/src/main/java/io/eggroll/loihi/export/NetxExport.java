package io.eggroll.loihi.export;

import io.eggroll.loihi.bridge.Hdf5File;
import io.eggroll.snn.fixed.FixedLayer;
import io.eggroll.snn.fixed.FixedNetwork;
import io.eggroll.snn.fixed.LoihiQuantizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Locale;

/**
 * Lava-DL NetX HDF5 (docs/FORMATS.md sections 3.1 to 3.3), the layout
 * {@code lava.lib.dl.netx.hdf5.Network} loads:
 *
 * <pre>
 * /layer/0            type "input" (S10, shape (1,)), shape int64 [inputs]
 * /layer/0            for a conv network: shape int64 [C, H, W]
 * /layer/{i}          a conv layer: type "conv" ({@link NetxConv}); after the last one, type "flatten"
 * /layer/{i}          type "dense", shape int64 [n], inFeatures, outFeatures int64,
 *                     weight float32 (n, m) holding the integer weights, bias float32 (n,) = bias mantissas,
 *                     neuron/ type "CUBA", iDecay = du + 1, vDecay = dv, vThMant = vth, refDelay 1,
 *                     gradedSpike false
 * /eggroll/           scale_exp int64 (L,), dense_delay, and {@link ExportMetadata} (ignored by netx)
 * </pre>
 * netx sets {@code du = iDecay - 1}, {@code dv = vDecay}, {@code vth = vThMant},
 * {@code bias_exp = 6}, and recovers the weights exactly (its {@code optimize_weight_bits} keeps
 * the stored integers as the synaptic input), so {@link #read} rebuilds the very network the
 * file describes with the same rules.
 *
 * <p>NetX holds one {@code vThMant} and {@code vDecay} per layer. A layer with evolved (per-neuron)
 * thresholds and decays is written with the layer's rounded means there, which is what Lava runs;
 * each neuron's own values go to {@code /eggroll/neurons/{l+1}/vThMant} and {@code vDecay} (int64,
 * (n,)), which netx ignores and {@link #read} restores. {@link #perNeuronLoss} says what Lava loses.
 */
public final class NetxExport {

    private NetxExport() {}

    /** Rejects what a NetX file cannot hold: weight exponents, other bias exponents, weights off the 8-bit grid. */
    public static void checkExpressible(FixedNetwork net) {
        for (int l = 0; l < net.layers().size(); l++) {
            FixedLayer f = net.layers().get(l);
            if (f.weightExp() != 0) {
                throw new IllegalArgumentException("NetX cannot express layer " + l + ": weight exponent " + f.weightExp()
                        + " (the file stores effective integer weights only)");
            }
            if (f.biasExp() != LoihiQuantizer.BIAS_EXP) {
                throw new IllegalArgumentException("NetX cannot express layer " + l + ": bias exponent " + f.biasExp()
                        + " (netx always uses bias_exp = 6)");
            }
            int[] w = f.weights();
            for (int k = 0; k < w.length; k++) {
                if (w[k] < LoihiQuantizer.MIN_WEIGHT || w[k] > LoihiQuantizer.MAX_WEIGHT || (w[k] & 1) != 0) {
                    throw new IllegalArgumentException("NetX cannot express layer " + l + ": weight[" + k / f.fanOut() + "]["
                            + k % f.fanOut() + "] = " + w[k] + " is not an even integer in [-256, 254] (Lava's 8-bit "
                            + "mixed-sign Dense)");
                }
            }
        }
        if (!net.denseDelay()) {
            throw new IllegalArgumentException("NetX describes Lava's Dense, which always delays by one step; export a "
                    + "network modelled with the Dense delay");
        }
    }

    /**
     * Writes the network; {@code conv} (null for a dense network) gives the layers that are
     * convolutions, whose unrolled weights ({@link io.eggroll.snn.fixed.FixedConv}) are written as a
     * NetX {@code conv} block ({@link NetxConv}), with a {@code flatten} entry before the first dense layer;
     * {@code metadata} ({@link ExportMetadata}) goes under {@code /eggroll}.
     */
    public static void write(FixedNetwork net, io.eggroll.snn.ConvGeometry[] conv, Path out,
                             java.util.Map<String, Object> metadata, ScheduleBundle schedule) {
        checkExpressible(net);
        try (Hdf5File f = Hdf5File.create(out)) {
            f.writeStrings("/layer/0/type", false, 10, new String[] {"input"}, 1);
            long[] inputShape = conv == null || conv[0] == null ? new long[] {net.inputs()}
                    : new long[] {conv[0].inChannels(), conv[0].inHeight(), conv[0].inWidth()};
            f.writeLongs("/layer/0/shape", inputShape, inputShape.length);
            long[] scale = new long[net.layers().size()];
            int entry = 0;
            for (int l = 0; l < net.layers().size(); l++) {
                FixedLayer layer = net.layers().get(l);
                scale[l] = layer.scaleExp();
                if (conv != null && conv[l] != null) {
                    entry = NetxConv.write(f, entry, conv[l], layer, conv[l + 1] == null);
                    continue;
                }
                String g = "/layer/" + (++entry);
                int m = layer.fanIn();
                int n = layer.fanOut();
                f.writeStrings(g + "/type", false, 10, new String[] {"dense"}, 1);
                f.writeLongs(g + "/shape", new long[] {n}, 1);
                f.writeLongs(g + "/inFeatures", new long[] {m});
                f.writeLongs(g + "/outFeatures", new long[] {n});
                float[] w = new float[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        w[j * m + i] = layer.weights()[i * n + j];
                    }
                }
                f.writeFloats(g + "/weight", w, n, m);
                float[] b = new float[n];
                for (int j = 0; j < n; j++) {
                    b[j] = layer.biasMant()[j];
                }
                f.writeFloats(g + "/bias", b, n);
                neuron(f, g, layer);
                if (layer.perNeuron()) {
                    String own = ScheduleBundle.GROUP + "/neurons/" + (l + 1);
                    f.writeLongs(own + "/vThMant", longs(layer.vths()), n);
                    f.writeLongs(own + "/vDecay", longs(layer.dvs()), n);
                }
            }
            f.writeLongs(ScheduleBundle.GROUP + "/scale_exp", scale, scale.length);
            f.writeBool(ScheduleBundle.GROUP + "/dense_delay", true);
            ExportMetadata.write(f, ScheduleBundle.GROUP, metadata);
            if (schedule != null) {
                schedule.write(f);
            }
        }
    }

    private static long[] longs(int[] x) {
        long[] out = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    /**
     * What a NetX file of {@code net} loses to its per-layer neuron values: one line per layer with
     * per-neuron thresholds or decays that differ within the layer, or null when nothing is lost.
     */
    public static String perNeuronLoss(FixedNetwork net) {
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < net.layers().size(); l++) {
            FixedLayer f = net.layers().get(l);
            if (!f.perNeuron()) {
                continue;
            }
            IntSummaryStatistics vth = Arrays.stream(f.vths()).summaryStatistics();
            IntSummaryStatistics dv = Arrays.stream(f.dvs()).summaryStatistics();
            if (vth.getMin() == vth.getMax() && dv.getMin() == dv.getMax()) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "layer %d: NetX holds one vThMant and vDecay per layer; its %d neurons "
                    + "have vThMant %d..%d and vDecay %d..%d, written as their means %d and %d (what Lava runs); "
                    + "the per-neuron values are kept under /eggroll/neurons/%d, which netx ignores%n", l + 1,
                    f.fanOut(), vth.getMin(), vth.getMax(), dv.getMin(), dv.getMax(), f.vth(), f.dv(), l + 1));
        }
        return sb.isEmpty() ? null : sb.toString().strip();
    }

    /** The CUBA neuron group of a block, the same for dense and conv blocks. */
    static void neuron(Hdf5File f, String g, FixedLayer layer) {
        f.writeString(g + "/neuron/type", "CUBA");
        f.writeLongs(g + "/neuron/iDecay", new long[] {layer.du() + 1L});
        f.writeLongs(g + "/neuron/vDecay", new long[] {layer.dv()});
        f.writeLongs(g + "/neuron/vThMant", new long[] {layer.vth()});
        f.writeLongs(g + "/neuron/refDelay", new long[] {1});
        f.writeBool(g + "/neuron/gradedSpike", false);
    }

    /** The network a NetX file describes, by netx's rules (see the class comment). */
    public static FixedNetwork read(Path file) {
        try (Hdf5File f = Hdf5File.openReadOnly(file)) {
            List<String> names = f.list("/layer");
            List<FixedLayer> layers = new ArrayList<>();
            String type0 = f.readString("/layer/0/type");
            if (!type0.equals("input")) {
                throw new IllegalArgumentException(file + ": /layer/0 is '" + type0 + "', expected 'input'");
            }
            long[] scale = f.info(ScheduleBundle.GROUP + "/scale_exp").exists()
                    ? f.readLongs(ScheduleBundle.GROUP + "/scale_exp") : null;
            long[] shape = f.readLongs("/layer/0/shape"); // (C, H, W) before a conv block
            for (int i = 1; i < names.size(); i++) {
                String g = "/layer/" + i;
                String type = f.readString(g + "/type");
                if (type.equals("flatten")) {
                    continue;
                }
                if (type.equals("conv")) {
                    FixedLayer conv = NetxConv.read(f, g, shape, scale == null ? 0 : (int) scale[layers.size()]);
                    shape = f.readLongs(g + "/shape");
                    layers.add(conv);
                    continue;
                }
                if (!type.equals("dense")) {
                    throw new IllegalArgumentException(file + ": " + g + " is a '" + type + "' layer; only 'dense', "
                            + "'conv' and 'flatten' are supported");
                }
                Hdf5File.Info wi = f.dataset(g + "/weight");
                int n = (int) wi.shape()[0];
                int m = (int) wi.shape()[1];
                float[] w = f.readFloats(g + "/weight");
                int[] wInt = new int[m * n];
                for (int j = 0; j < n; j++) {
                    for (int k = 0; k < m; k++) {
                        wInt[k * n + j] = (int) w[j * m + k];
                    }
                }
                int[] bias = new int[n];
                if (f.info(g + "/bias").exists()) {
                    float[] b = f.readFloats(g + "/bias");
                    for (int j = 0; j < n; j++) {
                        bias[j] = (int) b[j];
                    }
                }
                int du = (int) f.readLongs(g + "/neuron/iDecay")[0] - 1;
                int dv = (int) f.readLongs(g + "/neuron/vDecay")[0];
                int vth = (int) f.readLongs(g + "/neuron/vThMant")[0];
                String own = ScheduleBundle.GROUP + "/neurons/" + (layers.size() + 1); // weight layer l + 1
                int[] vths = f.info(own + "/vThMant").exists() ? ints(f.readLongs(own + "/vThMant")) : null;
                int[] dvs = vths != null ? ints(f.readLongs(own + "/vDecay")) : null;
                layers.add(new FixedLayer(m, n, wInt, 0, bias, LoihiQuantizer.BIAS_EXP, du, dv, vth,
                        scale == null ? 0 : (int) scale[layers.size()], dvs, vths));
            }
            return new FixedNetwork(layers, true);
        }
    }

    private static int[] ints(long[] x) {
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.toIntExact(x[i]);
        }
        return out;
    }
}
