package io.eggroll.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.backend.ModelState;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.schedule.ScheduleRecord;
import org.junit.jupiter.api.Test;

class CatchUpLogTest {

    private static final ModelState STATE = ModelState.fresh(Params.init(SnnConfig.of(4, 3), 1, 1f),
            OptimizerConfig.sgd(0.1f));

    private static ScheduleRecord record(int generation) {
        return new ScheduleRecord(generation, 2, 1, 0.1f, 0.1f, generation + 1, 2, new float[] {0.5f, -0.5f});
    }

    @Test
    void joinersReplayFromTheBaseAndPruningKeepsWhatAReplicaStillNeeds() {
        CatchUpLog log = new CatchUpLog();
        log.reset(STATE, 0);
        for (int g = 0; g < 5; g++) {
            log.add(record(g));
        }
        assertThat(log.sinceBase(5)).extracting(ScheduleRecord::generation).containsExactly(0, 1, 2, 3, 4);

        log.rebase(STATE, 4);
        log.prune(2); // a replica still lacks generation 2 onwards
        assertThat(log.between(2, 5)).extracting(ScheduleRecord::generation).containsExactly(2, 3, 4);
        assertThatThrownBy(() -> log.between(1, 3)).hasMessageContaining("[1, 3) are not all held (1 of 2)");
        assertThat(log.sinceBase(5)).extracting(ScheduleRecord::generation).containsExactly(4);
        assertThat(log.baseGeneration()).isEqualTo(4);

        log.prune(Integer.MAX_VALUE); // no replica: only joiners, from the base
        assertThatThrownBy(() -> log.between(3, 4)).hasMessageContaining("not all held");

        log.reset(STATE, 7);
        assertThat(log.sinceBase(7)).isEmpty();
        assertThatThrownBy(() -> log.between(4, 5)).hasMessageContaining("not all held");
    }
}
