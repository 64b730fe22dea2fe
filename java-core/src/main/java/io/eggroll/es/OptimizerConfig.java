package io.eggroll.es;

/**
 * Optimizer hyper-parameters. SGD: {@code theta += lr * (g - weightDecay * theta)} with optional
 * momentum. Adam: the usual bias-corrected moments, ascending.
 */
public record OptimizerConfig(OptimizerKind kind, float learningRate, float momentum, float beta1, float beta2,
                              float epsilon, float weightDecay) {

    public static OptimizerConfig sgd(float lr) {
        return new OptimizerConfig(OptimizerKind.SGD, lr, 0f, 0.9f, 0.999f, 1e-8f, 0f);
    }

    public static OptimizerConfig adam(float lr) {
        return new OptimizerConfig(OptimizerKind.ADAM, lr, 0f, 0.9f, 0.999f, 1e-8f, 0f);
    }

    public OptimizerConfig {
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
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("optimizer.epsilon must be > 0, got " + epsilon);
        }
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("optimizer.weightDecay must be a finite number >= 0, got " + weightDecay);
        }
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
