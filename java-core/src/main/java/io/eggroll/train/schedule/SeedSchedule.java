package io.eggroll.train.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eggroll.es.EsMode;
import io.eggroll.rng.NoiseKind;
import io.eggroll.train.TrainConfig;
import java.util.Arrays;
import java.util.List;

/**
 * A run's seed schedule (docs/DESIGN.md section 6.4, docs/FORMATS.md section 5): a header naming the run and its initial
 * weights, then one {@link ScheduleRecord} per generation. Replaying the records with
 * {@code Backend.update} from the initial weights reproduces the trained weights bit for bit.
 *
 * <p>File layout ({@code runs/<name>/schedule.bin}, big-endian): magic {@code EGGSCHD1}; int
 * header length; the header as UTF-8 JSON; int CRC-32 of the header bytes; then per generation
 * an int body length, the body (int generation, int population, int rank, float sigma, float
 * learning rate, long optimizer step, int effective population, population floats of shaped
 * fitness) and an int CRC-32 of the body. {@link SeedScheduleWriter} appends, {@link
 * SeedScheduleReader} reads and names the generation where a damaged file breaks.
 *
 * @param header    what the records apply to
 * @param records   one per generation, consecutive from the first
 * @param byteSize  size of the encoded schedule in bytes
 */
public record SeedSchedule(Header header, List<ScheduleRecord> records, long byteSize) {

    public SeedSchedule {
        records = List.copyOf(records);
    }

    /** The last generation recorded, or -1 for an empty schedule. */
    public int lastGeneration() {
        return records.isEmpty() ? -1 : records.getLast().generation();
    }

    /**
     * The schedule header.
     *
     * @param seed                run seed: keys every factor of every generation
     * @param sizes               layer widths, input first
     * @param mode                EGGROLL or full rank
     * @param noise               the noise distribution
     * @param biasNoise           whether biases are perturbed and trained
     * @param initialParamsSha256 {@code Params.sha256()} of the weights before generation 0
     * @param initialOptimizerStep the optimizer step count of those weights (0 for a new run)
     * @param config              the run's full configuration (optimizer settings, precision)
     */
    public record Header(long seed, int[] sizes, EsMode mode, NoiseKind noise, boolean biasNoise,
                         String initialParamsSha256, long initialOptimizerStep, TrainConfig config) {

        public static final int FORMAT = 1;

        public Header {
            sizes = sizes.clone();
        }

        @Override
        public int[] sizes() {
            return sizes.clone();
        }

        /** The header of a run with the given configuration and initial weights. */
        public static Header of(TrainConfig config, int[] sizes, String initialParamsSha256, long initialOptimizerStep) {
            return new Header(config.seed, sizes, config.es.mode(), config.es.noise(), config.es.biasNoise(),
                    initialParamsSha256, initialOptimizerStep, config.copy());
        }

        String toJson() {
            ObjectMapper om = TrainConfig.mapper();
            ObjectNode o = om.createObjectNode();
            o.put("format", FORMAT);
            o.put("seed", seed);
            o.putPOJO("sizes", sizes);
            o.put("mode", mode.name());
            o.put("noise", noise.name());
            o.put("biasNoise", biasNoise);
            o.put("initialParamsSha256", initialParamsSha256);
            o.put("initialOptimizerStep", initialOptimizerStep);
            try {
                o.set("config", om.readTree(config.toJson()));
                return om.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(o);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Header fromJson(String json, String source) {
            try {
                ObjectMapper om = TrainConfig.mapper();
                JsonNode o = om.readTree(json);
                int format = o.path("format").asInt(-1);
                if (format != FORMAT) {
                    throw new ScheduleFormatException(source + ": unsupported schedule format " + format + " (expected "
                            + FORMAT + ")");
                }
                return new Header(require(o, "seed", source).asLong(), om.treeToValue(require(o, "sizes", source), int[].class),
                        EsMode.valueOf(require(o, "mode", source).asText()),
                        NoiseKind.valueOf(require(o, "noise", source).asText()), require(o, "biasNoise", source).asBoolean(),
                        require(o, "initialParamsSha256", source).asText(),
                        require(o, "initialOptimizerStep", source).asLong(),
                        TrainConfig.fromJson(require(o, "config", source).toString(), source + " (config)"));
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw new ScheduleFormatException(source + ": unreadable schedule header: " + e.getMessage());
            }
        }

        private static JsonNode require(JsonNode o, String field, String source) {
            JsonNode n = o.get(field);
            if (n == null || n.isNull()) {
                throw new ScheduleFormatException(source + ": schedule header lacks '" + field + "'");
            }
            return n;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Header h && seed == h.seed && Arrays.equals(sizes, h.sizes) && mode == h.mode
                    && noise == h.noise && biasNoise == h.biasNoise && initialParamsSha256.equals(h.initialParamsSha256)
                    && initialOptimizerStep == h.initialOptimizerStep && config.toJson().equals(h.config.toJson());
        }

        @Override
        public int hashCode() {
            return Long.hashCode(seed) * 31 + Arrays.hashCode(sizes) * 7 + initialParamsSha256.hashCode();
        }

        @Override
        public String toString() {
            return "SeedSchedule.Header(seed=" + seed + ", sizes=" + Arrays.toString(sizes) + ", " + mode + ", " + noise
                    + ", biasNoise=" + biasNoise + ", initial=" + initialParamsSha256 + ")";
        }
    }
}
