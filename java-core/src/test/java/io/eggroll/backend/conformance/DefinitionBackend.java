package io.eggroll.backend.conformance;

import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.es.Definition;
import io.eggroll.es.Generation;
import io.eggroll.snn.LifNetwork;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;

/**
 * {@link Definition} behind the {@link Backend} interface: one member and one sample at a time,
 * one thread, no sharing. The reference the conformance suite holds every backend to. Slow by
 * design; meant for test-sized networks.
 */
public final class DefinitionBackend implements Backend {

    private ModelState state;

    @Override
    public String name() {
        return "definition";
    }

    @Override
    public String device() {
        return "definition: io.eggroll.es.Definition, one member at a time";
    }

    @Override
    public void load(ModelState s) {
        state = s.copy();
    }

    @Override
    public ModelState state() {
        return loaded().copy();
    }

    private ModelState loaded() {
        if (state == null) {
            throw new IllegalStateException("no model loaded: call load() first");
        }
        return state;
    }

    @Override
    public float[] evaluate(SpikeBatch batch, Generation g, int firstPair, int pairCount) {
        SnnConfig cfg = loaded().network();
        if (firstPair < 0 || pairCount < 0 || firstPair + pairCount > g.es().pairs()) {
            throw new IllegalArgumentException("pairs [" + firstPair + ", " + (firstPair + pairCount)
                    + ") out of range for population " + g.es().population());
        }
        int c = cfg.outputs();
        int samples = batch.samples();
        float[] out = new float[2 * pairCount * samples * c];
        for (int i = 0; i < 2 * pairCount; i++) {
            Definition.Perturbation z = Definition.perturbation(cfg, g, 2 * firstPair + i);
            for (int s = 0; s < samples; s++) {
                System.arraycopy(Definition.perturbedForward(cfg, state.params(), z, batch, s), 0, out,
                        (i * samples + s) * c, c);
            }
        }
        return out;
    }

    @Override
    public float[] infer(SpikeBatch batch) {
        SnnConfig cfg = loaded().network();
        int c = cfg.outputs();
        float[] out = new float[batch.samples() * c];
        for (int s = 0; s < batch.samples(); s++) {
            System.arraycopy(LifNetwork.forward(state.params(), batch, s), 0, out, s * c, c);
        }
        return out;
    }

    @Override
    public void update(Generation g, float[] shapedFitness, int effectivePopulation, float learningRate) {
        ModelState st = loaded();
        Definition.update(st.params(), st.optimizer(), st.optimizerState(), g, shapedFitness, effectivePopulation,
                learningRate);
    }

    @Override
    public void close() {
        state = null;
    }
}
