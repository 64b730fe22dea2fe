package io.eggroll.loihi.export;

import io.eggroll.loihi.bridge.Hdf5File;
import io.eggroll.snn.ConvGeometry;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import java.util.List;

/**
 * The NIR nodes of a conv layer (docs/FORMATS.md section 2): a {@code Conv2d} node as NIR defines
 * it (cross-correlation, {@code weight} (out, in, kh, kw), {@code bias} (out), {@code stride},
 * {@code padding} 0 0 ('valid'), {@code dilation} 1 1, {@code groups} 1, {@code input_shape} the
 * spatial (height, width) of its input), then the LIF node whose per-neuron arrays have the conv
 * output's shape (C, H, W); before a dense layer follows, a {@code Flatten} node (start_dim 0,
 * end_dim -1, input_type (C, H, W)) gives the (channel, y, x) order the Affine's columns use.
 */
final class NirConv {

    private NirConv() {}

    /**
     * Writes layer l's nodes after node {@code prev}, adds their edges and node types; returns the
     * last node's name. The neuron node follows {@link NirExport#write}'s rules: LIF, or IF without
     * leak (beta = 1), its threshold as {@link NirExport#nirThreshold} gives it. A conv layer's
     * neurons share theta and beta (evolved neuron parameters are refused on conv networks).
     */
    static String write(Hdf5File f, String nodes, Params params, int l, double dt, boolean strictThreshold,
                        String prev, List<String[]> edges, List<String> types) {
        SnnConfig cfg = params.config();
        ConvGeometry g = cfg.conv(l);
        String conv = "conv" + l;
        int out = g.outChannels();
        int k = g.kernel();
        int patch = g.patch();
        float[] src = params.weights(l); // patch x out, row (c, ky, kx)
        float[] w = new float[out * patch]; // (out, in, kh, kw): element (o, row) for row = (c, ky, kx)
        for (int row = 0; row < patch; row++) {
            for (int o = 0; o < out; o++) {
                w[o * patch + row] = src[row * out + o];
            }
        }
        f.writeString(nodes + conv + "/type", "Conv2d");
        f.writeFloats(nodes + conv + "/weight", w, out, g.inChannels(), k, k);
        f.writeFloats(nodes + conv + "/bias", params.bias(l).clone(), out);
        f.writeLongs(nodes + conv + "/stride", new long[] {g.stride(), g.stride()}, 2);
        f.writeLongs(nodes + conv + "/padding", new long[] {0, 0}, 2);
        f.writeLongs(nodes + conv + "/dilation", new long[] {1, 1}, 2);
        f.writeLongs(nodes + conv + "/groups", new long[] {1});
        f.writeLongs(nodes + conv + "/input_shape", new long[] {g.inHeight(), g.inWidth()}, 2);
        edges.add(new String[] {prev, conv});
        types.add("Conv2d");
        double beta = cfg.decay();
        boolean leaky = beta < 1;
        String type = leaky ? "LIF" : "IF";
        String lif = type.toLowerCase(java.util.Locale.ROOT) + l;
        long[] shape = {out, g.outHeight(), g.outWidth()};
        int n = g.neurons();
        f.writeString(nodes + lif + "/type", type);
        if (leaky) {
            f.writeFloats(nodes + lif + "/tau", NirExport.filled(n, dt / (1 - beta)), shape);
        }
        f.writeFloats(nodes + lif + "/r", NirExport.filled(n, leaky ? 1 / (1 - beta) : 1 / dt), shape);
        if (leaky) {
            f.writeFloats(nodes + lif + "/v_leak", NirExport.filled(n, 0), shape);
        }
        f.writeFloats(nodes + lif + "/v_threshold",
                NirExport.filled(n, NirExport.nirThreshold(cfg.threshold(), strictThreshold)), shape);
        f.writeFloats(nodes + lif + "/v_reset", NirExport.filled(n, 0), shape);
        edges.add(new String[] {conv, lif});
        types.add(type);
        if (cfg.conv(l + 1) != null) {
            return lif;
        }
        String flatten = "flatten" + l;
        f.writeString(nodes + flatten + "/type", "Flatten");
        f.writeLongs(nodes + flatten + "/start_dim", new long[] {0});
        f.writeLongs(nodes + flatten + "/end_dim", new long[] {-1});
        f.writeLongs(nodes + flatten + "/input_type/input", shape, 3);
        edges.add(new String[] {lif, flatten});
        types.add("Flatten");
        return flatten;
    }
}
