package io.eggroll.tornado;

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
import io.eggroll.rng.NoiseKind;
import io.eggroll.rng.NormalTable;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The tornado backend: the kernels of {@link EggrollKernels} in one TornadoVM execution plan of six
 * task graphs that share device buffers ({@code persistOnDevice} / {@code consumeFromDevice}):
 *
 * <ol>
 *   <li>{@code load}: weights, biases, optimizer moments, layout and normal table go to the device
 *       (run by {@link #load} only) and stay there;</li>
 *   <li>{@code batch}: the spike batch goes in every generation, {@link EggrollKernels#base} forms
 *       {@code x W0 + b0} on the device and leaves it there;</li>
 *   <li>{@code evaluate}: the fused {@link EggrollKernels#evaluate}; only the readouts come out;</li>
 *   <li>{@code update}: the pair weights go in, A_cat / B_cat and the gradient-plus-optimizer step
 *       update the resident weights in place; nothing comes out;</li>
 *   <li>{@code readback}: weights and moments come out (only for {@link #state});</li>
 *   <li>{@code probe}: the device's noise for the conformance check.</li>
 * </ol>
 *
 * <p>Every graph holds and persists the resident buffers: TornadoVM frees a graph's non-persisted
 * buffers when it finishes, and it hands consumed buffers over from whichever graph of the plan
 * ran just before. {@code load} runs first. Buffers are allocated with room to spare and the plan is kept across generations (its first
 * execution compiles the kernels). A network, batch or population that outgrows them rebuilds the
 * plan with larger buffers, carrying the resident state over.
 */
public final class TornadoBackend implements Backend {

    /** Upper bound on the per-launch membrane and spike-list scratch of the fused kernel. */
    static final long SCRATCH_BUDGET = 128L << 20;
    /** Upper bound on A_cat plus B_cat of one block of pairs in the update. */
    static final long CAT_BUDGET = 128L << 20;
    /** Environment variable overriding the work-group size of the fused kernel. */
    public static final String LWS_ENV = "EGGROLL_TORNADO_LWS";

    /**
     * OpenCL build options: TornadoVM's default ({@code -cl-mad-enable -cl-fast-relaxed-math})
     * would contract and approximate; the cpu reference's bits need IEEE division and square root.
     */
    static final String OPENCL_FLAGS = "-cl-fp32-correctly-rounded-divide-sqrt -w";

    private static final AtomicInteger PLANS = new AtomicInteger();

    private final TornadoDevices.Device device;
    private final TornadoDevice tornadoDevice;
    private final int lws;

    private Plan plan;
    private SnnConfig cfg;
    private OptimizerConfig optimizer;
    private long step;
    private int[] tensorOffset;
    private int[] tensorLength;
    private int totalParams;

    /** A backend on the given device with fused-kernel work-groups of {@code lws} (0 = default). */
    public TornadoBackend(TornadoDevices.Device device, int lws) {
        this.device = device;
        this.tornadoDevice = TornadoDevices.Native.device(device);
        this.lws = lws > 0 ? lws : defaultWorkGroupSize(device);
    }

    /** 16 on CPUs (PoCL runs a work-group as a loop), 64 elsewhere; {@value #LWS_ENV} overrides. */
    static int defaultWorkGroupSize(TornadoDevices.Device device) {
        String env = System.getenv(LWS_ENV);
        if (env != null && !env.isBlank()) {
            try {
                int v = Integer.parseInt(env.strip());
                if (v >= 1) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(LWS_ENV + " must be a positive integer, got '" + env + "'");
        }
        return device.isCpu() ? 16 : 64;
    }

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public String device() {
        return "tornado: " + device.describe() + ", work-groups of " + lws;
    }

    public TornadoDevices.Device tornadoDevice() {
        return device;
    }

    public int workGroupSize() {
        return lws;
    }

    // ---------------------------------------------------------------- state

    @Override
    public void load(ModelState s) {
        SnnConfig c = s.network().requireSharedNeurons("the tornado backend");
        c.requireDense("tornado"); // conv layers: cpu and loihi-sim only, for now
        io.eggroll.snn.Params.Packing packing = s.params().packing().requireIntIndexable("tornado");
        int[] off = packing.offsets();
        int[] len = packing.lengths();
        long total = packing.total();
        float[][] t = s.params().tensors();
        Capacity need = plan == null ? Capacity.initial() : plan.cap;
        ensure(need.withParams((int) total, c.layers()), false);
        this.cfg = c;
        this.optimizer = s.optimizer();
        this.step = s.optimizerState().step();
        this.tensorOffset = off;
        this.tensorLength = len;
        this.totalParams = (int) total;
        upload(t, s.optimizerState().first(), s.optimizerState().second());
    }

    private void upload(float[][] t, float[][] m, float[][] v) {
        Plan p = plan;
        for (int i = 0; i < t.length; i++) {
            put(p.params, tensorOffset[i], t[i]);
            if (optimizer.usesFirstMoment()) {
                put(p.m1, tensorOffset[i], m[i]);
            }
            if (optimizer.usesSecondMoment()) {
                put(p.m2, tensorOffset[i], v[i]);
            }
        }
        for (int l = 0; l < cfg.layers(); l++) {
            int b = EggrollKernels.LAYOUT_STRIDE * l;
            p.layout.set(b, cfg.fanIn(l));
            p.layout.set(b + 1, cfg.fanOut(l));
            p.layout.set(b + 2, tensorOffset[2 * l]);
            p.layout.set(b + 3, tensorOffset[2 * l + 1]);
        }
        p.run(Plan.LOAD);
    }

    @Override
    public ModelState state() {
        requireLoaded();
        Plan p = plan;
        p.run(Plan.READBACK);
        Params params = new Params(cfg);
        float[][] t = params.tensors();
        float[][] m = new float[t.length][];
        float[][] v = new float[t.length][];
        for (int i = 0; i < t.length; i++) {
            get(p.params, tensorOffset[i], t[i]);
            m[i] = new float[optimizer.usesFirstMoment() ? tensorLength[i] : 0];
            v[i] = new float[optimizer.usesSecondMoment() ? tensorLength[i] : 0];
            if (optimizer.usesFirstMoment()) {
                get(p.m1, tensorOffset[i], m[i]);
            }
            if (optimizer.usesSecondMoment()) {
                get(p.m2, tensorOffset[i], v[i]);
            }
        }
        return new ModelState(cfg, params, optimizer, new OptimizerState(step, m, v));
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
        if (es.mode() == EsMode.EGGROLL && es.rank() > EggrollKernels.MAX_RANK) {
            throw new IllegalArgumentException("es.rank = " + es.rank() + " exceeds " + EggrollKernels.MAX_RANK
                    + ", the largest rank the tornado backend's fused kernel holds in local memory");
        }
        int mode = es.mode() == EsMode.EGGROLL ? EggrollKernels.MODE_EGGROLL : EggrollKernels.MODE_FULL;
        return forward(batch, g, mode, 2 * firstPair, 2 * pairCount);
    }

    @Override
    public float[] infer(SpikeBatch batch) {
        requireLoaded();
        checkBatch(batch);
        return forward(batch, null, EggrollKernels.MODE_NONE, 0, 1);
    }

    private float[] forward(SpikeBatch batch, Generation g, int mode, int firstMember, int members) {
        int samples = batch.samples();
        int steps = batch.timesteps();
        int classes = cfg.outputs();
        long outValues = (long) members * samples * classes;
        if (outValues > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("readouts of " + members + " members x " + samples + " samples x "
                    + classes + " classes exceed 2^31 values; evaluate fewer pairs at a time");
        }
        int frames = samples * steps;
        int n0 = cfg.fanOut(0);
        int vStride = 0;
        int listStride = 1;
        for (int l = 0; l < cfg.layers(); l++) {
            vStride += cfg.fanOut(l);
            if (l < cfg.layers() - 1) {
                listStride = Math.max(listStride, cfg.fanOut(l));
            }
        }
        long perGroup = 4L * (vStride + 2L * listStride + classes);
        int chunkMembers = (int) Math.max(1, Math.min(members, SCRATCH_BUDGET / (perGroup * samples)));
        int chunkGroups = chunkMembers * samples;
        Capacity cap = plan.cap.withBatch(frames, Math.multiplyExact(frames, n0), batch.indices().length)
                .withScratch(Math.multiplyExact(chunkGroups, vStride), Math.multiplyExact(chunkGroups, 2 * listStride),
                        Math.multiplyExact(chunkGroups, classes));
        ensure(cap, true);
        Plan p = plan;

        p.bctl.set(EggrollKernels.B_FRAMES, frames);
        putInts(p.offsets, batch.offsets());
        putInts(p.indices, batch.indices());
        p.baseGrid.setGlobalWork(roundUp((long) frames * n0, lws), 1, 1);
        p.baseGrid.setLocalWork(lws, 1, 1);
        p.run(Plan.BATCH);

        EsConfig es = g == null ? null : g.es();
        IntArray c = p.ectl;
        c.set(EggrollKernels.E_LAYERS, cfg.layers());
        c.set(EggrollKernels.E_SAMPLES, samples);
        c.set(EggrollKernels.E_STEPS, steps);
        c.set(EggrollKernels.E_K0, g == null ? 0 : DeviceNoise.keyLo(g.seed()));
        c.set(EggrollKernels.E_K1, g == null ? 0 : DeviceNoise.keyHi(g.seed()));
        c.set(EggrollKernels.E_GENERATION, g == null ? 0 : g.index());
        c.set(EggrollKernels.E_MODE, mode);
        c.set(EggrollKernels.E_RANK, mode == EggrollKernels.MODE_EGGROLL ? es.rank() : 1);
        c.set(EggrollKernels.E_GAUSSIAN, es == null || es.noise() == NoiseKind.GAUSSIAN ? 1 : 0);
        c.set(EggrollKernels.E_BIAS_NOISE, es != null && es.biasNoise() ? 1 : 0);
        c.set(EggrollKernels.E_MEMBRANE, cfg.readout() == Readout.MEMBRANE ? 1 : 0);
        c.set(EggrollKernels.E_V_STRIDE, vStride);
        c.set(EggrollKernels.E_LIST_STRIDE, listStride);
        c.set(EggrollKernels.E_LWS, lws);
        FloatArray f = p.efctl;
        f.set(EggrollKernels.F_SIGMA_R, es == null ? 0f : mode == EggrollKernels.MODE_EGGROLL ? es.sigmaLowRank()
                : es.sigma());
        f.set(EggrollKernels.F_SIGMA, es == null ? 0f : es.sigma());
        f.set(EggrollKernels.F_DECAY, cfg.decay());
        f.set(EggrollKernels.F_THRESHOLD, cfg.threshold());

        float[] result = new float[(int) outValues];
        for (int first = 0; first < members; first += chunkMembers) {
            int count = Math.min(chunkMembers, members - first);
            int groups = count * samples;
            c.set(EggrollKernels.E_FIRST_MEMBER, firstMember + first);
            c.set(EggrollKernels.E_GROUPS, groups);
            p.evalGrid.setGlobalWork((long) groups * lws, 1, 1);
            p.evalGrid.setLocalWork(lws, 1, 1);
            p.run(Plan.EVALUATE);
            MemorySegment.copy(p.out.getSegment(), ValueLayout.JAVA_FLOAT, 0, result, first * samples * classes,
                    groups * classes);
        }
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
        boolean lowRank = es.mode() == EsMode.EGGROLL;
        int r = lowRank ? es.rank() : 1;
        long perPair = 0;
        for (int l = 0; l < cfg.layers(); l++) {
            perPair += (long) (cfg.fanIn(l) + cfg.fanOut(l)) * r;
        }
        int block = lowRank ? (int) Math.max(1, Math.min(d.length, CAT_BUDGET / (4 * perPair))) : d.length;
        long catA = 0;
        long catB = 0;
        for (int l = 0; l < cfg.layers(); l++) {
            catA += (long) cfg.fanIn(l) * r * block;
            catB += (long) cfg.fanOut(l) * r * block;
        }
        ensure(plan.cap.withUpdate(d.length, lowRank ? Math.toIntExact(catA) : 1, lowRank ? Math.toIntExact(catB) : 1),
                true);
        Plan p = plan;
        MemorySegment.copy(d, 0, p.d.getSegment(), ValueLayout.JAVA_FLOAT, 0, d.length);

        long t = step + 1;
        float[] corr = optimizer.kind() == OptimizerKind.ADAM ? Optimizer.adamCorrections(optimizer, t)
                : new float[] {1f, 1f};
        FloatArray f = p.ufctl;
        f.set(EggrollKernels.G_W_SCALE, Eggroll.gradientScale(es, effectivePopulation, lowRank));
        f.set(EggrollKernels.G_B_SCALE, Eggroll.gradientScale(es, effectivePopulation, false));
        f.set(EggrollKernels.G_LR, learningRate);
        f.set(EggrollKernels.G_WD, optimizer.weightDecay());
        f.set(EggrollKernels.G_MU, optimizer.momentum());
        f.set(EggrollKernels.G_B1, optimizer.beta1());
        f.set(EggrollKernels.G_B2, optimizer.beta2());
        f.set(EggrollKernels.G_EPS, optimizer.epsilon());
        f.set(EggrollKernels.G_C1, corr[0]);
        f.set(EggrollKernels.G_C2, corr[1]);
        IntArray c = p.uctl;
        c.set(EggrollKernels.U_LAYERS, cfg.layers());
        c.set(EggrollKernels.U_K0, DeviceNoise.keyLo(g.seed()));
        c.set(EggrollKernels.U_K1, DeviceNoise.keyHi(g.seed()));
        c.set(EggrollKernels.U_GENERATION, g.index());
        c.set(EggrollKernels.U_MODE, lowRank ? EggrollKernels.MODE_EGGROLL : EggrollKernels.MODE_FULL);
        c.set(EggrollKernels.U_RANK, r);
        c.set(EggrollKernels.U_GAUSSIAN, es.noise() == NoiseKind.GAUSSIAN ? 1 : 0);
        c.set(EggrollKernels.U_TRAIN_BIAS, es.biasNoise() ? 1 : 0);
        c.set(EggrollKernels.U_ADAM, optimizer.kind() == OptimizerKind.ADAM ? 1 : 0);
        c.set(EggrollKernels.U_PARAMS, totalParams);
        p.gradGrid.setGlobalWork(roundUp(totalParams, 64), 1, 1);
        for (int k0 = 0; k0 < d.length; k0 += block) {
            int kn = Math.min(block, d.length - k0);
            int aOff = 0;
            int bOff = 0;
            for (int l = 0; l < cfg.layers(); l++) {
                c.set(EggrollKernels.U_LAYER + 2 * l, aOff);
                c.set(EggrollKernels.U_LAYER + 2 * l + 1, bOff);
                aOff += cfg.fanIn(l) * r * kn;
                bOff += cfg.fanOut(l) * r * kn;
            }
            int rowsA = 0;
            int colsB = 0;
            for (int l = 0; l < cfg.layers(); l++) {
                rowsA += cfg.fanIn(l) * kn;
                colsB += cfg.fanOut(l) * kn;
            }
            c.set(EggrollKernels.U_PAIR_FIRST, k0);
            c.set(EggrollKernels.U_PAIR_COUNT, kn);
            c.set(EggrollKernels.U_FIRST_BLOCK, k0 == 0 ? 1 : 0);
            c.set(EggrollKernels.U_LAST_BLOCK, k0 + kn >= d.length ? 1 : 0);
            c.set(EggrollKernels.U_CAT_A, lowRank ? rowsA : 0);
            c.set(EggrollKernels.U_CAT_B, lowRank ? colsB : 0);
            p.catAGrid.setGlobalWork(roundUp(lowRank ? rowsA : 1, 64), 1, 1);
            p.catBGrid.setGlobalWork(roundUp(lowRank ? colsB : 1, 64), 1, 1);
            p.run(Plan.UPDATE);
        }
        step = t;
    }

    /**
     * Elements of a noise stream computed on the device by {@link EggrollKernels#noiseProbe}: the
     * probe the conformance suite compares with {@link io.eggroll.rng.Noise#at}.
     */
    public float[] deviceNoise(long seed, int pair, int generation, int stream, NoiseKind kind, int[] elements) {
        ensure((plan == null ? Capacity.initial() : plan.cap).withProbe(elements.length), true);
        Plan p = plan;
        IntArray c = p.pctl;
        c.set(EggrollKernels.P_K0, DeviceNoise.keyLo(seed));
        c.set(EggrollKernels.P_K1, DeviceNoise.keyHi(seed));
        c.set(EggrollKernels.P_PAIR, pair);
        c.set(EggrollKernels.P_GENERATION, generation);
        c.set(EggrollKernels.P_STREAM, stream);
        c.set(EggrollKernels.P_GAUSSIAN, kind == NoiseKind.GAUSSIAN ? 1 : 0);
        c.set(EggrollKernels.P_COUNT, elements.length);
        putInts(p.elements, elements);
        p.probeGrid.setGlobalWork(roundUp(elements.length, 64), 1, 1);
        if (cfg == null) {
            p.run(Plan.LOAD); // the normal table is uploaded with the model
        }
        p.run(Plan.PROBE);
        float[] out = new float[elements.length];
        MemorySegment.copy(p.probeOut.getSegment(), ValueLayout.JAVA_FLOAT, 0, out, 0, out.length);
        return out;
    }

    // ---------------------------------------------------------------- buffers and the plan

    /**
     * Makes sure the plan's buffers hold {@code need}; rebuilds the plan (larger, with the resident
     * state carried over) when they do not. {@code keepState}: whether a loaded model must survive.
     */
    private void ensure(Capacity need, boolean keepState) {
        if (plan != null && plan.cap.holds(need)) {
            return;
        }
        Capacity grown = plan == null ? need : plan.cap.grownTo(need);
        checkDeviceLimits(grown);
        ModelState keep = keepState && cfg != null ? state() : null;
        if (plan != null) {
            plan.close();
        }
        plan = new Plan(grown);
        if (keep != null) {
            upload(keep.params().tensors(), keep.optimizerState().first(), keep.optimizerState().second());
        }
    }

    private void checkDeviceLimits(Capacity c) {
        long largest = 4L * Math.max(Math.max(c.params, c.base0), Math.max(Math.max(c.scratchV, c.scratchI),
                Math.max(c.catA, c.catB)));
        if (device.maxAlloc() > 0 && largest > device.maxAlloc()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a buffer of %s is larger than the largest buffer %s allows (%s); use a smaller population, batch or "
                            + "network", TornadoDevices.bytes(largest), device.name(),
                    TornadoDevices.bytes(device.maxAlloc())));
        }
    }

    private static long roundUp(long n, int multiple) {
        long r = Math.max(1, (n + multiple - 1) / multiple) * multiple;
        return r;
    }

    private static void put(FloatArray dst, int offset, float[] src) {
        MemorySegment.copy(src, 0, dst.getSegment(), ValueLayout.JAVA_FLOAT, 4L * offset, src.length);
    }

    private static void get(FloatArray src, int offset, float[] dst) {
        MemorySegment.copy(src.getSegment(), ValueLayout.JAVA_FLOAT, 4L * offset, dst, 0, dst.length);
    }

    private static void putInts(IntArray dst, int[] src) {
        MemorySegment.copy(src, 0, dst.getSegment(), ValueLayout.JAVA_INT, 0, src.length);
    }

    /** Buffer sizes (elements) of one plan. */
    record Capacity(int params, int layers, int frames, int base0, int indices, int scratchV, int scratchI, int out,
                    int pairs, int catA, int catB, int probe) {

        /** Room for the conformance suite's and small training runs' sizes without a rebuild. */
        static Capacity initial() {
            return new Capacity(1 << 16, 8, 1 << 10, 1 << 16, 1 << 16, 1 << 16, 1 << 16, 1 << 14, 1 << 10, 1 << 16,
                    1 << 16, 1 << 12);
        }

        Capacity withParams(int p, int l) {
            return new Capacity(Math.max(params, p), Math.max(layers, l), frames, base0, indices, scratchV, scratchI,
                    out, pairs, catA, catB, probe);
        }

        Capacity withBatch(int f, int b, int i) {
            return new Capacity(params, layers, Math.max(frames, f), Math.max(base0, b), Math.max(indices, i), scratchV,
                    scratchI, out, pairs, catA, catB, probe);
        }

        Capacity withScratch(int v, int i, int o) {
            return new Capacity(params, layers, frames, base0, indices, Math.max(scratchV, v), Math.max(scratchI, i),
                    Math.max(out, o), pairs, catA, catB, probe);
        }

        Capacity withUpdate(int p, int a, int b) {
            return new Capacity(params, layers, frames, base0, indices, scratchV, scratchI, out, Math.max(pairs, p),
                    Math.max(catA, a), Math.max(catB, b), probe);
        }

        Capacity withProbe(int n) {
            return new Capacity(params, layers, frames, base0, indices, scratchV, scratchI, out, pairs, catA, catB,
                    Math.max(probe, n));
        }

        boolean holds(Capacity n) {
            return params >= n.params && layers >= n.layers && frames >= n.frames && base0 >= n.base0
                    && indices >= n.indices && scratchV >= n.scratchV && scratchI >= n.scratchI && out >= n.out
                    && pairs >= n.pairs && catA >= n.catA && catB >= n.catB && probe >= n.probe;
        }

        /** Each field that must grow grows to at least twice its size, so rebuilds stay rare. */
        Capacity grownTo(Capacity n) {
            return new Capacity(g(params, n.params), g(layers, n.layers), g(frames, n.frames), g(base0, n.base0),
                    g(indices, n.indices), g(scratchV, n.scratchV), g(scratchI, n.scratchI), g(out, n.out),
                    g(pairs, n.pairs), g(catA, n.catA), g(catB, n.catB), g(probe, n.probe));
        }

        private static int g(int have, int want) {
            return want <= have ? have : (int) Math.min(Integer.MAX_VALUE - 64, Math.max(want, 2L * have));
        }
    }

    /** The buffers, task graphs and execution plan; rebuilt only when a buffer must grow. */
    private final class Plan implements AutoCloseable {
        static final int LOAD = 0;
        static final int BATCH = 1;
        static final int EVALUATE = 2;
        static final int UPDATE = 3;
        static final int READBACK = 4;
        static final int PROBE = 5;

        final Capacity cap;
        final FloatArray params;
        final FloatArray m1;
        final FloatArray m2;
        final FloatArray grad;
        final IntArray layout;
        final FloatArray table;
        final IntArray bctl = new IntArray(EggrollKernels.B_SIZE);
        final IntArray offsets;
        final IntArray indices;
        final FloatArray base0;
        final IntArray ectl = new IntArray(EggrollKernels.E_SIZE);
        final FloatArray efctl = new FloatArray(EggrollKernels.F_SIZE);
        final FloatArray scratchV;
        final IntArray scratchI;
        final FloatArray out;
        final IntArray uctl;
        final FloatArray ufctl = new FloatArray(EggrollKernels.G_SIZE);
        final FloatArray d;
        final FloatArray aCat;
        final FloatArray bCat;
        final IntArray pctl = new IntArray(EggrollKernels.P_SIZE);
        final IntArray elements;
        final FloatArray probeOut;
        final WorkerGrid1D baseGrid = new WorkerGrid1D(1);
        final WorkerGrid1D evalGrid = new WorkerGrid1D(1);
        final WorkerGrid1D catAGrid = new WorkerGrid1D(64);
        final WorkerGrid1D catBGrid = new WorkerGrid1D(64);
        final WorkerGrid1D gradGrid = new WorkerGrid1D(64);
        final WorkerGrid1D probeGrid = new WorkerGrid1D(64);
        final TornadoExecutionPlan exec;

        Plan(Capacity cap) {
            this.cap = cap;
            params = new FloatArray(cap.params);
            m1 = new FloatArray(cap.params);
            m2 = new FloatArray(cap.params);
            grad = new FloatArray(cap.params);
            layout = new IntArray(EggrollKernels.LAYOUT_STRIDE * cap.layers);
            table = FloatArray.fromArray(NormalTable.copy());
            offsets = new IntArray(cap.frames + 1);
            indices = new IntArray(Math.max(1, cap.indices));
            base0 = new FloatArray(cap.base0);
            scratchV = new FloatArray(cap.scratchV);
            scratchI = new IntArray(cap.scratchI);
            out = new FloatArray(cap.out);
            uctl = new IntArray(EggrollKernels.U_LAYER + 2 * cap.layers);
            d = new FloatArray(cap.pairs);
            aCat = new FloatArray(cap.catA);
            bCat = new FloatArray(cap.catB);
            elements = new IntArray(cap.probe);
            probeOut = new FloatArray(cap.probe);

            String id = "eggroll" + PLANS.incrementAndGet();
            String load = id + "_load";
            String batch = id + "_batch";
            // Every graph holds the resident set R = (params, m1, m2, layout, table) and persists it.
            // TornadoVM hands a consumed buffer over from the graph executed just before, whichever
            // it was, so R must be in all of them; the batch buffers pass only from batch to evaluate.
            Object[] resident = {params, m1, m2, layout, table};
            TaskGraph gLoad = new TaskGraph(load)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, resident)
                    .task("touch", EggrollKernels::touch, params, m1, m2, layout, table)
                    .persistOnDevice(resident);
            TaskGraph gBatch = new TaskGraph(batch)
                    .consumeFromDevice(load, resident)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, bctl, offsets, indices)
                    .task("touch", EggrollKernels::touch, params, m1, m2, layout, table)
                    .task("base", EggrollKernels::base, new KernelContext(), params, layout, offsets, indices, bctl, base0)
                    .persistOnDevice(params, m1, m2, layout, table, offsets, indices, base0);
            TaskGraph gEval = new TaskGraph(id + "_evaluate")
                    .consumeFromDevice(batch, params, m1, m2, layout, table, offsets, indices, base0)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, ectl, efctl)
                    .task("touch", EggrollKernels::touch, params, m1, m2, layout, table)
                    .task("fused", EggrollKernels::evaluate, new KernelContext(), params, layout, table, base0, offsets,
                            indices, ectl, efctl, scratchV, scratchI, out)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, out)
                    .persistOnDevice(params, m1, m2, layout, table, offsets, indices, base0);
            TaskGraph gUpdate = new TaskGraph(id + "_update")
                    .consumeFromDevice(load, resident)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, uctl, ufctl, d)
                    .task("catA", EggrollKernels::catA, layout, table, uctl, d, aCat)
                    .task("catB", EggrollKernels::catB, layout, table, uctl, d, bCat)
                    .task("step", EggrollKernels::gradientStep, layout, table, uctl, ufctl, d, aCat, bCat, grad, params,
                            m1, m2)
                    .persistOnDevice(resident);
            TaskGraph gRead = new TaskGraph(id + "_readback")
                    .consumeFromDevice(load, resident)
                    .task("touch", EggrollKernels::touch, params, m1, m2, layout, table)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, params, m1, m2)
                    .persistOnDevice(resident);
            TaskGraph gProbe = new TaskGraph(id + "_probe")
                    .consumeFromDevice(load, resident)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, pctl, elements)
                    .task("touch", EggrollKernels::touch, params, m1, m2, layout, table)
                    .task("noise", EggrollKernels::noiseProbe, table, pctl, elements, probeOut)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, probeOut)
                    .persistOnDevice(resident);
            GridScheduler grids = new GridScheduler();
            grids.addWorkerGrid(batch + ".base", baseGrid);
            grids.addWorkerGrid(id + "_evaluate.fused", evalGrid);
            grids.addWorkerGrid(id + "_update.catA", catAGrid);
            grids.addWorkerGrid(id + "_update.catB", catBGrid);
            grids.addWorkerGrid(id + "_update.step", gradGrid);
            grids.addWorkerGrid(id + "_probe.noise", probeGrid);
            exec = new TornadoExecutionPlan(gLoad.snapshot(), gBatch.snapshot(), gEval.snapshot(), gUpdate.snapshot(),
                    gRead.snapshot(), gProbe.snapshot());
            exec.withDevice(tornadoDevice);
            exec.withGridScheduler(grids);
            exec.withCompilerFlags(TornadoVMBackendType.OPENCL, OPENCL_FLAGS);
        }

        void run(int graph) {
            exec.withGraph(graph).execute();
        }

        @Override
        public void close() {
            try {
                exec.close();
            } catch (Exception e) {
                throw new IllegalStateException("freeing TornadoVM device memory on " + device.describe() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        if (plan != null) {
            plan.close();
            plan = null;
        }
    }
}
