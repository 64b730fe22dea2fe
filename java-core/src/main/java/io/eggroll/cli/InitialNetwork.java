package io.eggroll.cli;

import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.TrainConfig;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A network read from a file to start training from ({@code eggroll train --init}): its weights
 * replace the seeded random ones, and its shape, threshold, decay and readout replace the
 * config's; per-neuron thresholds or decays turn {@code network.evolveThreshold} /
 * {@code network.evolveDecay} on.
 *
 * @param source  what the network was read from, for messages (e.g. the file)
 * @param summary how it was read, for the run's first line (e.g. the graph's nodes and the dt)
 * @param params  the weights; {@code params.config()} is the whole network
 */
public record InitialNetwork(String source, String summary, Params params) {

    /** The hidden layer widths of the network (none for a single weight layer). */
    public int[] hidden() {
        int[] s = params.config().sizes();
        return Arrays.copyOfRange(s, 1, s.length - 1);
    }

    /**
     * Sets {@code cfg.network} to this network's hidden widths, threshold, decay and readout.
     * {@code hiddenOption} and {@code readoutOption} are what the command line gave (null when
     * not given): one that says otherwise than the file is refused, naming both.
     */
    public void applyTo(TrainConfig cfg, int[] hiddenOption, Readout readoutOption) {
        SnnConfig n = params.config();
        int[] hidden = hidden();
        if (hiddenOption != null && (params.config().hasConv() || !Arrays.equals(hiddenOption, hidden))) {
            throw new IllegalArgumentException("--hidden " + widths(hiddenOption) + " conflicts with --init " + source
                    + ", whose hidden layers are " + (hidden.length == 0 ? "none" : widths(hidden))
                    + ": the network's shape comes from the file, drop --hidden");
        }
        if (readoutOption != null && readoutOption != n.readout()) {
            throw new IllegalArgumentException("--readout " + readoutOption + " conflicts with --init " + source
                    + ", whose readout is " + n.readout() + ": drop --readout");
        }
        if (n.hasConv()) { // the shape as network.layers: conv entries, then the dense hidden widths
            io.eggroll.train.LayerSpec[] layers = new io.eggroll.train.LayerSpec[n.layers() - 1];
            for (int l = 0; l < layers.length; l++) {
                io.eggroll.snn.ConvGeometry g = n.conv(l);
                layers[l] = g != null ? io.eggroll.train.LayerSpec.conv(g.kernel(), g.outChannels(), g.stride())
                        : io.eggroll.train.LayerSpec.dense(n.fanOut(l));
            }
            cfg.network.layers = layers;
            cfg.network.hidden = null;
        } else {
            cfg.network.hidden = hidden;
            cfg.network.layers = null;
        }
        cfg.network.threshold = n.threshold();
        cfg.network.decay = n.decay();
        cfg.network.readout = n.readout();
        // a file with per-neuron values needs them evolved; a shared one may start evolving them
        cfg.network.evolveThreshold |= n.evolveThreshold();
        cfg.network.evolveDecay |= n.evolveDecay();
    }

    /**
     * A copy of the weights for the task's network {@code net} (the config after
     * {@link #applyTo}): refused, naming both shapes, when the task's inputs or classes differ.
     */
    public Params paramsFor(SnnConfig net) {
        SnnConfig mine = params.config();
        if (net.equals(mine.withEvolvedNeurons(net.evolveThreshold(), net.evolveDecay()))
                && (net.evolveThreshold() || !mine.evolveThreshold()) && (net.evolveDecay() || !mine.evolveDecay())) {
            return evolving(net);
        }
        if (!net.equals(mine)) {
            String why = net.inputs() != mine.inputs()
                    ? "the task has " + net.inputs() + " inputs, the file's network " + mine.inputs()
                    : net.outputs() != mine.outputs()
                    ? "the task has " + net.outputs() + " classes, the file's network " + mine.outputs() + " outputs"
                    : "the configuration changed the network: " + net + ", the file's " + mine;
            throw new IllegalArgumentException("--init " + source + ": the network " + widths(mine.sizes())
                    + " does not fit the task's " + widths(net.sizes()) + " (" + why + ")");
        }
        return params.copy();
    }

    /** The weights for {@code net}, which evolves what the file's network does and perhaps more (from the shared values). */
    private Params evolving(SnnConfig net) {
        SnnConfig mine = params.config();
        Params p = new Params(net);
        for (int l = 0; l < net.layers(); l++) {
            System.arraycopy(params.weights(l), 0, p.weights(l), 0, p.weights(l).length);
            System.arraycopy(params.bias(l), 0, p.bias(l), 0, p.bias(l).length);
            if (mine.evolveThreshold()) {
                System.arraycopy(params.threshold(l), 0, p.threshold(l), 0, p.threshold(l).length);
            }
            if (mine.evolveDecay()) {
                System.arraycopy(params.decay(l), 0, p.decay(l), 0, p.decay(l).length);
            }
        }
        return p;
    }

    private static String widths(int[] w) {
        return Arrays.stream(w).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }
}
