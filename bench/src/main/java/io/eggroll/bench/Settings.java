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
 * @param budgetSeconds wall time each contender of the ranks suite trains for
 * @param evalSamples   test samples scored after the budget (0 = all)
 * @param fullRank      whether the suites run the backend's (sparse-aware) full-rank ES contender
 * @param denseFullRank whether the throughput suite runs the paper's dense full-rank ES ({@link DenseFullRank})
 * @param scalarRanks   throughput suite: EGGROLL ranks also run on the cpu backend's scalar definition
 *                      ({@code --simd off}), to measure the vector fast path's gain in the same run
 */
public record Settings(int warmup, int reps, int threads, String backend, List<String> workloads, int layerInputs,
                       int layerNeurons, int population, int batch, int timesteps, double density,
                       double nmnistDensity, int[] hidden, List<Integer> ranks, boolean fullRank, boolean denseFullRank,
                       String task,
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
        if (!(budgetSeconds > 0)) {
            throw new IllegalArgumentException("--budget must be > 0 seconds, got " + budgetSeconds);
        }
    }

    /** The workloads named by {@code --workloads}, built with the size options. */
    public List<Workload> buildWorkloads() {
        return workloads.stream().map(w -> w.equals("large")
                ? Workload.of("large", io.eggroll.snn.SnnConfig.of(layerInputs, layerNeurons),
                        population > 0 ? population : 128, batch > 0 ? batch : 32, timesteps > 0 ? timesteps : 16,
                        density, seed)
                : Workload.nmnist(hidden, population, batch, timesteps, nmnistDensity, seed)).toList();
    }
}
