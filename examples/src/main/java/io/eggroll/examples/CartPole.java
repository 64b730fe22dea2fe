package io.eggroll.examples;

import java.util.SplittableRandom;

/**
 * The classic cart-pole balancing task (Barto, Sutton and Anderson 1983), in the form of OpenAI
 * Gym's CartPole-v0: a pole hinged on a cart that moves on a track; each step pushes the cart left
 * or right with 10 N. An episode ends when the pole leans more than 12 degrees, the cart leaves
 * the track ({@code |x| > 2.4 m}) or after 200 steps; every step the pole stays up earns 1.
 * Euler integration with {@code tau = 0.02 s}; the state starts uniform in {@code [-0.05, 0.05]}.
 */
public final class CartPole {

    static final double GRAVITY = 9.8;
    static final double CART_MASS = 1.0;
    static final double POLE_MASS = 0.1;
    static final double TOTAL_MASS = CART_MASS + POLE_MASS;
    static final double HALF_LENGTH = 0.5;
    static final double POLE_MASS_LENGTH = POLE_MASS * HALF_LENGTH;
    static final double FORCE = 10.0;
    static final double TAU = 0.02;
    /** The pole angle that ends an episode: 12 degrees. */
    public static final double THETA_LIMIT = 12 * 2 * Math.PI / 360;
    /** The cart position that ends an episode. */
    public static final double X_LIMIT = 2.4;
    /** The length of an episode that never fails. */
    public static final int MAX_STEPS = 200;

    private double x;
    private double xDot;
    private double theta;
    private double thetaDot;

    /** A cart-pole in a random initial state drawn from {@code rnd}. */
    public CartPole(SplittableRandom rnd) {
        x = rnd.nextDouble(-0.05, 0.05);
        xDot = rnd.nextDouble(-0.05, 0.05);
        theta = rnd.nextDouble(-0.05, 0.05);
        thetaDot = rnd.nextDouble(-0.05, 0.05);
    }

    /** The state {@code (x, x', theta, theta')}. */
    public double[] state() {
        return new double[] {x, xDot, theta, thetaDot};
    }

    /** Pushes right ({@code action} 1) or left (0) for one step; returns whether the episode goes on. */
    public boolean step(int action) {
        double force = action == 1 ? FORCE : -FORCE;
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
        double thetaAcc = (GRAVITY * sin - cos * temp)
                / (HALF_LENGTH * (4.0 / 3.0 - POLE_MASS * cos * cos / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
        x += TAU * xDot;
        xDot += TAU * xAcc;
        theta += TAU * thetaDot;
        thetaDot += TAU * thetaAcc;
        return Math.abs(x) <= X_LIMIT && Math.abs(theta) <= THETA_LIMIT;
    }

    /** A policy: the action for a state. */
    @FunctionalInterface
    public interface Policy {
        /** 1 to push right, 0 to push left. */
        int act(double[] state);
    }

    /** The return of one episode (the steps survived, at most 200) from {@code rnd}'s initial state. */
    public static int episode(Policy policy, SplittableRandom rnd) {
        CartPole env = new CartPole(rnd);
        int ret = 0;
        while (ret < MAX_STEPS) {
            ret++;
            if (!env.step(policy.act(env.state()))) {
                break;
            }
        }
        return ret;
    }
}
