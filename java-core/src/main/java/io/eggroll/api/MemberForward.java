package io.eggroll.api;

import io.eggroll.snn.SpikeBatch;

/**
 * One member's perturbed network as a function from input spikes to output scores: the forward
 * of {@code W + (s sigma / sqrt r) A B^T} computed as {@code x W + (s sigma / sqrt r) (x A) B^T},
 * with the low-rank factors {@code A}, {@code B} regenerated from the member's key. The perturbed
 * matrix is never formed. Each call starts from resting membranes; calls are independent and may
 * run on several threads at once.
 */
public interface MemberForward {

    /** The member this function runs. */
    Member member();

    /** The scores (one per output) of one sample: {@code frames[t]} lists the channels spiking at step t. */
    float[] apply(int[][] frames);

    /** The scores of sample {@code sample} of {@code batch}. */
    float[] apply(SpikeBatch batch, int sample);
}
