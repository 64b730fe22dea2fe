/** Counter-based randomness: Philox4x32-10 and the keyed noise streams built on it. */
package io.eggroll.rng;
