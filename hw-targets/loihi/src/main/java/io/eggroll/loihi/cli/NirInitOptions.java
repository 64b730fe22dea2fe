package io.eggroll.loihi.cli;

import io.eggroll.cli.InitialNetwork;
import io.eggroll.cli.InitialNetworkProvider;
import io.eggroll.loihi.export.NirExport;
import io.eggroll.loihi.export.NirImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code eggroll train --init model.nir [--dt S]}: start training from a NIR graph (snnTorch,
 * Norse, Lava-dl, Spyx or our own export) instead of random weights. A picocli mixin of
 * {@code train} (see {@link InitialNetworkProvider}).
 */
public final class NirInitOptions implements InitialNetworkProvider {

    @Option(names = "--init", paramLabel = "FILE", description = "Start from the network of a NIR graph (HDF5, as nir.write "
            + "makes it) instead of random weights; its shape, threshold, decay and readout replace the config's, and "
            + "per-neuron thresholds or decays turn network.evolveThreshold / evolveDecay on (docs/LOIHI.md, 'Import').")
    Path init;

    @Option(names = "--dt", paramLabel = "SECONDS", description = "With --init: the time step to discretise NIR's "
            + "continuous-time neurons with (default: the file's node/metadata/dt, else " + NirExport.DEFAULT_DT
            + ", snnTorch's).")
    Double dt;

    @Override
    public String name() {
        return "nir-init";
    }

    @Override
    public Optional<InitialNetwork> initialNetwork() {
        if (init == null) {
            if (dt != null) {
                throw new IllegalArgumentException("--dt applies to --init (the NIR graph to start from); give --init");
            }
            return Optional.empty();
        }
        if (!Files.isRegularFile(init)) {
            throw new IllegalArgumentException("--init: no file at " + init);
        }
        NirImport.Result r = NirImport.read(init, dt);
        return Optional.of(new InitialNetwork(init.toString(), summary(r), r.params()));
    }

    /** How a graph was read: its nodes, the dt and what it gives, e.g. for a run's first lines. */
    public static String summary(NirImport.Result r) {
        var p = r.params();
        var c = p.config();
        return String.format(Locale.ROOT, "NIR %s, dt = %s s (%s): network %s, beta = %s, theta = %s (v >= theta is NIR's "
                        + "v > v_threshold), readout %s", r.chain(), r.dt(), r.dtSource(),
                java.util.Arrays.toString(c.sizes()), c.evolveDecay() ? perNeuron(p, false) : c.decay(),
                c.evolveThreshold() ? perNeuron(p, true) : c.threshold(), c.readout());
    }

    /** e.g. {@code 0.48 to 0.53 per neuron (evolved)}: the range of the per-neuron values that act. */
    private static String perNeuron(io.eggroll.snn.Params p, boolean thresholds) {
        var c = p.config();
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int l = 0; l < c.layers(); l++) {
            if (thresholds && !c.thresholdActs(l)) {
                continue;
            }
            for (float v : thresholds ? p.threshold(l) : p.decay(l)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return lo + " to " + hi + " per neuron (evolved)";
    }
}
