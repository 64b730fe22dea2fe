/*
 * eggroll.cl - the OpenCL program of the opencl backend (hw-targets/opencl).
 *
 * Kernels (docs/ENGINE.md gives the math and the float operation order they follow):
 *   egg_base        base current of layer 1, x W0 + b0, once per generation for all members
 *   egg_factor      materialises one factor stream (A, B^T, E or bias noise) of a range of pairs
 *                   in device memory, one Philox block per work-item
 *   egg_evaluate    the fused kernel: one work-group per (pair, sample), both members, looping
 *                   over time steps and layers; adds the rank-r term (s sigma/sqrt r)(x A) B^T
 *                   with factors read from memory or regenerated from Philox, does the LIF step,
 *                   compacts spike lists with a work-group prefix sum, and the readout (spike
 *                   count + final v / theta, or the mean membrane)
 *   egg_scale_b     d_k B_k^T of a chunk of pairs (B_cat of the update)
 *   egg_lowrank     G += A_cat diag(d) B_cat^T over a chunk of pairs
 *   egg_noise_sum   G += sum_k d_k E_k (full-rank weights) or g_b += sum_k d_k e_k (biases)
 *   egg_optimizer   theta <- optimizer(theta, scale * G): SGD, momentum or Adam (es/Optimizer.java)
 *   egg_noise_dump  element values of a noise stream (conformance: same bits as rng.Noise)
 *   egg_build_info  the EGG_LWS and EGG_VEC this program was built with (read by the host)
 *
 * Build options the host passes: -cl-std=CL1.2 -DEGG_LWS=<work-group size of egg_evaluate>
 * -DEGG_VEC=<neurons per work-item step: 1, or 2, 4, 8, 16 for explicit vectors on CPUs> (and
 * -cl-fp32-correctly-rounded-divide-sqrt where the device supports it). Offline compilers for
 * FPGAs take the same file with -I pointing at this directory (hw-targets/opencl/README.md).
 *
 * Vectors change no bits: a floatN operation rounds each lane exactly as the scalar operation,
 * and contraction stays off.
 */
#pragma OPENCL FP_CONTRACT OFF

#include "eggroll_rng.h"
#include "eggroll_lif.h"

#ifndef EGG_LWS
#define EGG_LWS 64
#endif
#ifndef EGG_VEC
#define EGG_VEC 1
#endif

#if EGG_VEC > 1
#define EGG_CAT2(a, b) a##b
#define EGG_CAT(a, b) EGG_CAT2(a, b)
typedef EGG_CAT(float, EGG_VEC) eggv;
typedef EGG_CAT(int, EGG_VEC) eggvi;
#define EGG_VLOAD(p) EGG_CAT(vload, EGG_VEC)(0, (p))
#define EGG_VSTORE(x, p) EGG_CAT(vstore, EGG_VEC)((x), 0, (p))
#endif

#define EGG_MODE_NONE 0
#define EGG_MODE_EGGROLL 1
#define EGG_MODE_FULL 2

/* Per-layer network layout: m, n, weight offset, bias offset (floats into the params buffer). */
#define EGG_LAYOUT_M(lay, l) ((lay)[4 * (l)])
#define EGG_LAYOUT_N(lay, l) ((lay)[4 * (l) + 1])
#define EGG_LAYOUT_W(lay, l) ((uint)(lay)[4 * (l) + 2])
#define EGG_LAYOUT_B(lay, l) ((uint)(lay)[4 * (l) + 3])

/*
 * The input current of a member (docs/ENGINE.md): I = base + (s sigma_r) p, then + (s sigma) e
 * with bias noise; sp = (s sigma_r) p and se = (s sigma) e. Type-generic (float or floatN).
 */
#define EGG_CURRENT(mode, biasNoise, base, sp, se) \
  ((mode) == EGG_MODE_NONE ? (base) : (biasNoise) ? ((base) + (sp)) + (se) : (base) + (sp))

/*
 * Materialised factors: pair kk of a chunk owns pairStride floats from kk pairStride; in them,
 * per layer l, EGG_FACTOR_W (A, m x r in stream order, or full rank's E, m x n), EGG_FACTOR_B
 * (B transposed, r x n: bt[q n + j] = B[j][q]) and EGG_FACTOR_E (bias noise, n) are offsets.
 */
#define EGG_FACTOR_W(fl, l) ((fl)[3 * (l)])
#define EGG_FACTOR_B(fl, l) ((fl)[3 * (l) + 1])
#define EGG_FACTOR_E(fl, l) ((fl)[3 * (l) + 2])

__kernel void egg_build_info(__global float *out) {
  out[0] = (float)EGG_LWS;
  out[1] = (float)EGG_VEC;
}

/* p_j = sum_q u_q B[j][q] (r = 1: u_0 B[j][0]); B[j][q] is element j r + q of the B stream. */
inline float egg_expand(ulong seed, uint pair, uint generation, uint stream, int gaussian, uint row, int r,
                        __local const float *u) {
  uint w[4];
  uint shift = gaussian ? 3u : 7u;
  uint first = row * (uint)r;
  egg_philox_block(seed, first >> shift, pair, generation, stream, w);
  if (r == 1) {
    return u[0] * egg_noise_from_block(gaussian, w, first);
  }
  uint cached = first >> shift;
  float acc = 0.0f;
  for (int q = 0; q < r; q++) {
    uint e = first + (uint)q;
    if ((e >> shift) != cached) {
      cached = e >> shift;
      egg_philox_block(seed, cached, pair, generation, stream, w);
    }
    acc += u[q] * egg_noise_from_block(gaussian, w, e);
  }
  return acc;
}

/* The same p_j from a materialised B^T (r x n, row q contiguous). */
inline float egg_expand_t(__global const float *bt, uint n, uint j, int r, __local const float *u) {
  if (r == 1) {
    return u[0] * bt[j];
  }
  float acc = 0.0f;
  for (int q = 0; q < r; q++) {
    acc += u[q] * bt[(uint)q * n + j];
  }
  return acc;
}

/*
 * sum over the active inputs a (increasing) of element a * stride + col of a factor stream: u_q of
 * x A (stride r, col q) or p_j of x E (stride n, col j). From the materialised factor `mat` (same
 * element order), or from Philox when materialised is 0.
 */
inline float egg_gather(__global const float *mat, int materialised, ulong seed, uint pair, uint generation,
                        uint stream, int gaussian, __global const int *active, int count, uint stride, uint col) {
  float acc = 0.0f;
  if (materialised) {
    for (int k = 0; k < count; k++) {
      acc += mat[(uint)active[k] * stride + col];
    }
  } else {
    for (int k = 0; k < count; k++) {
      acc += egg_noise(seed, pair, generation, stream, gaussian, (uint)active[k] * stride + col);
    }
  }
  return acc;
}

__kernel void egg_base(__global const float *params, uint wOff, uint bOff, int n,
                       __global const int *offsets, __global const int *indices, int frames,
                       __global float *base) {
  size_t id = get_global_id(0);
  if (id >= (size_t)frames * (size_t)n) {
    return;
  }
  int f = (int)(id / (size_t)n);
  int j = (int)(id % (size_t)n);
  float cur = params[bOff + j];
  for (int k = offsets[f]; k < offsets[f + 1]; k++) {
    cur += params[wOff + (uint)indices[k] * (uint)n + (uint)j];
  }
  base[id] = cur;
}

/*
 * Materialises elements [0, count) of one factor stream for the pairs firstPair + kk, kk < pairs:
 * one work-item per Philox block (8 Gaussian or 128 Rademacher values). Element e goes to
 * factors[kk pairStride + off + e]; with cols > 0 the stream is a (count / cols) x cols matrix
 * (B: n x r) stored transposed, element e = j cols + q at q (count / cols) + j.
 */
__kernel void egg_factor(ulong seed, uint generation, uint stream, int gaussian, int firstPair, int pairs,
                         uint count, uint cols, __global float *factors, uint pairStride, uint off) {
  size_t id = get_global_id(0);
  uint per = gaussian ? EGG_GAUSS_PER_BLOCK : EGG_SIGNS_PER_BLOCK;
  uint blocks = (count + per - 1u) / per;
  if (id >= (size_t)pairs * (size_t)blocks) {
    return;
  }
  uint kk = (uint)(id / blocks);
  uint block = (uint)(id % blocks);
  uint w[4];
  egg_philox_block(seed, block, (uint)firstPair + kk, generation, stream, w);
  __global float *dst = factors + (size_t)kk * (size_t)pairStride + off;
  uint first = block * per;
  uint last = min(count, first + per);
  uint rows = cols > 0u ? count / cols : 0u;
  for (uint e = first; e < last; e++) {
    float x = egg_noise_from_block(gaussian, w, e);
    dst[cols > 0u ? (e % cols) * rows + e / cols : e] = x;
  }
}

/*
 * Spike-list compaction for the mc members of a work-group: list_h = the increasing indices j < n
 * with flags_h[j] != 0 (member h's flags at flags + h stride, its list at list + h stride). Work-item
 * lid counts the flags of its contiguous chunk, an inclusive Hillis-Steele scan over the work-group
 * in local memory gives each chunk its first position, then each work-item writes its chunk. Every
 * work-item calls it; afterwards scan[h EGG_LWS + EGG_LWS - 1] is member h's spike count.
 */
inline void egg_compact(__global const int *flags, __global int *list, int stride, int mc, int n, int lid,
                        __local int *scan) {
  int chunk = (n + EGG_LWS - 1) / EGG_LWS;
  int lo = min(n, lid * chunk);
  int hi = min(n, lo + chunk);
  int c0 = 0;
  int c1 = 0;
  for (int j = lo; j < hi; j++) {
    c0 += flags[j] != 0;
  }
  if (mc > 1) {
    for (int j = lo; j < hi; j++) {
      c1 += flags[stride + j] != 0;
    }
  }
  scan[lid] = c0;
  scan[EGG_LWS + lid] = c1;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int off = 1; off < EGG_LWS; off <<= 1) {
    int t0 = lid >= off ? scan[lid - off] : 0;
    int t1 = lid >= off ? scan[EGG_LWS + lid - off] : 0;
    barrier(CLK_LOCAL_MEM_FENCE);
    scan[lid] += t0;
    scan[EGG_LWS + lid] += t1;
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  int pos = scan[lid] - c0;
  for (int j = lo; j < hi; j++) {
    if (flags[j]) {
      list[pos++] = j;
    }
  }
  if (mc > 1) {
    pos = scan[EGG_LWS + lid] - c1;
    for (int j = lo; j < hi; j++) {
      if (flags[stride + j]) {
        list[stride + pos++] = j;
      }
    }
  }
  barrier(CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE);
}

/*
 * One work-group per (pair, sample): group g of a launch is pair firstPair + g / samples, sample
 * g % samples, and runs the pair's mc members together (mc = 2: members 2 pair (+) and 2 pair + 1
 * (-); mc = 1 for plain inference, mode NONE). Layer 1 sees the same input for both members, so its
 * x A and x A B^T (or x E) are formed once per pair and only the sign differs. Work-item lid owns
 * the strips of EGG_VEC neurons j0 = lid EGG_VEC, (lid + EGG_LWS) EGG_VEC, ... of every layer and
 * member; a strip is done with floatN operations when it is whole and the factors are in memory,
 * else neuron by neuron. Between layers the group compacts each member's spike flags into an
 * increasing index list with a work-group prefix sum (egg_compact).
 *
 * Factors: with materialised != 0 they are read from the pair's block of `factors` (written by
 * egg_factor, offsets in flayout), else generated from Philox where they are needed: the same
 * values, so the same bits. scratchV holds mc vStride floats per group (all layers' v),
 * scratchI 2 mc listStride ints (flags, then lists); both are state.
 */
__kernel __attribute__((reqd_work_group_size(EGG_LWS, 1, 1)))
void egg_evaluate(__global const float *params, __global const int *layout, int layers,
                  __global const float *base0, __global const int *offsets, __global const int *indices,
                  int samples, int steps,
                  ulong seed, uint generation, int mode, int rank, int gaussian, int biasNoise,
                  float sigmaR, float sigma, float decay, float threshold, int membrane,
                  int firstPair, int mc, int outFirstMember,
                  __global const float *factors, __global const uint *flayout, uint pairStride, int factorFirstPair,
                  int materialised,
                  __global float *scratchV, __global int *scratchI, int vStride, int listStride,
                  __global float *out, __local float *u) {
  __local int scan[2 * EGG_LWS];
  int group = (int)get_group_id(0);
  int lid = (int)get_local_id(0);
  int pair = firstPair + group / samples;
  int s = group % samples;
  uint upair = (uint)pair;
  int classes = EGG_LAYOUT_N(layout, layers - 1);
  size_t scoreStride = (size_t)samples * (size_t)classes;
  __global float *v = scratchV + (size_t)group * (size_t)(mc * vStride);
  __global int *flags = scratchI + (size_t)group * (size_t)(2 * mc * listStride);
  __global int *list = flags + mc * listStride;
  __global float *score = out + ((size_t)(2 * pair - outFirstMember) * (size_t)samples + (size_t)s) * (size_t)classes;
  __global const float *fac = factors + (materialised ? (size_t)(pair - factorFirstPair) * (size_t)pairStride : 0);
  /* Whole strips go through floatN when no factor value has to come from Philox. */
  int vectorOk = EGG_VEC > 1 && (materialised || mode == EGG_MODE_NONE);

  for (int j = lid; j < mc * vStride; j += EGG_LWS) {
    v[j] = 0.0f;
  }
  for (int h = 0; h < mc; h++) {
    for (int j = lid; j < classes; j += EGG_LWS) {
      score[h * scoreStride + j] = 0.0f;
    }
  }
  int n0 = EGG_LAYOUT_N(layout, 0);
  int vOff = 0;

  for (int t = 0; t < steps; t++) {
    int frame = s * steps + t;
    __global const int *active0 = indices + offsets[frame];
    int count0 = offsets[frame + 1] - offsets[frame];
    __global const int *active1 = active0;
    int count1 = count0;
    vOff = 0;
    for (int l = 0; l < layers; l++) {
      int n = EGG_LAYOUT_N(layout, l);
      uint wOff = EGG_LAYOUT_W(layout, l);
      uint bOff = EGG_LAYOUT_B(layout, l);
      int last = l == layers - 1;
      int shared = l == 0; /* both members see the network input */
      __global const float *fw = fac + (materialised ? EGG_FACTOR_W(flayout, l) : 0u);
      __global const float *fb = fac + (materialised ? EGG_FACTOR_B(flayout, l) : 0u);
      __global const float *fe = fac + (materialised ? EGG_FACTOR_E(flayout, l) : 0u);
      if (mode == EGG_MODE_EGGROLL) {
        /* u = x A per distinct input: work-item (h, q) sums A[a][q] over h's active inputs in increasing order. */
        uint streamA = EGG_STREAM(l, EGG_KIND_A);
        int distinct = shared ? 1 : mc;
        for (int idx = lid; idx < distinct * rank; idx += EGG_LWS) {
          int h = idx >= rank;
          u[idx] = egg_gather(fw, materialised, seed, upair, generation, streamA, gaussian, h ? active1 : active0,
                              h ? count1 : count0, (uint)rank, (uint)(idx - h * rank));
        }
        barrier(CLK_LOCAL_MEM_FENCE);
      }
      for (int j0 = lid * EGG_VEC; j0 < n; j0 += EGG_LWS * EGG_VEC) {
#if EGG_VEC > 1
        if (vectorOk && j0 + EGG_VEC <= n) {
          eggv e = (eggv)(0.0f);
          if (mode != EGG_MODE_NONE && biasNoise) {
            e = EGG_VLOAD(fe + j0);
          }
          eggv base = (eggv)(0.0f);
          eggv p = (eggv)(0.0f);
          for (int h = 0; h < mc; h++) {
            if (h == 0 || !shared) {
              __global const int *active = h ? active1 : active0;
              int count = h ? count1 : count0;
              if (l == 0) {
                base = EGG_VLOAD(base0 + (size_t)frame * (size_t)n0 + (size_t)j0);
              } else {
                base = EGG_VLOAD(params + bOff + j0);
                for (int k = 0; k < count; k++) {
                  base += EGG_VLOAD(params + wOff + (uint)active[k] * (uint)n + (uint)j0);
                }
              }
              if (mode == EGG_MODE_EGGROLL) {
                __local const float *uh = u + h * rank;
                if (rank == 1) {
                  p = uh[0] * EGG_VLOAD(fb + j0);
                } else {
                  p = (eggv)(0.0f);
                  for (int q = 0; q < rank; q++) {
                    p += uh[q] * EGG_VLOAD(fb + (uint)q * (uint)n + (uint)j0);
                  }
                }
              } else if (mode == EGG_MODE_FULL) {
                p = (eggv)(0.0f);
                for (int k = 0; k < count; k++) {
                  p += EGG_VLOAD(fw + (uint)active[k] * (uint)n + (uint)j0);
                }
              }
            }
            eggv cur = EGG_CURRENT(mode, biasNoise, base, (h ? -sigmaR : sigmaR) * p, (h ? -sigma : sigma) * e);
            __global float *vh = v + h * vStride + vOff + j0;
            __global float *sh = score + h * scoreStride + j0;
            eggv vj = EGG_LIF_MEMBRANE(EGG_VLOAD(vh), cur, decay);
            if (last && membrane) {
              EGG_VSTORE(vj, vh);
              EGG_VSTORE(EGG_VLOAD(sh) + vj, sh);
            } else {
              eggvi spike = EGG_LIF_SPIKES(vj, threshold);
              EGG_VSTORE(select(vj, (eggv)(0.0f), spike), vh);
              if (last) {
                /* + 0 leaves a count (>= +0) unchanged, so this is the scalar "if (spike) += 1". */
                EGG_VSTORE(EGG_VLOAD(sh) + select((eggv)(0.0f), (eggv)(1.0f), spike), sh);
              } else {
                EGG_VSTORE(spike, flags + h * listStride + j0);
              }
            }
          }
          continue;
        }
#endif
        for (int j = j0; j < min(n, j0 + EGG_VEC); j++) {
          float e = 0.0f;
          if (mode != EGG_MODE_NONE && biasNoise) {
            e = materialised ? fe[j] : egg_noise(seed, upair, generation, EGG_STREAM(l, EGG_KIND_BIAS), gaussian, (uint)j);
          }
          float base = 0.0f;
          float p = 0.0f;
          for (int h = 0; h < mc; h++) {
            if (h == 0 || !shared) {
              __global const int *active = h ? active1 : active0;
              int count = h ? count1 : count0;
              if (l == 0) {
                base = base0[(size_t)frame * (size_t)n0 + (size_t)j];
              } else {
                base = params[bOff + j];
                for (int k = 0; k < count; k++) {
                  base += params[wOff + (uint)active[k] * (uint)n + (uint)j];
                }
              }
              if (mode == EGG_MODE_EGGROLL) {
                p = materialised ? egg_expand_t(fb, (uint)n, (uint)j, rank, u + h * rank)
                                 : egg_expand(seed, upair, generation, EGG_STREAM(l, EGG_KIND_B), gaussian, (uint)j,
                                              rank, u + h * rank);
              } else if (mode == EGG_MODE_FULL) {
                p = egg_gather(fw, materialised, seed, upair, generation, EGG_STREAM(l, EGG_KIND_FULL), gaussian,
                               active, count, (uint)n, (uint)j);
              }
            }
            float cur = EGG_CURRENT(mode, biasNoise, base, (h ? -sigmaR : sigmaR) * p, (h ? -sigma : sigma) * e);
            __global float *vh = v + h * vStride + vOff;
            __global float *sh = score + h * scoreStride;
            if (last && membrane) {
              float vj = egg_lif_integrate(vh[j], cur, decay);
              vh[j] = vj;
              sh[j] += vj;
            } else {
              float vj = vh[j];
              int spike = egg_lif_step(&vj, cur, decay, threshold);
              vh[j] = vj;
              if (last) {
                if (spike) {
                  sh[j] += 1.0f;
                }
              } else {
                flags[h * listStride + j] = spike;
              }
            }
          }
        }
      }
      if (!last) {
        barrier(CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE);
        egg_compact(flags, list, listStride, mc, n, lid, scan);
        active0 = list;
        count0 = scan[EGG_LWS - 1];
        active1 = list + listStride;
        count1 = scan[2 * EGG_LWS - 1];
      }
      vOff += n;
    }
    /* u, scan and the lists are rewritten next step: every work-item must be done reading them. */
    barrier(CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE);
  }
  /* Spike counts get the final membrane residue, count + v_T / theta (docs/ENGINE.md). */
  for (int h = 0; h < mc; h++) {
    __global const float *vLast = v + h * vStride + (vOff - classes);
    __global float *sh = score + h * scoreStride;
    for (int j = lid; j < classes; j += EGG_LWS) {
      sh[j] = membrane ? sh[j] / (float)steps : sh[j] + vLast[j] / threshold;
    }
  }
}

/*
 * G[e] += sum_k d_k N_k[e] over the pairs k = firstPair + kk (kk < pairs) with d_k != 0, in
 * increasing order, where N_k is pair k's full-rank noise stream: E_k of a weight layer or the
 * bias noise e_k. From the materialised factors (pair kk's block, offset off) or from Philox.
 */
__kernel void egg_noise_sum(ulong seed, uint generation, uint stream, int gaussian, int firstPair, int pairs,
                            __global const float *d, uint count, __global float *grad, uint gOff,
                            __global const float *factors, uint pairStride, uint off, int materialised) {
  size_t id = get_global_id(0);
  if (id >= count) {
    return;
  }
  float acc = grad[gOff + id];
  for (int kk = 0; kk < pairs; kk++) {
    int k = firstPair + kk;
    float dk = d[k];
    if (dk != 0.0f) {
      float x = materialised ? factors[(size_t)kk * (size_t)pairStride + off + id]
                             : egg_noise(seed, (uint)k, generation, stream, gaussian, (uint)id);
      acc += dk * x;
    }
  }
  grad[gOff + id] = acc;
}

/*
 * dB[kk r + c][j] = d_k B_k[j][c] for the pairs k = firstPair + kk (kk < kn) of a chunk (B_k^T at
 * pair kk's block of the materialised factors, offset off), 0 where d_k = 0: B_cat of the update.
 */
__kernel void egg_scale_b(__global const float *factors, uint pairStride, uint off, int firstPair, int kn, int rank,
                          int n, __global const float *d, __global float *dB) {
  size_t id = get_global_id(0);
  size_t per = (size_t)rank * (size_t)n;
  if (id >= (size_t)kn * per) {
    return;
  }
  size_t kk = id / per;
  float dk = d[firstPair + (int)kk];
  dB[id] = dk == 0.0f ? 0.0f : dk * factors[kk * (size_t)pairStride + off + id % per];
}

/*
 * G[i][j] += sum over the chunk's pairs k with d_k != 0 (increasing) of sum_c A_k[i][c] dB[kk r + c][j]
 * (c increasing), A read from the materialised factors (offset off): the terms and order of the cpu
 * backend's A_cat diag(d) B_cat^T, whose zero columns (d_k = 0) it skips. Work-item (i, strip)
 * updates EGG_VEC consecutive j, with floatN operations when the strip is whole.
 */
__kernel void egg_lowrank(__global const float *factors, uint pairStride, uint off, int firstPair, int kn, int rank,
                          int m, int n, __global const float *d, __global const float *dB, __global float *grad,
                          uint gOff) {
  size_t id = get_global_id(0);
  size_t strips = ((size_t)n + EGG_VEC - 1) / EGG_VEC;
  if (id >= (size_t)m * strips) {
    return;
  }
  size_t i = id / strips;
  int j0 = (int)(id % strips) * EGG_VEC;
  size_t rn = (size_t)rank * (size_t)n;
  __global float *g = grad + gOff + i * (size_t)n;
  __global const float *ai = factors + off + i * (size_t)rank;
#if EGG_VEC > 1
  if (j0 + EGG_VEC <= n) {
    eggv acc = EGG_VLOAD(g + j0);
    for (int kk = 0; kk < kn; kk++) {
      if (d[firstPair + kk] != 0.0f) {
        __global const float *a = ai + (size_t)kk * (size_t)pairStride;
        __global const float *b = dB + (size_t)kk * rn + (size_t)j0;
        for (int c = 0; c < rank; c++) {
          acc += a[c] * EGG_VLOAD(b + (size_t)c * (size_t)n);
        }
      }
    }
    EGG_VSTORE(acc, g + j0);
    return;
  }
#endif
  for (int j = j0; j < min(n, j0 + EGG_VEC); j++) {
    float acc = g[j];
    for (int kk = 0; kk < kn; kk++) {
      if (d[firstPair + kk] != 0.0f) {
        __global const float *a = ai + (size_t)kk * (size_t)pairStride;
        __global const float *b = dB + (size_t)kk * rn + (size_t)j;
        for (int c = 0; c < rank; c++) {
          acc += a[c] * b[(size_t)c * (size_t)n];
        }
      }
    }
    g[j] = acc;
  }
}

/*
 * theta <- optimizer(theta, scale * G) for `count` elements from `off`, exactly as
 * io.eggroll.es.Optimizer.apply: kind 0 = SGD (momentum when mu > 0), 1 = Adam with the host's
 * float bias corrections c1 = 1 - b1^t, c2 = 1 - b2^t.
 */
__kernel void egg_optimizer(__global float *theta, __global const float *grad, __global float *m1,
                            __global float *m2, uint off, uint count, float scale, int kind, float lr, float wd,
                            float mu, float b1, float b2, float eps, float c1, float c2) {
  size_t id = get_global_id(0);
  if (id >= count) {
    return;
  }
  size_t i = off + id;
  float g = grad[i] * scale;
  if (kind == 0) {
    if (mu > 0.0f) {
      float dd = g - wd * theta[i];
      float mi = mu * m1[i] + dd;
      m1[i] = mi;
      theta[i] = theta[i] + lr * mi;
    } else {
      theta[i] = theta[i] + lr * (g - wd * theta[i]);
    }
    return;
  }
  float mi = b1 * m1[i] + (1.0f - b1) * g;
  float vi = b2 * m2[i] + (1.0f - b2) * g * g;
  m1[i] = mi;
  m2[i] = vi;
  float mh = mi / c1;
  float vh = vi / c2;
  theta[i] = theta[i] + lr * (mh / (sqrt(vh) + eps) - wd * theta[i]);
}

/* out[i] = element elements[i] of stream (pair, generation, stream): the conformance probe. */
__kernel void egg_noise_dump(ulong seed, uint pair, uint generation, uint stream, int gaussian,
                             __global const uint *elements, int count, __global float *out) {
  size_t id = get_global_id(0);
  if (id >= (size_t)count) {
    return;
  }
  out[id] = egg_noise(seed, pair, generation, stream, gaussian, elements[id]);
}
