package io.eggroll.opencl;

import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.es.Eggroll;
import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.es.Generation;
import io.eggroll.es.Optimizer;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.es.OptimizerKind;
import io.eggroll.es.OptimizerState;
import io.eggroll.rng.Noise;
import io.eggroll.rng.NoiseKind;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The opencl backend: weights, biases and optimizer buffers stay resident on the device across
 * generations; per generation only the spike batch goes in and the readouts come out.
 *
 * <p>Evaluation is two launches: {@code egg_base} forms layer 1's {@code x W0 + b0} once for all
 * members, then the fused {@code egg_evaluate} runs one work-group per (member, sample) through
 * every time step and layer, regenerating the factor rows it needs from Philox (no perturbation
 * or factor matrix is stored). The update forms {@code A_cat diag(d) B_cat^T} in blocks of
 * {@value #UPDATE_PAIR_BLOCK} pairs and applies the optimizer on the device. Every kernel follows
 * the float operation order of the cpu backend (docs/ENGINE.md), so results agree bit for bit
 * except where a device rounds differently (see docs/OPENCL.md for the bounds).
 */
public final class OpenClBackend implements Backend {

    /** Pairs per block of the rank-(N r) update product: the cpu backend's block. */
    static final int UPDATE_PAIR_BLOCK = 64;
    /** Upper bound on the per-launch scratch of egg_evaluate (v and spike lists per work-group). */
    static final long SCRATCH_BUDGET = 256L << 20;

    private static final int MODE_NONE = 0;
    private static final int MODE_EGGROLL = 1;
    private static final int MODE_FULL = 2;

    private final ClDevice device;
    private final ClContext ctx;
    private final ClQueue queue;
    private final EggrollProgram prog;
    private final String programOrigin;

    private SnnConfig cfg;
    private OptimizerConfig optimizer;
    private long step;
    private int[] tensorOffset;
    private int[] tensorLength;
    private ClBuffer params;
    private ClBuffer grad;
    private ClBuffer moment1;
    private ClBuffer moment2;
    private ClBuffer layout;

    private final Scratch offsets = new Scratch("batch offsets");
    private final Scratch indices = new Scratch("batch spike indices");
    private final Scratch base0 = new Scratch("layer-1 base currents (B x T x n)");
    private final Scratch out = new Scratch("readouts (N x B x C)");
    private final Scratch scratchV = new Scratch("membrane scratch of egg_evaluate");
    private final Scratch scratchI = new Scratch("spike-list scratch of egg_evaluate");
    private final Scratch pairWeights = new Scratch("pair weights");
    private final Scratch aCat = new Scratch("A_cat of an update block");
    private final Scratch bCat = new Scratch("B_cat of an update block");
    private final Scratch probe = new Scratch("noise probe");
    private final Scratch probeOut = new Scratch("noise probe output");

    /**
     * Opens the device and builds the program: from {@code programBinary} when given (FPGA
     * bitstreams, saved binaries), else from the kernel sources with work-groups of {@code lws}
     * (0 = {@link EggrollProgram#defaultWorkGroupSize}).
     */
    public OpenClBackend(ClDevice device, Path programBinary, int lws) {
        this.device = device;
        this.ctx = new ClContext(device);
        ClQueue q = null;
        EggrollProgram p = null;
        try {
            q = ctx.createQueue();
            p = programBinary != null ? EggrollProgram.fromBinary(ctx, programBinary)
                    : EggrollProgram.fromSource(ctx, lws > 0 ? lws : EggrollProgram.defaultWorkGroupSize(device));
        } catch (RuntimeException e) {
            if (q != null) {
                q.close();
            }
            ctx.close();
            throw e;
        }
        this.queue = q;
        this.prog = p;
        this.programOrigin = programBinary != null ? "binary " + programBinary : "source";
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String device() {
        return String.format(Locale.ROOT, "opencl: %s (%s, %d compute units), work-groups of %d, program from %s",
                device.fullName(), device.typeName(), device.computeUnits(), prog.workGroupSize(), programOrigin);
    }

    public ClDevice clDevice() {
        return device;
    }

    public EggrollProgram program() {
        return prog;
    }

    // ---------------------------------------------------------------- state

    @Override
    public void load(ModelState s) {
        SnnConfig c = s.network();
        int tensors = 2 * c.layers();
        io.eggroll.snn.Params.Packing packing = s.params().packing().requireIntIndexable("opencl");
        int[] off = packing.offsets();
        int[] len = packing.lengths();
        long total = packing.total();
        float[][] t = s.params().tensors();
        release();
        this.cfg = c;
        this.optimizer = s.optimizer();
        this.step = s.optimizerState().step();
        this.tensorOffset = off;
        this.tensorLength = len;
        long bytes = total * 4;
        params = allocate(bytes, "weights and biases");
        grad = allocate(bytes, "gradient estimate");
        moment1 = allocate(optimizer.usesFirstMoment() ? bytes : 4, "optimizer first moment");
        moment2 = allocate(optimizer.usesSecondMoment() ? bytes : 4, "optimizer second moment");
        layout = allocate(16L * c.layers(), "layer layout");
        int[] lay = new int[4 * c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            lay[4 * l] = c.fanIn(l);
            lay[4 * l + 1] = c.fanOut(l);
            lay[4 * l + 2] = off[2 * l];
            lay[4 * l + 3] = off[2 * l + 1];
        }
        queue.write(layout, lay);
        float[][] m = s.optimizerState().first();
        float[][] v = s.optimizerState().second();
        for (int i = 0; i < tensors; i++) {
            queue.write(params, off[i], t[i], len[i]);
            if (optimizer.usesFirstMoment()) {
                queue.write(moment1, off[i], m[i], len[i]);
            }
            if (optimizer.usesSecondMoment()) {
                queue.write(moment2, off[i], v[i], len[i]);
            }
        }
    }

    @Override
    public ModelState state() {
        requireLoaded();
        Params p = new Params(cfg);
        float[][] t = p.tensors();
        int tensors = t.length;
        float[][] m = new float[tensors][];
        float[][] v = new float[tensors][];
        for (int i = 0; i < tensors; i++) {
            queue.read(params, tensorOffset[i], t[i], tensorLength[i]);
            m[i] = new float[optimizer.usesFirstMoment() ? tensorLength[i] : 0];
            v[i] = new float[optimizer.usesSecondMoment() ? tensorLength[i] : 0];
            if (optimizer.usesFirstMoment()) {
                queue.read(moment1, tensorOffset[i], m[i], tensorLength[i]);
            }
            if (optimizer.usesSecondMoment()) {
                queue.read(moment2, tensorOffset[i], v[i], tensorLength[i]);
            }
        }
        return new ModelState(cfg, p, optimizer, new OptimizerState(step, m, v));
    }

    private void requireLoaded() {
        if (cfg == null) {
            throw new IllegalStateException("no model loaded: call load() first");
        }
    }

    // ---------------------------------------------------------------- evaluation

    @Override
    public float[] evaluate(SpikeBatch batch, Generation g, int firstPair, int pairCount) {
        requireLoaded();
        EsConfig es = g.es();
        es.validateFor(cfg);
        checkBatch(batch);
        if (firstPair < 0 || pairCount < 0 || firstPair + pairCount > es.pairs()) {
            throw new IllegalArgumentException("pairs [" + firstPair + ", " + (firstPair + pairCount)
                    + ") out of range for population " + es.population());
        }
        int mode = es.mode() == EsMode.EGGROLL ? MODE_EGGROLL : MODE_FULL;
        return forward(batch, g, mode, 2 * firstPair, 2 * pairCount);
    }

    @Override
    public float[] infer(SpikeBatch batch) {
        requireLoaded();
        checkBatch(batch);
        return forward(batch, null, MODE_NONE, 0, 1);
    }

    private float[] forward(SpikeBatch batch, Generation g, int mode, int firstMember, int members) {
        int samples = batch.samples();
        int steps = batch.timesteps();
        int classes = cfg.outputs();
        long outValues = (long) members * samples * classes;
        ClBuffer outBuf = out.ensure(outValues * 4);
        if (outValues > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("readouts of " + members + " members x " + samples + " samples x "
                    + classes + " classes exceed 2^31 values; evaluate fewer pairs at a time");
        }
        ClBuffer off = offsets.ensure(4L * batch.offsets().length);
        ClBuffer idx = indices.ensure(4L * Math.max(1, batch.indices().length));
        queue.write(off, batch.offsets());
        queue.write(idx, batch.indices());

        int n0 = cfg.fanOut(0);
        long frames = (long) samples * steps;
        ClBuffer base = base0.ensure(frames * n0 * 4);
        prog.base.arg(0, params).arg(1, tensorOffset[0]).arg(2, tensorOffset[1]).arg(3, n0).arg(4, off).arg(5, idx)
                .arg(6, (int) frames).arg(7, base);
        queue.run(prog.base, frames * n0, 0);

        int lws = prog.workGroupSize();
        int vStride = 0;
        for (int l = 0; l < cfg.layers(); l++) {
            vStride += cfg.fanOut(l);
        }
        int listStride = cfg.maxWidth();
        long perMember = (long) samples * (vStride + 2L * listStride) * 4;
        long budget = Math.min(SCRATCH_BUDGET, device.maxAlloc());
        int chunk = (int) Math.max(1, Math.min(members, budget / perMember));
        ClBuffer sv = scratchV.ensure((long) chunk * samples * vStride * 4);
        ClBuffer si = scratchI.ensure((long) chunk * samples * 2L * listStride * 4);
        EsConfig es = g == null ? null : g.es();
        int rank = mode == MODE_EGGROLL ? es.rank() : 1;
        ClKernel k = prog.evaluate;
        k.arg(0, params).arg(1, layout).arg(2, cfg.layers()).arg(3, base).arg(4, off).arg(5, idx).arg(6, samples)
                .arg(7, steps).arg(8, g == null ? 0L : g.seed()).arg(9, g == null ? 0 : g.index()).arg(10, mode)
                .arg(11, rank).arg(12, es == null || es.noise() == NoiseKind.GAUSSIAN ? 1 : 0)
                .arg(13, es != null && es.biasNoise() ? 1 : 0)
                .arg(14, es == null ? 0f : mode == MODE_EGGROLL ? es.sigmaLowRank() : es.sigma())
                .arg(15, es == null ? 0f : es.sigma()).arg(16, cfg.decay()).arg(17, cfg.threshold())
                .arg(18, cfg.readout() == Readout.MEMBRANE ? 1 : 0).arg(20, firstMember).arg(21, sv).arg(22, si)
                .arg(23, vStride).arg(24, listStride).arg(25, outBuf).localArg(26, 4L * rank);
        for (int first = 0; first < members; first += chunk) {
            int count = Math.min(chunk, members - first);
            k.arg(19, firstMember + first);
            queue.run(k, (long) count * samples * lws, lws);
        }
        float[] result = new float[(int) outValues];
        queue.read(outBuf, 0, result, result.length);
        return result;
    }

    private void checkBatch(SpikeBatch batch) {
        if (batch.inputs() != cfg.inputs()) {
            throw new IllegalArgumentException("batch has " + batch.inputs() + " inputs but the network expects "
                    + cfg.inputs());
        }
    }

    // ---------------------------------------------------------------- update

    @Override
    public void update(Generation g, float[] shapedFitness, int effectivePopulation, float learningRate) {
        requireLoaded();
        EsConfig es = g.es();
        if (shapedFitness.length != es.population()) {
            throw new IllegalArgumentException("shaped fitness has " + shapedFitness.length + " entries, population is "
                    + es.population());
        }
        float[] d = Eggroll.pairWeights(shapedFitness);
        ClBuffer dBuf = pairWeights.ensure(4L * d.length);
        queue.write(dBuf, d);
        queue.zero(grad, 0, grad.bytes());
        boolean lowRank = es.mode() == EsMode.EGGROLL;
        int gaussian = es.noise() == NoiseKind.GAUSSIAN ? 1 : 0;
        int r = es.rank();
        for (int l = 0; l < cfg.layers(); l++) {
            int m = cfg.fanIn(l);
            int n = cfg.fanOut(l);
            if (lowRank) {
                int block = Math.min(UPDATE_PAIR_BLOCK, d.length);
                ClBuffer ab = aCat.ensure(4L * m * block * r);
                ClBuffer bb = bCat.ensure(4L * block * r * n);
                for (int k0 = 0; k0 < d.length; k0 += UPDATE_PAIR_BLOCK) {
                    int kn = Math.min(d.length, k0 + UPDATE_PAIR_BLOCK) - k0;
                    prog.catA.arg(0, g.seed()).arg(1, g.index()).arg(2, Noise.stream(l, Noise.KIND_A)).arg(3, gaussian)
                            .arg(4, k0).arg(5, kn).arg(6, r).arg(7, m).arg(8, dBuf).arg(9, ab);
                    queue.run(prog.catA, (long) kn * m, 0);
                    prog.catB.arg(0, g.seed()).arg(1, g.index()).arg(2, Noise.stream(l, Noise.KIND_B)).arg(3, gaussian)
                            .arg(4, k0).arg(5, kn).arg(6, r).arg(7, n).arg(8, dBuf).arg(9, bb);
                    queue.run(prog.catB, (long) kn * n, 0);
                    prog.lowRankAcc.arg(0, ab).arg(1, bb).arg(2, kn * r).arg(3, m).arg(4, n).arg(5, grad)
                            .arg(6, tensorOffset[2 * l]);
                    queue.run(prog.lowRankAcc, (long) m * n, 0);
                }
            } else {
                noiseSum(g, Noise.stream(l, Noise.KIND_FULL), gaussian, dBuf, d.length, m * n, tensorOffset[2 * l]);
            }
            if (es.biasNoise()) {
                noiseSum(g, Noise.stream(l, Noise.KIND_BIAS), gaussian, dBuf, d.length, n, tensorOffset[2 * l + 1]);
            }
        }
        float wScale = Eggroll.gradientScale(es, effectivePopulation, lowRank);
        float bScale = Eggroll.gradientScale(es, effectivePopulation, false);
        long t = step + 1;
        float[] c = optimizer.kind() == OptimizerKind.ADAM ? Optimizer.adamCorrections(optimizer, t) : new float[] {1f, 1f};
        ClKernel k = prog.optimizer;
        k.arg(0, params).arg(1, grad).arg(2, moment1).arg(3, moment2).arg(7, optimizer.kind() == OptimizerKind.ADAM ? 1 : 0)
                .arg(8, learningRate).arg(9, optimizer.weightDecay()).arg(10, optimizer.momentum())
                .arg(11, optimizer.beta1()).arg(12, optimizer.beta2()).arg(13, optimizer.epsilon()).arg(14, c[0])
                .arg(15, c[1]);
        for (int i = 0; i < tensorOffset.length; i++) {
            boolean bias = i % 2 == 1;
            if (bias && !es.biasNoise()) {
                continue;
            }
            k.arg(4, tensorOffset[i]).arg(5, tensorLength[i]).arg(6, bias ? bScale : wScale);
            queue.run(k, tensorLength[i], 0);
        }
        queue.finish();
        step = t;
    }

    private void noiseSum(Generation g, int stream, int gaussian, ClBuffer d, int pairs, int count, int offset) {
        prog.noiseSum.arg(0, g.seed()).arg(1, g.index()).arg(2, stream).arg(3, gaussian).arg(4, pairs).arg(5, d)
                .arg(6, count).arg(7, grad).arg(8, offset);
        queue.run(prog.noiseSum, count, 0);
    }

    /**
     * Elements of a noise stream computed on the device by {@code egg_noise_dump}: the probe the
     * conformance suite compares with {@link Noise#at}.
     */
    public float[] deviceNoise(long seed, int pair, int generation, int stream, NoiseKind kind, int[] elements) {
        ClBuffer in = probe.ensure(4L * Math.max(1, elements.length));
        ClBuffer res = probeOut.ensure(4L * Math.max(1, elements.length));
        queue.write(in, elements);
        prog.noiseDump.arg(0, seed).arg(1, pair).arg(2, generation).arg(3, stream)
                .arg(4, kind == NoiseKind.GAUSSIAN ? 1 : 0).arg(5, in).arg(6, elements.length).arg(7, res);
        queue.run(prog.noiseDump, elements.length, 0);
        float[] values = new float[elements.length];
        queue.read(res, 0, values, values.length);
        return values;
    }

    // ---------------------------------------------------------------- memory

    /**
     * Allocates a device buffer after checking it against the device's limits, so a population or
     * network too large for the device fails with the sizes instead of a bare status code.
     */
    private ClBuffer allocate(long bytes, String what) {
        if (bytes > device.maxAlloc()) {
            throw new DeviceMemoryException(String.format(Locale.ROOT,
                    "%s needs %s, more than the largest buffer %s allows (CL_DEVICE_MAX_MEM_ALLOC_SIZE = %s); "
                            + "use a smaller population, batch or network, or evaluate fewer pairs at a time",
                    what, ClDevice.bytes(bytes), device.fullName(), ClDevice.bytes(device.maxAlloc())));
        }
        try {
            return ctx.buffer(bytes, what);
        } catch (ClException e) {
            throw new DeviceMemoryException("out of device memory on " + device.fullName() + " allocating "
                    + ClDevice.bytes(bytes) + " for " + what + " (" + e.errorName() + ")", e);
        }
    }

    /** A buffer that grows to the largest size asked for. */
    private final class Scratch {
        private final String what;
        private ClBuffer buf;

        Scratch(String what) {
            this.what = what;
        }

        ClBuffer ensure(long bytes) {
            if (buf == null || buf.bytes() < bytes) {
                close();
                buf = allocate(Math.max(bytes, 4), what);
            }
            return buf;
        }

        void close() {
            if (buf != null) {
                buf.close();
                buf = null;
            }
        }
    }

    private void release() {
        for (ClBuffer b : new ClBuffer[] {params, grad, moment1, moment2, layout}) {
            if (b != null) {
                b.close();
            }
        }
        params = grad = moment1 = moment2 = layout = null;
    }

    @Override
    public void close() {
        release();
        for (Scratch s : new Scratch[] {offsets, indices, base0, out, scratchV, scratchI, pairWeights, aCat, bCat, probe,
                probeOut}) {
            s.close();
        }
        prog.close();
        queue.close();
        ctx.close();
    }
}
