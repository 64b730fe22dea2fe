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
 * <p>Evaluation: {@code egg_base} forms layer 1's {@code x W0 + b0} once for all members;
 * {@code egg_factor} materialises each pair's factors (A, B^T or E, bias noise) once per
 * generation in device memory, unless the {@link FactorMode} says to regenerate them from Philox
 * where they are used; then the fused {@code egg_evaluate} runs one work-group per (pair,
 * sample), both members together, through every time step and layer. The update forms
 * {@code A_cat diag(d) B_cat^T} from materialised factors ({@code egg_scale_b},
 * {@code egg_lowrank}) and applies the optimizer on the device. Every kernel follows the float
 * operation order of the cpu backend (docs/ENGINE.md), so results agree bit for bit except where
 * a device rounds differently (see docs/OPENCL.md for the bounds).
 */
public final class OpenClBackend implements Backend {

    /** Pairs per block of the update's factors when they are not kept from the evaluation. */
    static final int UPDATE_PAIR_BLOCK = 64;
    /** Upper bound on the per-launch scratch of egg_evaluate (v and spike lists per work-group). */
    static final long SCRATCH_BUDGET = 256L << 20;

    /** Noise values per Philox block (EGG_GAUSS_PER_BLOCK, EGG_SIGNS_PER_BLOCK of eggroll_rng.h). */
    private static final int GAUSS_PER_BLOCK = 8;
    private static final int SIGNS_PER_BLOCK = 128;

    private static final int MODE_NONE = 0;
    private static final int MODE_EGGROLL = 1;
    private static final int MODE_FULL = 2;

    private final ClDevice device;
    private final ClContext ctx;
    private final ClQueue queue;
    private final EggrollProgram prog;
    private final String programOrigin;
    private final FactorMode factorMode;
    /** What {@link #factors} holds (null: nothing valid), and how the last launch got its factors. */
    private FactorKey factorKey;
    private String factorUse;
    /** Bytes the materialised factors of one launch may take ({@link FactorMode#budget}). */
    private long factorBudget;

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
    private final Scratch factors = new Scratch("materialised factors (pairs x layers x (A, B, bias noise))");
    private final Scratch factorLayout = new Scratch("factor layout");
    private final Scratch scaledB = new Scratch("d-scaled B of an update chunk");
    private final Scratch probe = new Scratch("noise probe");
    private final Scratch probeOut = new Scratch("noise probe output");

    /**
     * Opens the device and builds the program: from {@code programBinary} when given (FPGA
     * bitstreams, saved binaries), else from the kernel sources with work-groups of {@code lws}
     * (0 = {@link EggrollProgram#defaultWorkGroupSize}).
     */
    public OpenClBackend(ClDevice device, Path programBinary, int lws) {
        this(device, programBinary, lws, FactorMode.AUTO);
    }

    /** As {@link #OpenClBackend(ClDevice, Path, int)}, with the given factor materialisation policy. */
    public OpenClBackend(ClDevice device, Path programBinary, int lws, FactorMode factorMode) {
        this(device, programBinary, lws, 0, factorMode);
    }

    /** As above, building from source with {@code EGG_VEC = vec} (0: the device's default). */
    OpenClBackend(ClDevice device, Path programBinary, int lws, int vec, FactorMode factorMode) {
        this.device = device;
        this.factorMode = factorMode;
        this.factorBudget = FactorMode.budget(device);
        this.ctx = new ClContext(device);
        ClQueue q = null;
        EggrollProgram p = null;
        try {
            q = ctx.createQueue();
            p = programBinary != null ? EggrollProgram.fromBinary(ctx, programBinary)
                    : EggrollProgram.fromSource(ctx, lws > 0 ? lws : EggrollProgram.defaultWorkGroupSize(device), vec);
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
        return String.format(Locale.ROOT, "opencl: %s (%s, %d compute units), work-groups of %d, %d-wide vectors, "
                + "program from %s, %s", device.fullName(), device.typeName(), device.computeUnits(), prog.workGroupSize(),
                prog.vectorWidth(), programOrigin,
                factorUse != null ? factorUse : factorMode.describe(device));
    }

    public FactorMode factorMode() {
        return factorMode;
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
        SnnConfig c = s.network().requireSharedNeurons("the opencl backend");
        c.requireDense("opencl"); // conv layers: cpu and loihi-sim only, for now
        int tensors = 2 * c.layers();
        io.eggroll.snn.Params.Packing packing = s.params().packing().requireIntIndexable("opencl");
        int[] off = packing.offsets();
        int[] len = packing.lengths();
        long total = packing.total();
        float[][] t = s.params().tensors();
        release();
        this.factorKey = null;
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
        return forward(batch, g, mode, firstPair, pairCount);
    }

    @Override
    public float[] infer(SpikeBatch batch) {
        requireLoaded();
        checkBatch(batch);
        return forward(batch, null, MODE_NONE, 0, 1);
    }

    /**
     * Runs pairs [firstPair, firstPair + pairCount) (both members of each; for {@code MODE_NONE} the
     * one unperturbed member) and returns their readouts, member-major.
     */
    private float[] forward(SpikeBatch batch, Generation g, int mode, int firstPair, int pairCount) {
        int samples = batch.samples();
        int steps = batch.timesteps();
        int classes = cfg.outputs();
        int mc = mode == MODE_NONE ? 1 : 2;
        long outValues = (long) mc * pairCount * samples * classes;
        ClBuffer outBuf = out.ensure(outValues * 4);
        if (outValues > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("readouts of " + mc * pairCount + " members x " + samples + " samples x "
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
        long perPair = (long) samples * mc * (vStride + 2L * listStride) * 4;
        long budget = Math.min(SCRATCH_BUDGET, device.maxAlloc());
        int chunk = (int) Math.max(1, Math.min(pairCount, budget / perPair));
        EsConfig es = g == null ? null : g.es();
        FactorPlan plan = es == null ? null : factorPlan(es);
        boolean materialised = plan != null && materialise(plan);
        if (materialised) {
            chunk = Math.min(chunk, factorChunk(plan));
        }
        ClBuffer sv = scratchV.ensure((long) chunk * samples * mc * vStride * 4);
        ClBuffer si = scratchI.ensure((long) chunk * samples * mc * 2L * listStride * 4);
        int rank = mode == MODE_EGGROLL ? es.rank() : 1;
        ClKernel k = prog.evaluate;
        k.arg(0, params).arg(1, layout).arg(2, cfg.layers()).arg(3, base).arg(4, off).arg(5, idx).arg(6, samples)
                .arg(7, steps).arg(8, g == null ? 0L : g.seed()).arg(9, g == null ? 0 : g.index()).arg(10, mode)
                .arg(11, rank).arg(12, es == null || es.noise() == NoiseKind.GAUSSIAN ? 1 : 0)
                .arg(13, es != null && es.biasNoise() ? 1 : 0)
                .arg(14, es == null ? 0f : mode == MODE_EGGROLL ? es.sigmaLowRank() : es.sigma())
                .arg(15, es == null ? 0f : es.sigma()).arg(16, cfg.decay()).arg(17, cfg.threshold())
                .arg(18, cfg.readout() == Readout.MEMBRANE ? 1 : 0).arg(20, mc).arg(21, 2 * firstPair)
                .arg(24, plan == null ? 0 : (int) plan.pairFloats()).arg(26, materialised ? 1 : 0).arg(27, sv)
                .arg(28, si).arg(29, vStride).arg(30, listStride).arg(31, outBuf).localArg(32, 4L * mc * rank);
        for (int first = 0; first < pairCount; first += chunk) {
            int count = Math.min(chunk, pairCount - first);
            int p0 = firstPair + first;
            if (materialised) {
                ensureFactors(g, plan, p0, count);
            }
            k.arg(19, p0).arg(22, factors.ensure(4)).arg(23, factorLayout.ensure(4)).arg(25, p0);
            queue.run(k, (long) count * samples * lws, lws);
        }
        float[] result = new float[(int) outValues];
        queue.read(outBuf, 0, result, result.length);
        return result;
    }

    // ---------------------------------------------------------------- factors

    /**
     * Where one pair's materialised factors lie, in floats from the start of its block:
     * {@code offsets[3 l]} A of layer l ({@code m x r}, stream order) or, for full rank, E
     * ({@code m x n}); {@code offsets[3 l + 1]} B transposed ({@code r x n}); {@code offsets[3 l + 2]}
     * the bias noise ({@code n}).
     */
    private record FactorPlan(int[] offsets, long pairFloats) {}

    /** The key of what the factor buffer holds: the generation's streams and a range of pairs. */
    private record FactorKey(long seed, int generation, EsMode mode, int rank, NoiseKind noise, boolean biasNoise,
                             int firstPair, int pairs) {}

    private FactorPlan factorPlan(EsConfig es) {
        boolean lowRank = es.mode() == EsMode.EGGROLL;
        int r = es.rank();
        int[] off = new int[3 * cfg.layers()];
        long at = 0;
        for (int l = 0; l < cfg.layers(); l++) {
            long m = cfg.fanIn(l);
            long n = cfg.fanOut(l);
            off[3 * l] = (int) Math.min(at, Integer.MAX_VALUE);
            at += lowRank ? m * r : m * n;
            off[3 * l + 1] = (int) Math.min(at, Integer.MAX_VALUE);
            at += lowRank ? r * n : 0;
            off[3 * l + 2] = (int) Math.min(at, Integer.MAX_VALUE);
            at += es.biasNoise() ? n : 0;
        }
        return new FactorPlan(off, at);
    }

    /** Whether this launch materialises its factors (the mode, and whether one pair's fit). */
    private boolean materialise(FactorPlan plan) {
        long bytes = plan.pairFloats() * 4;
        boolean fits = plan.pairFloats() <= Integer.MAX_VALUE && bytes <= device.maxAlloc();
        if (factorMode == FactorMode.MATERIALISE && !fits) {
            throw new DeviceMemoryException(String.format(Locale.ROOT,
                    "materialised factors of one pair need %s, more than the largest buffer %s allows "
                            + "(CL_DEVICE_MAX_MEM_ALLOC_SIZE = %s); use factors 'regenerate' or 'auto'",
                    ClDevice.bytes(bytes), device.fullName(), ClDevice.bytes(device.maxAlloc())));
        }
        boolean yes = fits && factorMode.materialises(bytes, factorBudget);
        factorUse = yes ? String.format(Locale.ROOT, "factors materialised (%s per pair, %s)", ClDevice.bytes(bytes),
                factorMode.cliName())
                : String.format(Locale.ROOT, "factors regenerated on the fly (%s%s)", factorMode.cliName(),
                        factorMode == FactorMode.AUTO ? ": " + ClDevice.bytes(bytes) + " per pair exceed the "
                                + ClDevice.bytes(factorBudget) + " budget" : "");
        return yes;
    }

    /** Pairs whose materialised factors fit in the device's factor budget together (at least 1). */
    private int factorChunk(FactorPlan plan) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, factorBudget / (plan.pairFloats() * 4)));
    }

    /** Bytes of one pair's materialised factors for the loaded network under {@code es}. */
    long factorBytesPerPair(EsConfig es) {
        requireLoaded();
        return factorPlan(es).pairFloats() * 4;
    }

    /** Sets the factor budget (tests: small budgets force chunks of a few pairs). */
    void factorBudget(long bytes) {
        factorBudget = bytes;
        factorKey = null;
    }

    /**
     * Makes the factor buffer hold the factors of pairs [firstPair, firstPair + pairs) of generation
     * g: one {@code egg_factor} launch per layer and factor, skipped when it already does.
     */
    private void ensureFactors(Generation g, FactorPlan plan, int firstPair, int pairs) {
        EsConfig es = g.es();
        FactorKey key = new FactorKey(g.seed(), g.index(), es.mode(), es.rank(), es.noise(), es.biasNoise(), firstPair,
                pairs);
        if (key.equals(factorKey)) {
            return;
        }
        factorKey = null;
        ClBuffer fb = factors.ensure(plan.pairFloats() * 4L * pairs);
        ClBuffer fl = factorLayout.ensure(4L * plan.offsets().length);
        queue.write(fl, plan.offsets());
        int gaussian = es.noise() == NoiseKind.GAUSSIAN ? 1 : 0;
        boolean lowRank = es.mode() == EsMode.EGGROLL;
        int r = es.rank();
        int[] off = plan.offsets();
        ClKernel k = prog.factor.arg(0, g.seed()).arg(1, g.index()).arg(3, gaussian).arg(4, firstPair).arg(5, pairs)
                .arg(8, fb).arg(9, (int) plan.pairFloats());
        int perBlock = gaussian == 1 ? GAUSS_PER_BLOCK : SIGNS_PER_BLOCK;
        for (int l = 0; l < cfg.layers(); l++) {
            long m = cfg.fanIn(l);
            long n = cfg.fanOut(l);
            if (lowRank) {
                materialiseStream(k, Noise.stream(l, Noise.KIND_A), m * r, 0, off[3 * l], pairs, perBlock);
                materialiseStream(k, Noise.stream(l, Noise.KIND_B), n * r, r, off[3 * l + 1], pairs, perBlock);
            } else {
                materialiseStream(k, Noise.stream(l, Noise.KIND_FULL), m * n, 0, off[3 * l], pairs, perBlock);
            }
            if (es.biasNoise()) {
                materialiseStream(k, Noise.stream(l, Noise.KIND_BIAS), n, 0, off[3 * l + 2], pairs, perBlock);
            }
        }
        factorKey = key;
    }

    private void materialiseStream(ClKernel k, int stream, long count, int cols, int offset, int pairs, int perBlock) {
        k.arg(2, stream).arg(6, (int) count).arg(7, cols).arg(10, offset);
        queue.run(k, (long) pairs * ((count + perBlock - 1) / perBlock), 0);
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
        accumulateGradient(g, d.length, dBuf);
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

    /**
     * {@code grad += sum_k d_k A_k B_k^T} (or {@code d_k E_k}) and {@code sum_k d_k e_k} of every layer,
     * pairs in increasing order, from factors in device memory: the evaluation's when this backend
     * materialises them (in chunks of pairs that fit the factor budget), else materialised for
     * blocks of {@value #UPDATE_PAIR_BLOCK} pairs as the cpu backend forms A_cat and B_cat.
     * Full rank with regenerated factors sums {@code d_k E_k} from Philox (E is {@code m x n} per pair).
     */
    private void accumulateGradient(Generation g, int pairs, ClBuffer dBuf) {
        EsConfig es = g.es();
        boolean lowRank = es.mode() == EsMode.EGGROLL;
        int gaussian = es.noise() == NoiseKind.GAUSSIAN ? 1 : 0;
        int r = es.rank();
        FactorPlan plan = factorPlan(es);
        boolean materialised = materialise(plan);
        if (!materialised && !lowRank) {
            ClBuffer none = factors.ensure(4);
            for (int l = 0; l < cfg.layers(); l++) {
                noiseSum(g, Noise.stream(l, Noise.KIND_FULL), gaussian, dBuf, 0, pairs, cfg.fanIn(l) * cfg.fanOut(l),
                        tensorOffset[2 * l], none, 0, 0, false);
                if (es.biasNoise()) {
                    noiseSum(g, Noise.stream(l, Noise.KIND_BIAS), gaussian, dBuf, 0, pairs, cfg.fanOut(l),
                            tensorOffset[2 * l + 1], none, 0, 0, false);
                }
            }
            return;
        }
        int[] off = plan.offsets();
        int stride = (int) plan.pairFloats();
        int chunk = materialised ? factorChunk(plan) : Math.min(UPDATE_PAIR_BLOCK, factorChunk(plan));
        int vec = prog.vectorWidth();
        for (int k0 = 0; k0 < pairs; k0 += chunk) {
            int kn = Math.min(chunk, pairs - k0);
            ensureFactors(g, plan, k0, kn);
            ClBuffer fb = factors.ensure(4);
            for (int l = 0; l < cfg.layers(); l++) {
                int m = cfg.fanIn(l);
                int n = cfg.fanOut(l);
                if (lowRank) {
                    ClBuffer db = scaledB.ensure(4L * kn * r * n);
                    prog.scaleB.arg(0, fb).arg(1, stride).arg(2, off[3 * l + 1]).arg(3, k0).arg(4, kn).arg(5, r)
                            .arg(6, n).arg(7, dBuf).arg(8, db);
                    queue.run(prog.scaleB, (long) kn * r * n, 0);
                    prog.lowRank.arg(0, fb).arg(1, stride).arg(2, off[3 * l]).arg(3, k0).arg(4, kn).arg(5, r)
                            .arg(6, m).arg(7, n).arg(8, dBuf).arg(9, db).arg(10, grad).arg(11, tensorOffset[2 * l]);
                    queue.run(prog.lowRank, (long) m * ((n + vec - 1) / vec), 0);
                } else {
                    noiseSum(g, Noise.stream(l, Noise.KIND_FULL), gaussian, dBuf, k0, kn, m * n, tensorOffset[2 * l],
                            fb, stride, off[3 * l], true);
                }
                if (es.biasNoise()) {
                    noiseSum(g, Noise.stream(l, Noise.KIND_BIAS), gaussian, dBuf, k0, kn, n, tensorOffset[2 * l + 1],
                            fb, stride, off[3 * l + 2], true);
                }
            }
        }
    }

    private void noiseSum(Generation g, int stream, int gaussian, ClBuffer d, int firstPair, int pairs, int count,
                          int offset, ClBuffer fb, int stride, int factorOffset, boolean materialised) {
        prog.noiseSum.arg(0, g.seed()).arg(1, g.index()).arg(2, stream).arg(3, gaussian).arg(4, firstPair).arg(5, pairs)
                .arg(6, d).arg(7, count).arg(8, grad).arg(9, offset).arg(10, fb).arg(11, stride).arg(12, factorOffset)
                .arg(13, materialised ? 1 : 0);
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
        for (Scratch s : new Scratch[] {offsets, indices, base0, out, scratchV, scratchI, pairWeights, factors,
                factorLayout, scaledB, probe, probeOut}) {
            s.close();
        }
        prog.close();
        queue.close();
        ctx.close();
    }
}
