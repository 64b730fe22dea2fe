package io.eggroll.backend;

import io.eggroll.es.OptimizerConfig;
import io.eggroll.es.OptimizerState;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;

/** What a backend keeps resident between generations: the network and its optimizer. */
public record ModelState(SnnConfig network, Params params, OptimizerConfig optimizer, OptimizerState optimizerState) {

    public static ModelState fresh(Params params, OptimizerConfig optimizer) {
        return new ModelState(params.config(), params, optimizer, OptimizerState.zeros(optimizer, params.tensors()));
    }

    public ModelState copy() {
        return new ModelState(network, params.copy(), optimizer, optimizerState.copy());
    }
}
