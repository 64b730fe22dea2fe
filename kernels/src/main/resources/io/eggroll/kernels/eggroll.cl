/*
 * eggroll.cl - the OpenCL program of the opencl backend (hw-targets/opencl).
 *
 * Kernels (docs/ENGINE.md gives the math and the float operation order they follow):
 *   egg_base        base current of layer 1, x W0 + b0, once per generation for all members
 *   egg_evaluate    the fused kernel: one work-group per (member, sample), looping over time
 *                   steps and layers; generates factor rows from Philox where needed, adds the
 *                   rank-r term (s sigma/sqrt r)(x A) B^T, does the LIF step and the readout
 *                   (spike count + final v / theta, or the mean membrane)
 *   egg_cat_a       A_cat of a block of pairs (m x kn r), zero where the pair weight is zero
 *   egg_cat_b       B_cat of a block of pairs (kn r x n), each row scaled by its pair weight
 *   egg_lowrank_acc G += A_cat B_cat (one rank-(kn r) product per block of pairs)
 *   egg_noise_sum   G = sum_k d_k E_k (full-rank weights) or g_b = sum_k d_k e_k (biases)
 *   egg_optimizer   theta <- optimizer(theta, scale * G): SGD, momentum or Adam (es/Optimizer.java)
 *   egg_noise_dump  element values of a noise stream (conformance: same bits as rng.Noise)
 *
 * Build options the host passes: -cl-std=CL1.2 -DEGG_LWS=<work-group size of egg_evaluate>
 * (and -cl-fp32-correctly-rounded-divide-sqrt where the device supports it). Offline compilers
 * for FPGAs take the same file with -I pointing at this directory (hw-targets/opencl/README.md).
 */
#pragma OPENCL FP_CONTRACT OFF

#include "eggroll_rng.h"
#include "eggroll_lif.h"

#ifndef EGG_LWS
#define EGG_LWS 64
#endif

#define EGG_MODE_NONE 0
#define EGG_MODE_EGGROLL 1
#define EGG_MODE_FULL 2

/* Per-layer network layout: m, n, weight offset, bias offset (floats into the params buffer). */
#define EGG_LAYOUT_M(lay, l) ((lay)[4 * (l)])
#define EGG_LAYOUT_N(lay, l) ((lay)[4 * (l) + 1])
#define EGG_LAYOUT_W(lay, l) ((uint)(lay)[4 * (l) + 2])
#define EGG_LAYOUT_B(lay, l) ((uint)(lay)[4 * (l) + 3])

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
 * One work-group per (member, sample): group g of a launch is member firstMember + g / samples,
 * sample g % samples. Work-item lid owns neurons j = lid, lid + EGG_LWS, ... of every layer, so
 * its membrane potentials and readout slots are touched by no one else. Between layers the group
 * compacts the spike flags into an increasing index list (the next layer's active inputs).
 * scratchV holds vStride floats per group (all layers' v), scratchI 2 * listStride ints (flags,
 * list); both are state, not factors.
 */
__kernel __attribute__((reqd_work_group_size(EGG_LWS, 1, 1)))
void egg_evaluate(__global const float *params, __global const int *layout, int layers,
                  __global const float *base0, __global const int *offsets, __global const int *indices,
                  int samples, int steps,
                  ulong seed, uint generation, int mode, int rank, int gaussian, int biasNoise,
                  float sigmaR, float sigma, float decay, float threshold, int membrane,
                  int firstMember, int outFirstMember,
                  __global float *scratchV, __global int *scratchI, int vStride, int listStride,
                  __global float *out, __local float *u) {
  int group = (int)get_group_id(0);
  int lid = (int)get_local_id(0);
  int member = firstMember + group / samples;
  int s = group % samples;
  uint pair = (uint)member >> 1;
  float sg = (member & 1) ? -1.0f : 1.0f;
  float ss = sg * sigmaR;
  float sb = sg * sigma;
  int classes = EGG_LAYOUT_N(layout, layers - 1);
  __global float *v = scratchV + (size_t)group * (size_t)vStride;
  __global int *flags = scratchI + (size_t)group * (size_t)(2 * listStride);
  __global int *list = flags + listStride;
  __global float *score = out + ((size_t)(member - outFirstMember) * (size_t)samples + (size_t)s) * (size_t)classes;
  __local int listCount;

  int vOff = 0;
  for (int l = 0; l < layers; l++) {
    int n = EGG_LAYOUT_N(layout, l);
    for (int j = lid; j < n; j += EGG_LWS) {
      v[vOff + j] = 0.0f;
    }
    vOff += n;
  }
  for (int j = lid; j < classes; j += EGG_LWS) {
    score[j] = 0.0f;
  }
  int n0 = EGG_LAYOUT_N(layout, 0);

  for (int t = 0; t < steps; t++) {
    int frame = s * steps + t;
    __global const int *active = indices + offsets[frame];
    int count = offsets[frame + 1] - offsets[frame];
    vOff = 0;
    for (int l = 0; l < layers; l++) {
      int n = EGG_LAYOUT_N(layout, l);
      uint wOff = EGG_LAYOUT_W(layout, l);
      uint bOff = EGG_LAYOUT_B(layout, l);
      int last = l == layers - 1;
      if (mode == EGG_MODE_EGGROLL) {
        /* u = x A: thread q sums A[a][q] over the active inputs in increasing order. */
        uint streamA = EGG_STREAM(l, EGG_KIND_A);
        for (int q = lid; q < rank; q += EGG_LWS) {
          float acc = 0.0f;
          for (int k = 0; k < count; k++) {
            acc += egg_noise(seed, pair, generation, streamA, gaussian, (uint)active[k] * (uint)rank + (uint)q);
          }
          u[q] = acc;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
      }
      for (int j = lid; j < n; j += EGG_LWS) {
        float cur;
        if (l == 0) {
          cur = base0[(size_t)frame * (size_t)n0 + (size_t)j];
        } else {
          cur = params[bOff + j];
          for (int k = 0; k < count; k++) {
            cur += params[wOff + (uint)active[k] * (uint)n + (uint)j];
          }
        }
        if (mode == EGG_MODE_EGGROLL) {
          float p = egg_expand(seed, pair, generation, EGG_STREAM(l, EGG_KIND_B), gaussian, (uint)j, rank, u);
          cur = cur + ss * p;
        } else if (mode == EGG_MODE_FULL) {
          uint streamE = EGG_STREAM(l, EGG_KIND_FULL);
          float p = 0.0f;
          for (int k = 0; k < count; k++) {
            p += egg_noise(seed, pair, generation, streamE, gaussian, (uint)active[k] * (uint)n + (uint)j);
          }
          cur = cur + ss * p;
        }
        if (mode != EGG_MODE_NONE && biasNoise) {
          cur = cur + sb * egg_noise(seed, pair, generation, EGG_STREAM(l, EGG_KIND_BIAS), gaussian, (uint)j);
        }
        if (last && membrane) {
          float vj = egg_lif_integrate(v[vOff + j], cur, decay);
          v[vOff + j] = vj;
          score[j] += vj;
        } else {
          float vj = v[vOff + j];
          int spike = egg_lif_step(&vj, cur, decay, threshold);
          v[vOff + j] = vj;
          if (last) {
            if (spike) {
              score[j] += 1.0f;
            }
          } else {
            flags[j] = spike;
          }
        }
      }
      if (!last) {
        barrier(CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE);
        if (lid == 0) {
          int c = 0;
          for (int j = 0; j < n; j++) {
            if (flags[j]) {
              list[c++] = j;
            }
          }
          listCount = c;
        }
        barrier(CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE);
        active = list;
        count = listCount;
      }
      vOff += n;
    }
    /* u and the list are rewritten next step: every work-item must be done reading them. */
    barrier(CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE);
  }
  /* Spike counts get the final membrane residue, count + v_T / theta (docs/ENGINE.md). */
  __global const float *vLast = v + (vOff - classes);
  for (int j = lid; j < classes; j += EGG_LWS) {
    score[j] = membrane ? score[j] / (float)steps : score[j] + vLast[j] / threshold;
  }
}

/* aCat[i][kk r + c] = A_k[i][c] for the pairs k = pairBase + kk with d_k != 0, else 0. */
__kernel void egg_cat_a(ulong seed, uint generation, uint stream, int gaussian, int pairBase, int kn, int rank,
                        int m, __global const float *d, __global float *aCat) {
  size_t id = get_global_id(0);
  if (id >= (size_t)kn * (size_t)m) {
    return;
  }
  int kk = (int)(id / (size_t)m);
  int i = (int)(id % (size_t)m);
  int k = pairBase + kk;
  int q = kn * rank;
  for (int c = 0; c < rank; c++) {
    float a = d[k] == 0.0f ? 0.0f
        : egg_noise(seed, (uint)k, generation, stream, gaussian, (uint)i * (uint)rank + (uint)c);
    aCat[(size_t)i * (size_t)q + (size_t)(kk * rank + c)] = a;
  }
}

/* bCat[kk r + c][j] = d_k B_k[j][c] for the pairs k = pairBase + kk with d_k != 0, else 0. */
__kernel void egg_cat_b(ulong seed, uint generation, uint stream, int gaussian, int pairBase, int kn, int rank,
                        int n, __global const float *d, __global float *bCat) {
  size_t id = get_global_id(0);
  if (id >= (size_t)kn * (size_t)n) {
    return;
  }
  int kk = (int)(id / (size_t)n);
  int j = (int)(id % (size_t)n);
  float dk = d[pairBase + kk];
  for (int c = 0; c < rank; c++) {
    float b = dk == 0.0f ? 0.0f
        : dk * egg_noise(seed, (uint)(pairBase + kk), generation, stream, gaussian, (uint)j * (uint)rank + (uint)c);
    bCat[(size_t)(kk * rank + c) * (size_t)n + (size_t)j] = b;
  }
}

/* G[i][j] += sum_c aCat[i][c] bCat[c][j], terms in column order, zero entries of aCat skipped. */
__kernel void egg_lowrank_acc(__global const float *aCat, __global const float *bCat, int q, int m, int n,
                              __global float *grad, uint gOff) {
  size_t id = get_global_id(0);
  if (id >= (size_t)m * (size_t)n) {
    return;
  }
  int i = (int)(id / (size_t)n);
  int j = (int)(id % (size_t)n);
  float acc = grad[gOff + id];
  for (int c = 0; c < q; c++) {
    float a = aCat[(size_t)i * (size_t)q + (size_t)c];
    if (a != 0.0f) {
      acc += a * bCat[(size_t)c * (size_t)n + (size_t)j];
    }
  }
  grad[gOff + id] = acc;
}

/*
 * G[e] = sum_k d_k N_k[e] over the pairs with d_k != 0, pairs in increasing order, where N_k is
 * pair k's full-rank noise stream: E_k of a weight layer or the bias noise e_k.
 */
__kernel void egg_noise_sum(ulong seed, uint generation, uint stream, int gaussian, int pairs,
                               __global const float *d, uint count, __global float *grad, uint gOff) {
  size_t id = get_global_id(0);
  if (id >= count) {
    return;
  }
  float acc = 0.0f;
  for (int k = 0; k < pairs; k++) {
    float dk = d[k];
    if (dk != 0.0f) {
      acc += dk * egg_noise(seed, (uint)k, generation, stream, gaussian, (uint)id);
    }
  }
  grad[gOff + id] = acc;
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
