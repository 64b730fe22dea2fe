package io.eggroll.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything a suite needs from the command line; sizes of zero mean "the workload's default".
 *
 * @param layerInputs   fan-in m of the large single-layer workload
 * @param layerNeurons  fan-out n (LIF neurons) of the large single-layer workload
 * @param hidden        hidden widths of the N-MNIST network (null: {@code TrainConfig.defaults("nmnist")}'s)
 * @param evolveNeurons whether the N-MNIST network evolves per-neuron thresholds and decays
 *                      ({@code network.evolveThreshold} and {@code network.evolveDecay})
 * @param preset        ranks suite: the named preset of {@code TrainConfig.defaults} (null: the task's own)
 * @param generations   ranks suite: generations of the equal-generations runs (0 = the preset's)
 * @param budgetSeconds ranks suite: wall time of the equal-time runs (0 = the full-rank run's)
 * @param evalSamples   test samples scored after each ranks-suite run (0 = all)
 * @param fullRank      whether the suites run the backend's (sparse-aware) full-rank ES contender
 * @param denseFullRank whether the throughput suite runs the paper's dense full-rank ES ({@link DenseFullRank})
 * @param scalarRanks   throughput suite: EGGROLL ranks also run on the cpu backend's scalar definition
 *                      ({@code --simd off}), to measure the vector fast path's gain in the same run
 */
public record Settings(int warmup, int reps, int threads, String backend, List<String> workloads, int layerInputs,
                       int layerNeurons, int population, int batch, int timesteps, double density,
                       double nmnistDensity, int[] hidden, boolean evolveNeurons, List<Integer> ranks, boolean fullRank, boolean denseFullRank,
                       String task, String preset, int generations,
                       Path data, double budgetSeconds, int limitTrain, int limitTest, int evalSamples, long seed,
                       List<Integer> scalarRanks, Consumer<String> log) {

    public Settings {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1 after resolving 0 to all processors, got "
                    + threads);
        }
        for (String w : workloads) {
            if (!w.equals("large") && !w.equals("nmnist")) {
                throw new IllegalArgumentException("--workloads takes 'large' and/or 'nmnist', got '" + w + "'");
            }
        }
        for (int r : ranks) {
            if (r < 1) {
                throw new IllegalArgumentException("--ranks must all be >= 1, got " + r);
            }
        }
        if (!(budgetSeconds >= 0) || Double.isInfinite(budgetSeconds)) {
            throw new IllegalArgumentException("--seconds must be a finite number >= 0 (0 = the full-rank run's time), "
                    + "got " + budgetSeconds);
        }
        if (generations < 0) {
            throw new IllegalArgumentException("--generations must be >= 0 (0 = the preset's), got " + generations);
        }
    }

    /** The workloads named by {@code --workloads}, built with the size options. */
    public List<Workload> buildWorkloads() {
        return workloads.stream().map(w -> w.equals("large")
                ? Workload.of("large", io.eggroll.snn.SnnConfig.of(layerInputs, layerNeurons),
                        population > 0 ? population : 128, batch > 0 ? batch : 32, timesteps > 0 ? timesteps : 16,
                        density, seed)
                : Workload.nmnist(hidden, evolveNeurons, population, batch, timesteps, nmnistDensity,
                        seed)).toList();
    }
}
