package io.eggroll.loihi.export;

import io.eggroll.loihi.bridge.Hdf5File;
import io.eggroll.snn.ConvGeometry;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a NIR graph (docs/FORMATS.md section 2.2) in the HDF5 layout {@code nir.write} produces
 * ({@code /node/nodes/<name>/type} and parameter datasets, {@code /node/edges} as (k, 2) strings)
 * and maps it onto the engine's feed-forward network, or refuses it naming the node and the reason.
 *
 * <p>NIR's neurons are continuous-time ({@code tau dv/dt = (v_leak - v) + r I}, spike on
 * {@code v > v_threshold}, then {@code v = v_reset}); they are discretised by forward Euler with
 * the step {@code dt} (snnTorch's convention), per neuron:
 * {@code v[t+1] = beta v[t] + g (W s[t] + b) + (dt/tau) v_leak} with {@code beta = 1 - dt/tau} and
 * the input gain {@code g = (dt/tau) r}. The gain is folded into the incoming weights and bias, the
 * leak drive into the bias; the strict {@code >} becomes the engine's {@code >=} on the smallest
 * float above {@code v_threshold}, which is the same test for every float32 membrane value.
 *
 * <p>Where every neuron of the graph has the same decay and the same threshold the network shares
 * them, as the engine's plain config; where they differ (across a node's neurons or across
 * layers) the network has per-neuron values, {@code evolveDecay} / {@code evolveThreshold} on
 * ({@link io.eggroll.snn.Neurons}), which ES then fine-tunes. The engine has a spiking or (last
 * layer only) leaky-integrator neuron after each weight layer, and resets to 0; what differs is
 * refused. {@code Conv2d} nodes (padding 0, dilation 1, groups 1, as our export writes them) become
 * the engine's conv layers (their kernel a patch x channels matrix, {@link ConvGeometry}), and
 * {@code Flatten}, a reshape in C order, leaves the flat order unchanged. Mapping happens in two
 * steps, {@link #readGraph} (a chain of per-neuron layers, as NIR has them) then {@link Graph#toEngine}.
 */
public final class NirImport {

    /** A gain or synaptic decay within this of 1 (or 0) is taken as exactly that: tau and r are stored as float32. */
    static final double SNAP = 1e-6;

    private NirImport() {}

    /** The engine's network read from a file, and how it was read. */
    public record Result(Params params, double dt, String dtSource, List<String> nodes) {

        /** e.g. {@code Input -> Affine -> LIF -> Affine -> LI -> Output}. */
        public String chain() {
            return String.join(" -> ", nodes);
        }
    }

    /**
     * Reads {@code file} with {@code dt} (seconds), or when {@code dt} is null the file's
     * {@code node/metadata/dt} (our exports record it), else {@link NirExport#DEFAULT_DT}.
     */
    public static Result read(Path file, Double dt) {
        return readGraph(file, dt).toEngine();
    }

    /**
     * One weight layer and the neurons after it, with NIR's per-neuron values discretised;
     * {@code exactBeta} is the float decay per neuron our exports record ({@code metadata/beta_<node>}), or null.
     */
    record Layer(String synapseNode, String synapseType, int fanIn, int fanOut, float[] weights, float[] bias,
                 String neuronNode, String neuronType, double[] beta, double[] gain, double[] leakDrive,
                 double[] threshold, float[] exactBeta, ConvGeometry conv) {

        boolean spiking() {
            return threshold != null;
        }

        /** Neurons after the weight layer: fanOut for a dense layer, channels x positions for a conv layer. */
        int neurons() {
            return conv == null ? fanOut : conv.neurons();
        }
    }

    /**
     * The graph as a chain of layers, before the engine's checks; {@code metadataBeta} and
     * {@code metadataThreshold} are the network's decay and threshold our exports record, or null.
     */
    record Graph(Path file, int inputs, List<Layer> layers, double dt, String dtSource, Double metadataBeta,
                 Double metadataThreshold, List<String> nodes) {

        /**
         * The engine's network: one shared decay and threshold where every neuron has the same
         * (the bit-exact path of our shared exports), else per-neuron values with
         * {@code evolveDecay} / {@code evolveThreshold} on (their initial values our export's
         * metadata, else the mean).
         */
        Result toEngine() {
            Layer last = layers.getLast();
            for (Layer l : layers) {
                if (!l.spiking() && l != last) {
                    throw refuse(file, l.neuronNode, l.neuronType, "a non-spiking integrator is a hidden layer; the engine "
                            + "has one only as the readout (the last layer before Output)");
                }
            }
            int count = layers.size();
            ConvGeometry[] conv = new ConvGeometry[count];
            for (int l = 0; l < count; l++) {
                conv[l] = layers.get(l).conv;
                if (conv[l] != null) {
                    sharedAcrossPositions(layers.get(l));
                }
            }
            boolean convolutional = conv[0] != null;
            float[][] betas = new float[count][];
            float[][] thetas = new float[count][];
            for (int l = 0; l < count; l++) {
                betas[l] = decays(layers.get(l));
                thetas[l] = layers.get(l).spiking() ? thresholds(layers.get(l)) : null;
            }
            Float sharedBeta = shared(betas);
            Float sharedTheta = shared(thetas);
            if (convolutional && (sharedBeta == null || sharedTheta == null && Arrays.stream(thetas).anyMatch(t -> t != null))) {
                Layer l = layers.get(firstDiffering(sharedBeta == null ? betas : thetas));
                throw refuse(file, l.neuronNode, l.neuronType, "its " + (sharedBeta == null ? "decay beta = 1 - dt/tau"
                        : "v_threshold") + " differs from the other neurons'; per-neuron values become evolved neurons, "
                        + "which the engine does not implement for networks with conv layers");
            }
            boolean spikes = Arrays.stream(thetas).anyMatch(t -> t != null);
            float decay = sharedBeta != null ? sharedBeta
                    : metadataBeta != null && metadataBeta >= 0 && metadataBeta <= 1 ? (float) (double) metadataBeta
                    : mean(betas);
            float theta = !spikes ? SnnConfig.DEFAULT_THRESHOLD : sharedTheta != null ? sharedTheta
                    : metadataThreshold != null && metadataThreshold > 0 && Float.isFinite((float) (double) metadataThreshold)
                    ? (float) (double) metadataThreshold : mean(thetas);
            int[] sizes = new int[count + 1];
            sizes[0] = inputs;
            for (int l = 0; l < count; l++) {
                sizes[l + 1] = layers.get(l).neurons();
            }
            SnnConfig cfg = new SnnConfig(sizes, theta, decay, last.spiking() ? Readout.SPIKE_COUNT : Readout.MEMBRANE,
                    spikes && sharedTheta == null, sharedBeta == null, convolutional ? conv : null);
            Params p = new Params(cfg);
            for (int l = 0; l < count; l++) {
                fold(layers.get(l), p.weights(l), p.bias(l));
                if (cfg.evolveDecay()) {
                    System.arraycopy(betas[l], 0, p.decay(l), 0, betas[l].length);
                }
                if (cfg.evolveThreshold() && thetas[l] != null) {
                    System.arraycopy(thetas[l], 0, p.threshold(l), 0, thetas[l].length);
                } // a membrane readout's last layer keeps the initial threshold, which does not act
            }
            return new Result(p, dt, dtSource, nodes);
        }

        /**
         * A layer's decays as floats: the exact values our export records, else each neuron's
         * {@code beta = 1 - dt/tau} rounded, or the recorded network decay where within {@link #SNAP} of it.
         */
        private float[] decays(Layer l) {
            float[] b = new float[l.neurons()];
            for (int j = 0; j < b.length; j++) {
                if (l.exactBeta != null) {
                    b[j] = l.exactBeta[j];
                } else if (metadataBeta != null && Math.abs(metadataBeta - l.beta[j]) <= SNAP) {
                    b[j] = (float) (double) metadataBeta; // our exports record the float beta the tau stands for
                } else {
                    b[j] = (float) l.beta[j];
                }
                if (!(b[j] >= 0 && b[j] <= 1)) {
                    throw refuse(file, l.neuronNode, l.neuronType, "beta = 1 - dt/tau = " + b[j] + " (neuron " + j
                            + ") lies outside [0, 1] at dt = " + dt + " s");
                }
            }
            return b;
        }

        /** A spiking layer's thresholds: NIR's strict {@code v > v_threshold} as {@code v >= theta}, per neuron. */
        private float[] thresholds(Layer l) {
            float[] t = new float[l.neurons()];
            for (int j = 0; j < t.length; j++) {
                t[j] = strictThreshold(l.threshold[j]);
                if (!(t[j] > 0) || !Float.isFinite(t[j])) {
                    throw refuse(file, l.neuronNode, l.neuronType, "v_threshold = " + l.threshold[j] + " (neuron " + j
                            + "); the engine needs a finite threshold > 0");
                }
            }
            return t;
        }

        /**
         * A conv layer's kernel is shared across positions, so the input gain and leak drive that
         * fold into it must be the same at every position of a channel.
         */
        private void sharedAcrossPositions(Layer l) {
            int positions = l.conv.positions();
            for (int o = 0; o < l.fanOut; o++) {
                for (int p = 1; p < positions; p++) {
                    int j = o * positions + p;
                    int first = o * positions;
                    if ((float) l.gain[j] != (float) l.gain[first] || (float) l.leakDrive[j] != (float) l.leakDrive[first]) {
                        throw refuse(file, l.neuronNode, l.neuronType, "its input gain (dt/tau) r or leak drive differs "
                                + "across the positions of channel " + o + "; a convolution's kernel and bias are shared "
                                + "across positions");
                    }
                }
            }
        }
    }

    /** The index of the first layer holding a value other than the first value of all. */
    private static int firstDiffering(float[][] v) {
        Float first = null;
        for (int l = 0; l < v.length; l++) {
            for (int j = 0; v[l] != null && j < v[l].length; j++) {
                if (first == null) {
                    first = v[l][j];
                } else if (Float.floatToIntBits(v[l][j]) != Float.floatToIntBits(first)) {
                    return l;
                }
            }
        }
        return 0;
    }

    /** The one value all the (non-null) vectors hold, or null when they differ. */
    private static Float shared(float[][] v) {
        Float one = null;
        for (float[] layer : v) {
            for (int j = 0; layer != null && j < layer.length; j++) {
                if (one == null) {
                    one = layer[j];
                } else if (Float.floatToIntBits(layer[j]) != Float.floatToIntBits(one)) {
                    return null;
                }
            }
        }
        return one;
    }

    private static float mean(float[][] v) {
        double sum = 0;
        long n = 0;
        for (float[] layer : v) {
            for (int j = 0; layer != null && j < layer.length; j++) {
                sum += layer[j];
                n++;
            }
        }
        return (float) (sum / n);
    }

    /** Copies a layer's weights and bias, scaled by the gains (when not 1) plus the leak drive (when not 0). */
    static void fold(Layer layer, float[] w, float[] b) {
        int n = layer.fanOut;
        int stride = layer.conv == null ? 1 : layer.conv.positions(); // a conv channel's neurons share its values
        for (int j = 0; j < n; j++) {
            double g = layer.gain[j * stride];
            boolean unit = Math.abs(g - 1) <= SNAP;
            for (int i = 0; i < layer.fanIn; i++) {
                float x = layer.weights[i * n + j];
                w[i * n + j] = unit ? x : (float) (g * x);
            }
            float bj = unit ? layer.bias[j] : (float) (g * layer.bias[j]);
            double leak = layer.leakDrive[j * stride];
            b[j] = leak == 0 ? bj : (float) (bj + leak);
        }
    }

    /**
     * The engine threshold for NIR's {@code v > vt}: the smallest float above {@code vt}, so that
     * {@code v >= theta} holds for exactly the float32 {@code v} with {@code v > vt}.
     */
    static float strictThreshold(double vt) {
        float f = (float) vt;
        return f > vt ? f : Math.nextUp(f);
    }

    static IllegalArgumentException refuse(Path file, String node, String type, String why) {
        return new IllegalArgumentException(file + ": node '" + node + "' (" + type + "): " + why);
    }

    // ------------------------------------------------------------------ reading the file

    private static final String NODES = "/node/nodes/";
    private static final String META = "/node/metadata/";

    static Graph readGraph(Path file, Double dtOption) {
        try (Hdf5File f = Hdf5File.openReadOnly(file)) {
            if (f.info("/node/type").exists() && !f.readString("/node/type").equals("NIRGraph")) {
                throw new IllegalArgumentException(file + ": /node/type is '" + f.readString("/node/type")
                        + "', not a NIRGraph");
            }
            if (!f.info("/node/nodes").exists()) {
                throw new IllegalArgumentException(file + ": no /node/nodes group: not a NIR graph as nir.write makes it");
            }
            double dt;
            String dtSource;
            if (dtOption != null) {
                dt = dtOption;
                dtSource = "--dt";
            } else if (f.info("/node/metadata/dt").exists()) {
                dt = f.readDoubles("/node/metadata/dt")[0];
                dtSource = "the file's node/metadata/dt";
            } else {
                dt = NirExport.DEFAULT_DT;
                dtSource = "the default (snnTorch's dt)";
            }
            if (!(dt > 0) || !Double.isFinite(dt)) {
                throw new IllegalArgumentException("--dt must be a finite number > 0, got " + dt + " (" + dtSource + ")");
            }
            // our exports record the float beta their taus stand for, at the dt they were written with
            boolean sameDt = f.info(META + "dt").exists() && f.readDoubles(META + "dt")[0] == dt;
            Double beta = sameDt && f.info(META + "beta").exists() ? f.readDoubles(META + "beta")[0] : null;
            Double theta = f.info(META + "engine_threshold").exists() ? f.readDoubles(META + "engine_threshold")[0] : null;
            Map<String, String> types = new HashMap<>();
            for (String name : f.list("/node/nodes")) {
                String g = NODES + name;
                if (!f.info(g + "/type").exists()) {
                    throw new IllegalArgumentException(file + ": node '" + name + "' has no type");
                }
                types.put(name, f.readString(g + "/type"));
            }
            List<String> chain = chain(file, types, edges(f, file));
            return layers(f, file, types, chain, dt, dtSource, beta, theta, sameDt);
        }
    }

    /** The edges as (source, target) pairs: a (k, 2) string dataset as nir.write makes it, or src and dst lists. */
    static List<String[]> edges(Hdf5File f, Path file) {
        List<String> flat;
        List<String[]> out = new ArrayList<>();
        Hdf5File.Info e = f.info("/node/edges");
        if (e.exists() && !e.group()) {
            flat = f.readStrings("/node/edges");
            if (flat.size() % 2 != 0) {
                throw new IllegalArgumentException(file + ": /node/edges holds " + flat.size() + " strings, not pairs");
            }
            for (int k = 0; k < flat.size(); k += 2) {
                out.add(new String[] {flat.get(k), flat.get(k + 1)});
            }
        } else if (e.exists()) {
            List<String> src = f.readStrings("/node/edges/src");
            List<String> dst = f.readStrings("/node/edges/dst");
            if (src.size() != dst.size()) {
                throw new IllegalArgumentException(file + ": /node/edges has " + src.size() + " sources but " + dst.size()
                        + " targets");
            }
            for (int k = 0; k < src.size(); k++) {
                out.add(new String[] {src.get(k), dst.get(k)});
            }
        } else {
            throw new IllegalArgumentException(file + ": the graph has no /node/edges");
        }
        return out;
    }

    /** The node names from the Input to the Output; a graph that is not one chain is refused. */
    static List<String> chain(Path file, Map<String, String> types, List<String[]> edges) {
        Map<String, List<String>> next = new HashMap<>();
        Map<String, List<String>> prev = new HashMap<>();
        for (String[] e : edges) {
            for (String n : e) {
                if (!types.containsKey(n)) {
                    throw new IllegalArgumentException(file + ": edge " + e[0] + " -> " + e[1] + " names node '" + n
                            + "', which the graph does not have");
                }
            }
            next.computeIfAbsent(e[0], k -> new ArrayList<>()).add(e[1]);
            prev.computeIfAbsent(e[1], k -> new ArrayList<>()).add(e[0]);
        }
        List<String> inputs = types.keySet().stream().filter(n -> types.get(n).equals("Input")).sorted().toList();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(file + ": the graph has " + inputs.size() + " Input nodes " + inputs
                    + "; the engine takes one");
        }
        Set<String> seen = new LinkedHashSet<>();
        String at = inputs.getFirst();
        while (true) {
            seen.add(at);
            List<String> in = prev.getOrDefault(at, List.of());
            List<String> out = next.getOrDefault(at, List.of());
            if (!types.get(at).equals("Input") && in.size() != 1) {
                throw refuse(file, at, types.get(at), "it has " + in.size() + " incoming edges " + in + "; the engine "
                        + "runs a feed-forward chain (no branches, merges or recurrence)");
            }
            if (types.get(at).equals("Output")) {
                if (!out.isEmpty()) {
                    throw refuse(file, at, "Output", "it has outgoing edges " + out);
                }
                break;
            }
            if (out.size() != 1) {
                throw refuse(file, at, types.get(at), out.isEmpty() ? "nothing follows it, and it is not an Output"
                        : "it feeds " + out.size() + " nodes " + out + "; the engine runs a feed-forward chain (no branches)");
            }
            at = out.getFirst();
            if (seen.contains(at)) {
                throw refuse(file, at, types.get(at), "the graph loops back to it (recurrence is not supported)");
            }
        }
        Set<String> unused = new java.util.TreeSet<>(types.keySet());
        unused.removeAll(seen);
        if (!unused.isEmpty()) {
            String n = unused.iterator().next();
            throw refuse(file, n, types.get(n), "it lies off the chain from the Input to the Output");
        }
        return new ArrayList<>(seen);
    }

    private static Graph layers(Hdf5File f, Path file, Map<String, String> types, List<String> chain, double dt,
                                String dtSource, Double beta, Double theta, boolean sameDt) {
        String inputNode = chain.getFirst();
        int inputs = (int) product(f, file, inputNode, "Input");
        List<Layer> layers = new ArrayList<>();
        List<String> described = new ArrayList<>();
        described.add("Input");
        int width = inputs;
        long[] inputShape = f.readLongs(NODES + inputNode + "/shape");
        int[] chw = inputShape.length == 3 ? new int[] {(int) inputShape[0], (int) inputShape[1], (int) inputShape[2]} : null;
        for (int k = 1; k < chain.size() - 1; k += 2) {
            String syn = chain.get(k);
            String synType = types.get(syn);
            if (synType.equals("Flatten")) {
                // a reshape in C order: the flat (channel, y, x) order the engine indexes by does not change
                chw = null;
                described.add("Flatten");
                k--;
                continue;
            }
            if (!synType.equals("Affine") && !synType.equals("Linear") && !synType.equals("Conv2d")) {
                throw unsupported(file, syn, synType, "a weight layer (Affine, Linear or Conv2d)");
            }
            String neu = chain.get(k + 1);
            String neuType = types.get(neu);
            if (neuType.equals("Output")) {
                throw refuse(file, syn, synType, "it feeds the Output directly; the engine needs a neuron layer (LIF, "
                        + "CubaLIF, IF, LI) after every weight layer");
            }
            if (synType.equals("Conv2d")) {
                if (!layers.isEmpty() && layers.getLast().conv == null) {
                    throw refuse(file, syn, synType, "it follows a dense layer; the engine runs its conv layers first");
                }
                ConvGeometry g = geometry(f, file, syn, chw, width);
                float[] kernel = f.readFloats(NODES + syn + "/weight"); // (out, in, kh, kw): element (o, row)
                int out = g.outChannels();
                int patch = g.patch();
                float[] w = new float[patch * out];                     // patch x out: row (c, ky, kx)
                for (int o = 0; o < out; o++) {
                    for (int row = 0; row < patch; row++) {
                        w[row * out + o] = kernel[o * patch + row];
                    }
                }
                float[] b = new float[out];
                if (f.info(NODES + syn + "/bias").exists()) {
                    b = f.readFloats(NODES + syn + "/bias");
                    if (b.length != out) {
                        throw refuse(file, syn, synType, "bias has " + b.length + " values for " + out + " channels");
                    }
                }
                layers.add(neuron(f, file, syn, synType, patch, out, w, b, neu, neuType, dt, sameDt, g));
                described.add(synType);
                described.add(neuType);
                chw = new int[] {out, g.outHeight(), g.outWidth()};
                width = g.neurons();
                continue;
            }
            Hdf5File.Info wi = f.dataset(NODES + syn + "/weight");
            if (wi.shape().length != 2) {
                throw refuse(file, syn, synType, "weight has shape " + Arrays.toString(wi.shape()) + ", not (out, in)");
            }
            int n = (int) wi.shape()[0];
            int m = (int) wi.shape()[1];
            if (m != width) {
                throw refuse(file, syn, synType, "weight has " + m + " inputs but the node before it gives " + width);
            }
            float[] wt = f.readFloats(NODES + syn + "/weight");
            float[] w = new float[m * n];
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    w[i * n + j] = wt[j * m + i];
                }
            }
            float[] b = new float[n];
            if (synType.equals("Affine")) {
                float[] bias = f.readFloats(NODES + syn + "/bias");
                if (bias.length != n) {
                    throw refuse(file, syn, synType, "bias has " + bias.length + " values for " + n + " outputs");
                }
                b = bias;
            }
            layers.add(neuron(f, file, syn, synType, m, n, w, b, neu, neuType, dt, sameDt, null));
            described.add(synType);
            described.add(neuType);
            width = n;
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(file + ": the graph has no weight layer between its Input and Output");
        }
        if (layers.getLast().conv != null) {
            Layer l = layers.getLast();
            throw refuse(file, l.synapseNode, l.synapseType, "it is the last weight layer; the engine's output layer is "
                    + "dense (Flatten, then Affine or Linear)");
        }
        String out = chain.getLast();
        if (f.info(NODES + out + "/shape").exists() && product(f, file, out, "Output") != width) {
            throw refuse(file, out, "Output", "its shape holds " + product(f, file, out, "Output")
                    + " values but the last layer has " + width + " neurons");
        }
        described.add("Output");
        return new Graph(file, inputs, layers, dt, dtSource, beta, theta, described);
    }

    /**
     * A Conv2d node's geometry, in NIR's layout as our export writes it: weight (out, in, kh, kw) with
     * kh = kw, stride equal in both directions, padding 0, dilation 1, groups 1, and the input's
     * (C, H, W) from the node before ({@code chw}) or, after a flat one, {@code input_shape} (H, W).
     */
    private static ConvGeometry geometry(Hdf5File f, Path file, String node, int[] chw, int width) {
        String type = "Conv2d";
        String g = NODES + node + "/";
        long[] s = f.dataset(g + "weight").shape();
        if (s.length != 4) {
            throw refuse(file, node, type, "weight has shape " + Arrays.toString(s) + ", not (out, in, kh, kw)");
        }
        if (s[2] != s[3]) {
            throw refuse(file, node, type, "its kernel is " + s[2] + " x " + s[3] + "; the engine's kernels are square");
        }
        long[] stride = f.info(g + "stride").exists() ? f.readLongs(g + "stride") : new long[] {1};
        if (Arrays.stream(stride).distinct().count() != 1) {
            throw refuse(file, node, type, "stride = " + Arrays.toString(stride) + "; the engine takes one stride for "
                    + "both directions");
        }
        if (f.info(g + "padding").exists() && Arrays.stream(f.readLongs(g + "padding")).anyMatch(p -> p != 0)) {
            throw refuse(file, node, type, "padding = " + Arrays.toString(f.readLongs(g + "padding")) + "; the engine's "
                    + "convolutions are 'valid' (padding 0)");
        }
        if (f.info(g + "dilation").exists() && Arrays.stream(f.readLongs(g + "dilation")).anyMatch(d -> d != 1)) {
            throw refuse(file, node, type, "dilation = " + Arrays.toString(f.readLongs(g + "dilation")) + "; the engine "
                    + "takes dilation 1");
        }
        if (f.info(g + "groups").exists() && f.readLongs(g + "groups")[0] != 1) {
            throw refuse(file, node, type, "groups = " + f.readLongs(g + "groups")[0] + "; the engine takes groups 1");
        }
        int in = (int) s[1];
        long[] hw = f.info(g + "input_shape").exists() ? f.readLongs(g + "input_shape") : null;
        if (hw != null && hw.length != 2) {
            throw refuse(file, node, type, "input_shape = " + Arrays.toString(hw) + ", not (height, width)");
        }
        int[] shape = chw;
        if (shape == null) {
            if (hw == null) {
                throw refuse(file, node, type, "its input is flat and it has no input_shape (height, width)");
            }
            shape = new int[] {in, (int) hw[0], (int) hw[1]};
            if ((long) in * hw[0] * hw[1] != width) {
                throw refuse(file, node, type, "in x input_shape = " + in + " x " + hw[0] + " x " + hw[1]
                        + " but the node before it gives " + width + " values");
            }
        }
        if (shape[0] != in) {
            throw refuse(file, node, type, "weight has " + in + " input channels but the node before it gives " + shape[0]);
        }
        if (hw != null && (hw[0] != shape[1] || hw[1] != shape[2])) {
            throw refuse(file, node, type, "input_shape = " + Arrays.toString(hw) + " but the node before it gives "
                    + shape[1] + " x " + shape[2]);
        }
        try {
            return new ConvGeometry(in, shape[1], shape[2], (int) s[0], (int) s[2], (int) stride[0]);
        } catch (IllegalArgumentException e) {
            throw refuse(file, node, type, e.getMessage());
        }
    }

    private static IllegalArgumentException unsupported(Path file, String node, String type, String expected) {
        String why = switch (type) {
            case "Conv1d" -> "1-d convolutions are not supported (the engine's conv layers are Conv2d)";
            case "SumPool2d", "AvgPool2d" -> "pooling layers are not supported (pool the input instead, --pool)";
            case "LIF", "CubaLIF", "IF", "LI", "CubaLI" -> "a neuron layer must follow a weight layer (Affine or Linear)";
            default -> "the engine cannot map a '" + type + "' node here";
        };
        return refuse(file, node, type, why + " (expected " + expected + ")");
    }

    private static long product(Hdf5File f, Path file, String node, String type) {
        if (!f.info(NODES + node + "/shape").exists()) {
            throw refuse(file, node, type, "it has no shape");
        }
        long p = 1;
        for (long d : f.readLongs(NODES + node + "/shape")) {
            p *= d;
        }
        return p;
    }

    /** The neuron node after a weight layer, discretised per neuron with {@code dt}. */
    private static Layer neuron(Hdf5File f, Path file, String syn, String synType, int m, int fanOut, float[] w,
                                float[] b, String node, String type, double dt, boolean sameDt, ConvGeometry conv) {
        int n = conv == null ? fanOut : conv.neurons();
        NodeValues p = new NodeValues(f, file, node, type, n);
        double[] beta = new double[n];
        double[] gain = new double[n];
        double[] leak = new double[n];
        double[] theta = null;
        switch (type) {
            case "LIF", "LI" -> {
                double[] tau = p.positive("tau");
                double[] r = p.get("r");
                double[] vLeak = p.get("v_leak");
                for (int j = 0; j < n; j++) {
                    double a = dt / tau[j];
                    beta[j] = 1 - a;
                    gain[j] = a * r[j];
                    leak[j] = a * vLeak[j];
                }
                p.stable(beta, "tau", tau, dt);
                if (type.equals("LIF")) {
                    theta = p.get("v_threshold");
                    p.zeroReset();
                }
            }
            case "CubaLIF", "CubaLI" -> {
                double[] tauSyn = p.positive("tau_syn");
                double[] tauMem = p.positive("tau_mem");
                double[] r = p.get("r");
                double[] vLeak = p.get("v_leak");
                double[] wIn = p.has("w_in") ? p.get("w_in") : filled(n, 1);
                for (int j = 0; j < n; j++) {
                    double alpha = 1 - dt / tauSyn[j];
                    if (Math.abs(alpha) > SNAP) {
                        throw refuse(file, node, type, String.format(Locale.ROOT, "its synaptic current decays by "
                                + "alpha = 1 - dt/tau_syn = %.6g per step (tau_syn = %s s, dt = %s s); the engine's neuron "
                                + "has no synaptic current, so it takes only tau_syn = dt (alpha = 0: the current is "
                                + "one step's input)", alpha, (float) tauSyn[j], dt));
                    }
                    double a = dt / tauMem[j];
                    beta[j] = 1 - a;
                    gain[j] = wIn[j] * a * r[j];
                    leak[j] = a * vLeak[j];
                }
                p.stable(beta, "tau_mem", tauMem, dt);
                if (type.equals("CubaLIF")) {
                    theta = p.get("v_threshold");
                    p.zeroReset();
                }
            }
            case "IF" -> {
                double[] r = p.get("r");
                for (int j = 0; j < n; j++) {
                    beta[j] = 1;
                    gain[j] = dt * r[j];
                }
                theta = p.get("v_threshold");
                p.zeroReset();
            }
            default -> throw unsupported(file, node, type, "a neuron layer (LIF, CubaLIF, IF or LI) after weight layer '"
                    + syn + "'");
        }
        return new Layer(syn, synType, m, fanOut, w, b, node, type, beta, gain, leak, theta,
                sameDt ? exactBeta(f, node, beta) : null, conv);
    }

    /**
     * The float decays our export records for a neuron node ({@code metadata/beta_<node>}), which
     * float32 taus cannot carry exactly; ignored unless each lies within {@link #SNAP} of its tau's.
     */
    private static float[] exactBeta(Hdf5File f, String node, double[] beta) {
        String path = META + "beta_" + node;
        if (!f.info(path).exists()) {
            return null;
        }
        float[] b = f.readFloats(path);
        if (b.length != beta.length) {
            return null;
        }
        for (int j = 0; j < b.length; j++) {
            if (!(Math.abs(b[j] - beta[j]) <= SNAP)) {
                return null;
            }
        }
        return b;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    /** A neuron node's parameters: each a scalar, one value, or one per neuron (broadcast to n). */
    private record NodeValues(Hdf5File f, Path file, String node, String type, int n) {

        boolean has(String name) {
            return f.info(NODES + node + "/" + name).exists();
        }

        double[] get(String name) {
            if (!has(name)) {
                throw refuse(file, node, type, "it has no '" + name + "'");
            }
            double[] v = f.readDoubles(NODES + node + "/" + name);
            if (v.length == 1 && n != 1) {
                return filled(n, v[0]);
            }
            if (v.length != n) {
                throw refuse(file, node, type, name + " holds " + v.length + " values for " + n + " neurons");
            }
            for (double x : v) {
                if (!Double.isFinite(x)) {
                    throw refuse(file, node, type, name + " holds " + x);
                }
            }
            return v;
        }

        double[] positive(String name) {
            double[] v = get(name);
            for (double x : v) {
                if (!(x > 0)) {
                    throw refuse(file, node, type, name + " = " + x + "; a time constant must be > 0");
                }
            }
            return v;
        }

        /** Forward Euler needs tau >= dt (beta = 1 - dt/tau in [0, 1)). */
        void stable(double[] beta, String name, double[] tau, double dt) {
            for (int j = 0; j < beta.length; j++) {
                if (beta[j] < -SNAP) {
                    throw refuse(file, node, type, String.format(Locale.ROOT, "%s = %s s is below dt = %s s: forward "
                            + "Euler gives beta = 1 - dt/%s = %.6g < 0; pass a smaller --dt", name, (float) tau[j], dt, name, beta[j]));
                }
                beta[j] = Math.max(0, beta[j]);
            }
        }

        void zeroReset() {
            if (!has("v_reset")) {
                return; // nir.read defaults it to zeros
            }
            double[] r = get("v_reset");
            for (int j = 0; j < r.length; j++) {
                if (r[j] != 0) {
                    throw refuse(file, node, type, "v_reset = " + r[j] + " (neuron " + j + "); the engine resets the "
                            + "membrane to 0");
                }
            }
        }
    }
}
