/*
 * eggroll_fixed.h - the Loihi 2 fixed-point Dense + CUBA LIF step (Lava's bit-accurate models).
 *
 * Compiles as C99 (native/, via #include) and as OpenCL C 1.2, like eggroll_rng.h. The Java
 * port is io.eggroll.snn.fixed.FixedLif / FixedNetwork; the tests run both on random networks
 * and compare every spike and every state word.
 *
 * Arithmetic (docs/FORMATS.md sections 3.4 and 3.5; Lava PyLifModelBitAcc and Dense):
 *   Dense:  acc_j = sum over active inputs i (increasing) of w[i*n + j]         (int32 sum)
 *           a_j   = wexp >= 0 ? acc_j << wexp : acc_j >> -wexp                  (arithmetic)
 *   LIF:    p  = u * (4096 - (du + 1));  u = sign(p) * (|p| >> 12) + (a << 6)
 *           u  > 2^23 ? u -= 2^24 : (u <= -2^23 ? u += 2^24 : u)                 (one wrap)
 *           q  = v * (4096 - dv);        v = sign(q) * (|q| >> 12) + u + effBias
 *           v  = clamp(v, -(2^23 - 1), 2^23 - 1)
 *           spike = v > (vth << 6);  if spike: v = 0
 *   effBias = bias_exp >= 0 ? bias_mant << bias_exp : bias_mant >> -bias_exp
 * Products and sums are formed in 64 bits (Lava computes them in numpy int64 for the decays),
 * then the state is stored as a 32-bit word holding the 24-bit value.
 *
 * Weights are the effective integers a NetX file stores (even values in [-256, 254] for 8-bit
 * mixed-sign weights), laid out m x n row-major: row i holds the synapses of input i, the same
 * layout as the float weights of io.eggroll.snn.Params.
 */
#ifndef EGGROLL_FIXED_H
#define EGGROLL_FIXED_H

#ifdef __OPENCL_VERSION__
typedef int egg_i32;
typedef long egg_i64;
#define EGG_FX_INLINE inline
#define EGG_FX_GLOBAL __global
#else
#include <stdint.h>
typedef int32_t egg_i32;
typedef int64_t egg_i64;
#define EGG_FX_INLINE static inline
#define EGG_FX_GLOBAL
#endif

#define EGG_FX_DECAY_SHIFT 12
#define EGG_FX_DECAY_UNITY 4096
#define EGG_FX_VTH_SHIFT 6
#define EGG_FX_ACT_SHIFT 6
#define EGG_FX_DS_OFFSET 1
#define EGG_FX_DM_OFFSET 0
#define EGG_FX_MAX_UV 8388608 /* 2^23 */

/* sign(x) * (|x| >> 12): the decay's truncation toward zero. */
EGG_FX_INLINE egg_i64 egg_fx_decay(egg_i64 x, egg_i32 keep) {
  egg_i64 p = x * (egg_i64)keep;
  return p < 0 ? -((-p) >> EGG_FX_DECAY_SHIFT) : (p >> EGG_FX_DECAY_SHIFT);
}

/* A left shift for e >= 0, an arithmetic right shift (floor) for e < 0. */
EGG_FX_INLINE egg_i64 egg_fx_shift(egg_i64 x, egg_i32 e) {
  return e >= 0 ? x * ((egg_i64)1 << e) : (x >= 0 ? x >> (-e) : -(((-x) + ((egg_i64)1 << (-e)) - 1) >> (-e)));
}

/*
 * Dense: a[j] = shift(sum_{k < count} w[active[k] * n + j], wexp) for j < n.
 */
EGG_FX_INLINE void egg_fx_dense(const EGG_FX_GLOBAL egg_i32 *w, egg_i32 n, const egg_i32 *active,
                                egg_i32 count, egg_i32 wexp, egg_i32 *a) {
  for (egg_i32 j = 0; j < n; j++) {
    egg_i64 acc = 0;
    for (egg_i32 k = 0; k < count; k++) {
      acc += w[(egg_i64)active[k] * n + j];
    }
    a[j] = (egg_i32)egg_fx_shift(acc, wexp);
  }
}

/*
 * One CUBA LIF step for n neurons. u, v: state (in/out); a: the synaptic input of this step;
 * bias_mant: per neuron (NULL = 0). Writes the indices of the neurons that spiked, increasing,
 * into spikes and returns their number.
 */
EGG_FX_INLINE egg_i32 egg_fx_lif_step(egg_i32 n, egg_i32 *u, egg_i32 *v, const egg_i32 *a, egg_i32 du,
                                      egg_i32 dv, egg_i32 vth, const EGG_FX_GLOBAL egg_i32 *bias_mant,
                                      egg_i32 bias_exp, egg_i32 *spikes) {
  egg_i64 eff_vth = (egg_i64)vth << EGG_FX_VTH_SHIFT;
  egg_i32 count = 0;
  for (egg_i32 j = 0; j < n; j++) {
    egg_i64 uu = egg_fx_decay(u[j], EGG_FX_DECAY_UNITY - (du + EGG_FX_DS_OFFSET)) + (egg_i64)a[j] * (1 << EGG_FX_ACT_SHIFT);
    if (uu > EGG_FX_MAX_UV) {
      uu -= 2 * (egg_i64)EGG_FX_MAX_UV;
    } else if (uu <= -EGG_FX_MAX_UV) {
      uu += 2 * (egg_i64)EGG_FX_MAX_UV;
    }
    egg_i64 bias = bias_mant ? egg_fx_shift(bias_mant[j], bias_exp) : 0;
    egg_i64 vv = egg_fx_decay(v[j], EGG_FX_DECAY_UNITY - (dv + EGG_FX_DM_OFFSET)) + uu + bias;
    if (vv > EGG_FX_MAX_UV - 1) {
      vv = EGG_FX_MAX_UV - 1;
    } else if (vv < -(EGG_FX_MAX_UV - 1)) {
      vv = -(EGG_FX_MAX_UV - 1);
    }
    if (vv > eff_vth) {
      spikes[count++] = j;
      vv = 0;
    }
    u[j] = (egg_i32)uu;
    v[j] = (egg_i32)vv;
  }
  return count;
}

#endif /* EGGROLL_FIXED_H */
