package io.eggroll.examples;

import io.eggroll.api.AskTell;
import io.eggroll.api.Member;
import io.eggroll.api.MemberForward;
import io.eggroll.api.NetworkSpec;
import io.eggroll.api.Population;
import io.eggroll.api.TrainedNetwork;
import io.eggroll.es.EsConfig;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.snn.Readout;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * A spiking controller for cart-pole ({@link CartPole}), optimised with EGGROLL through ask/tell.
 *
 * <p>Each control step encodes the state as spikes: each of the four variables falls into one of
 * {@value #BINS} bins (finer near 0), and that bin's input channel spikes in each of
 * {@value #FRAMES} frames. A hidden layer of LIF neurons feeds two leaky output neurons; the
 * action is the output with the larger mean membrane. A member's fitness is its mean return over
 * a few episodes that every member of the generation plays from the same initial states. The
 * member's network runs through {@link Population#forward}: its perturbed forward as a function,
 * with no perturbed weight matrix formed.
 *
 * <pre>
 *   java io.eggroll.examples.CartPoleAskTell [generations] [population] [seed]
 * </pre>
 */
public final class CartPoleAskTell {

    /** Bins per state variable. */
    static final int BINS = 10;
    /** Frames (time steps) of the network per control step. */
    static final int FRAMES = 4;
    /** The range of each variable ({@code x, x', theta, theta'}) that the bins cover. */
    static final double[] RANGE = {CartPole.X_LIMIT, 2.0, CartPole.THETA_LIMIT, 2.5};

    private CartPoleAskTell() {}

    /**
     * The search budget.
     *
     * @param generations at most this many generations (it stops earlier once solved)
     * @param population  members a generation
     * @param episodes    episodes a member plays each generation
     * @param seed        seeds the noise, the initial weights and the episodes
     */
    public record Settings(int generations, int population, int episodes, long seed) {
        /** The defaults: at most 60 generations of 32 members playing 2 episodes each. */
        public static Settings defaults() {
            return new Settings(60, 32, 2, 1);
        }
    }

    /**
     * The outcome.
     *
     * @param network     the controller (the centre of the search)
     * @param generations the generations it took
     */
    public record Result(TrainedNetwork network, int generations) {}

    /** The input channels spiking for a state: one bin per variable. */
    static int[] encode(double[] state) {
        int[] active = new int[state.length];
        for (int i = 0; i < state.length; i++) {
            double u = Math.max(-1, Math.min(1, state[i] / RANGE[i]));
            double warped = Math.signum(u) * Math.sqrt(Math.abs(u)); // finer bins near 0
            int bin = Math.min(BINS - 1, (int) ((warped + 1) / 2 * BINS));
            active[i] = i * BINS + bin;
        }
        return active;
    }

    /** The policy of a network (a member's forward or a trained network's): the output with the larger score. */
    static CartPole.Policy policy(Function<int[][], float[]> forward) {
        return state -> {
            int[] active = encode(state);
            int[][] frames = new int[FRAMES][];
            java.util.Arrays.fill(frames, active);
            float[] score = forward.apply(frames);
            return score[1] > score[0] ? 1 : 0;
        };
    }

    /** The mean return of {@code policy} over {@code episodes} episodes from {@code seed}'s initial states. */
    public static double meanReturn(CartPole.Policy policy, int episodes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long total = 0;
        for (int e = 0; e < episodes; e++) {
            total += CartPole.episode(policy, rnd);
        }
        return (double) total / episodes;
    }

    /** The mean return of a trained controller over {@code episodes} episodes. */
    public static double meanReturn(TrainedNetwork controller, int episodes, long seed) {
        return meanReturn(policy(controller::forward), episodes, seed);
    }

    /** Optimises a controller through ask/tell within the budget; stops once the centre solves 20 test episodes. */
    public static Result train(Settings s, boolean verbose) {
        try (AskTell es = AskTell.builder()
                .network(NetworkSpec.empty().dense("hidden", 16).outputName("action").readout(Readout.MEMBRANE))
                .inputs(4 * BINS).outputs(2)
                .es(EsConfig.eggroll(s.population(), 1, 0.3f))
                .optimizer(OptimizerConfig.adam(0.1f))
                .seed(s.seed())
                .backend("cpu", 1)
                .build()) {
            for (int gen = 0; gen < s.generations(); gen++) {
                Population pop = es.ask();
                long episodes = s.seed() * 1_000_003L + gen; // the same initial states for every member
                float[] fitness = new float[pop.size()];
                IntStream.range(0, pop.size()).parallel().forEach(i -> {
                    MemberForward member = pop.forward(i);
                    fitness[i] = (float) meanReturn(policy(member::apply), s.episodes(), episodes);
                });
                es.tell(fitness);
                double mean = 0;
                for (float f : fitness) {
                    mean += f / fitness.length;
                }
                if (verbose) {
                    System.out.printf(Locale.ROOT, "generation %d: mean return of the members %.1f%n", gen, mean);
                }
                if (mean > 190 && meanReturn(es.network(), 20, ~gen) >= CartPole.MAX_STEPS) {
                    return new Result(es.network(), gen + 1);
                }
            }
            return new Result(es.network(), s.generations());
        }
    }

    /** Trains, then reports the controller's mean return over 100 new episodes. */
    public static void main(String[] args) {
        Settings d = Settings.defaults();
        Settings s = new Settings(args.length > 0 ? Integer.parseInt(args[0]) : d.generations(),
                args.length > 1 ? Integer.parseInt(args[1]) : d.population(), d.episodes(),
                args.length > 2 ? Long.parseLong(args[2]) : d.seed());
        long t0 = System.nanoTime();
        Result r = train(s, true);
        double score = meanReturn(r.network(), 100, 12345);
        System.out.printf(Locale.ROOT, "cart-pole: mean return %.1f over 100 episodes after %d generations "
                + "(%.1f s)%n", score, r.generations(), (System.nanoTime() - t0) / 1e9);
    }
}
