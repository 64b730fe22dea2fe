package io.eggroll.es;

/**
 * Optimizer hyper-parameters, also the {@code optimizer} object of a training config. A decay with
 * {@code decaySteps} 0 decays over the run's generations; the training config resolves that.
 * SGD: {@code theta += lr * (g - weightDecay * theta)} with optional
 * momentum. Adam: the usual bias-corrected moments, ascending.
 */
public record OptimizerConfig(OptimizerKind kind, float learningRate, float momentum, float beta1, float beta2,
                              float epsilon, float weightDecay, LrDecay decay, int decaySteps) {

    /** Final fraction of the base rate under {@link LrDecay#COSINE}. */
    public static final double COSINE_FLOOR = 0.02;

    /** A constant learning rate. */
    public OptimizerConfig(OptimizerKind kind, float learningRate, float momentum, float beta1, float beta2,
                           float epsilon, float weightDecay) {
        this(kind, learningRate, momentum, beta1, beta2, epsilon, weightDecay, LrDecay.CONSTANT, 0);
    }

    public static OptimizerConfig sgd(float lr) {
        return new OptimizerConfig(OptimizerKind.SGD, lr, 0f, 0.9f, 0.999f, 1e-8f, 0f);
    }

    public static OptimizerConfig adam(float lr) {
        return new OptimizerConfig(OptimizerKind.ADAM, lr, 0f, 0.9f, 0.999f, 1e-8f, 0f);
    }

    public OptimizerConfig {
        if (kind == null) {
            throw new IllegalArgumentException("optimizer.kind must be ADAM or SGD, got null");
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("optimizer.learningRate must be a finite number > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("optimizer.momentum must lie in [0, 1), got " + momentum);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("optimizer.beta1 must lie in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("optimizer.beta2 must lie in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0) || !Float.isFinite(epsilon)) {
            throw new IllegalArgumentException("optimizer.epsilon must be a finite number > 0, got " + epsilon);
        }
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("optimizer.weightDecay must be a finite number >= 0, got " + weightDecay);
        }
        if (decay == null) {
            throw new IllegalArgumentException("optimizer.decay must be CONSTANT or COSINE, got null");
        }
        if (decaySteps < 0) {
            throw new IllegalArgumentException("optimizer.decaySteps must be >= 0 (0 = the run's generations), got "
                    + decaySteps);
        }
    }

    public OptimizerConfig withKind(OptimizerKind k) {
        return new OptimizerConfig(k, learningRate, momentum, beta1, beta2, epsilon, weightDecay, decay, decaySteps);
    }

    public OptimizerConfig withLearningRate(float lr) {
        return new OptimizerConfig(kind, lr, momentum, beta1, beta2, epsilon, weightDecay, decay, decaySteps);
    }

    public OptimizerConfig withDecay(LrDecay d) {
        return new OptimizerConfig(kind, learningRate, momentum, beta1, beta2, epsilon, weightDecay, d, decaySteps);
    }

    /** {@code steps} 0 stands for the run's generations (the training config fills it in). */
    public OptimizerConfig withDecaySteps(int steps) {
        return new OptimizerConfig(kind, learningRate, momentum, beta1, beta2, epsilon, weightDecay, decay, steps);
    }

    /**
     * The learning rate of 1-based step {@code t}, as the float every backend uses: the base rate,
     * or for cosine decay {@code lr (f + (1 - f) (1 + cos(pi min(1, (t-1)/steps))) / 2)} with
     * {@code f = 0.02}, computed in double and rounded once.
     */
    public float learningRateAt(long t) {
        if (decay == LrDecay.CONSTANT) {
            return learningRate;
        }
        if (decaySteps < 1) {
            throw new IllegalStateException("optimizer.decaySteps is 0 (the run's generations): resolve it "
                    + "(TrainConfig.optimizerConfig) before asking for a " + decay + " learning rate");
        }
        double frac = Math.min(1.0, (t - 1) / (double) decaySteps);
        return (float) (learningRate * (COSINE_FLOOR + (1 - COSINE_FLOOR) * 0.5 * (1 + StrictMath.cos(Math.PI * frac))));
    }

    /** Whether the optimizer keeps a first-moment (momentum) buffer. */
    public boolean usesFirstMoment() {
        return kind == OptimizerKind.ADAM || momentum > 0;
    }

    /** Whether the optimizer keeps a second-moment buffer. */
    public boolean usesSecondMoment() {
        return kind == OptimizerKind.ADAM;
    }
}
