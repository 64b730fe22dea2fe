package io.eggroll.api;

import io.eggroll.es.Definition;
import io.eggroll.es.EsMode;
import io.eggroll.es.Generation;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;

/**
 * The members of one generation, from {@link AskTell#ask()}: keys, nothing materialised. Evaluate
 * them either all at once on your inputs with the backend's population forward
 * ({@link #evaluate}), or one at a time through each member's perturbed forward
 * ({@link #forward}), e.g. inside a simulation loop. Valid until the generation is told.
 */
public final class Population implements Iterable<Member> {

    private final AskTell owner;
    private final Generation generation;
    private final List<Member> members;

    Population(AskTell owner, Generation generation) {
        this.owner = owner;
        this.generation = generation;
        int n = generation.es().population();
        long seed = generation.seed();
        int gen = generation.index();
        this.members = new AbstractList<>() {
            @Override
            public Member get(int i) {
                return new Member(seed, gen, java.util.Objects.checkIndex(i, n));
            }

            @Override
            public int size() {
                return n;
            }
        };
    }

    /** The run seed. */
    public long seed() {
        return generation.seed();
    }

    /** The generation index. */
    public int generation() {
        return generation.index();
    }

    /** The population size N. */
    public int size() {
        return members.size();
    }

    /** Member {@code index}. */
    public Member member(int index) {
        return members.get(index);
    }

    /** The members in index order. */
    public List<Member> members() {
        return members;
    }

    @Override
    public Iterator<Member> iterator() {
        return members.iterator();
    }

    /**
     * Runs every member on {@code inputs} with the backend's population forward (the fast path of
     * training: {@code x W} shared by all members, the low-rank term per member).
     */
    public PopulationOutputs evaluate(SpikeBatch inputs) {
        owner.checkCurrent(this);
        SnnConfig net = owner.config();
        if (inputs.inputs() != net.inputs()) {
            throw new IllegalArgumentException("the inputs have " + inputs.inputs() + " channels, the network takes "
                    + net.inputs());
        }
        float[] scores = owner.backend().evaluate(inputs, generation);
        return new PopulationOutputs(size(), inputs.samples(), net.outputs(), scores);
    }

    /** Member {@code index}'s perturbed forward; see {@link MemberForward}. */
    public MemberForward forward(int index) {
        return forward(member(index));
    }

    /**
     * The member's perturbed forward as a function. It regenerates the member's noise once
     * ({@code r (m + n)} values a layer for EGGROLL) and runs the plain definition of the member
     * forward ({@link Definition}), the one every backend is tested against: on the cpu backend
     * its scores equal {@link #evaluate}'s bit for bit.
     */
    public MemberForward forward(Member member) {
        owner.checkCurrent(this);
        checkMember(member);
        SnnConfig net = owner.config();
        Params params = owner.params();
        Definition.Perturbation z = Definition.perturbation(net, generation, member.index());
        return new MemberForward() {
            @Override
            public Member member() {
                return member;
            }

            @Override
            public float[] apply(int[][] frames) {
                return apply(Spikes.sample(net.inputs(), frames), 0);
            }

            @Override
            public float[] apply(SpikeBatch batch, int sample) {
                if (batch.inputs() != net.inputs()) {
                    throw new IllegalArgumentException("the inputs have " + batch.inputs()
                            + " channels, the network takes " + net.inputs());
                }
                return Definition.perturbedForward(net, params, z, batch, sample);
            }
        };
    }

    /**
     * The low-rank factors of a member's perturbation of the named weight matrix (EGGROLL only):
     * its weights are {@code W + scale A B^T}, which nothing forms.
     *
     * @param member a member of this generation
     * @param matrix the weight matrix's name (see {@link NetworkSpec#matrixNames()})
     */
    public LowRank factors(Member member, String matrix) {
        checkMember(member);
        if (generation.es().mode() != EsMode.EGGROLL) {
            throw new IllegalStateException("full-rank ES has no low-rank factors");
        }
        int l = owner.spec().layerIndex(matrix);
        SnnConfig net = owner.config();
        Definition.Perturbation z = Definition.perturbation(net, generation, member.index());
        int r = generation.es().rank();
        return new LowRank(matrix, net.fanIn(l), net.fanOut(l), r, z.weightScale(), z.a()[l], z.b()[l]);
    }

    /**
     * A member's perturbation of one weight matrix in factored form.
     *
     * @param matrix the weight matrix's name
     * @param rows   its fan-in m
     * @param cols   its fan-out n
     * @param rank   r
     * @param scale  {@code s sigma / sqrt r}, with the member's sign s
     * @param a      A, {@code m x r} row-major
     * @param b      B, {@code n x r} row-major
     */
    public record LowRank(String matrix, int rows, int cols, int rank, float scale, float[] a, float[] b) {}

    Generation key() {
        return generation;
    }

    private void checkMember(Member member) {
        if (member.seed() != seed() || member.generation() != generation() || member.index() < 0
                || member.index() >= size()) {
            throw new IllegalArgumentException(member + " is not a member of generation " + generation()
                    + " (seed " + seed() + ", " + size() + " members)");
        }
    }
}
