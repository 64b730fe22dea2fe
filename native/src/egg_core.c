/*
 * egg_core.c - reference RNG, noise and the fixed-point network, compiled from the shared
 * headers in kernels/ so C, OpenCL and Java have one definition each of the math.
 */
#include "eggroll_native.h"
#include "egg_error.h"

#include <stdlib.h>
#include <string.h>

#include "eggroll_fixed.h"
#include "eggroll_rng.h"

#ifndef EGG_NATIVE_VERSION
#define EGG_NATIVE_VERSION "0.1.0"
#endif

void egg_native_philox4x32(int rounds, uint32_t *counter, uint32_t k0, uint32_t k1) {
  egg_philox4x32(rounds, counter, k0, k1);
}

void egg_native_philox_block(uint64_t seed, uint32_t block, uint32_t pair, uint32_t generation,
                             uint32_t stream, uint32_t *out) {
  egg_philox_block(seed, block, pair, generation, stream, out);
}

void egg_native_noise_fill(uint64_t seed, uint32_t pair, uint32_t generation, uint32_t stream,
                           int gaussian, uint32_t first, uint32_t count, float *out) {
  egg_noise_fill(seed, pair, generation, stream, gaussian, first, count, out);
}

int egg_native_fx_lif_step(int n, int32_t *u, int32_t *v, const int32_t *a, int du, int dv, int vth,
                           const int32_t *bias_mant, int bias_exp, int32_t *spikes) {
  return egg_fx_lif_step(n, u, v, a, du, dv, vth, bias_mant, bias_exp, spikes);
}

int egg_native_fx_run(int layers, const int32_t *sizes, const int32_t *weights, const int32_t *wexp,
                      const int32_t *bias, const int32_t *bias_exp, const int32_t *du, const int32_t *dv,
                      const int32_t *vth, int delay, int steps_in, int steps_total, const int32_t *offsets,
                      const int32_t *indices, uint8_t *raster, int32_t *u_out, int32_t *v_out) {
  if (layers < 1 || steps_in < 0 || steps_total < steps_in) {
    return egg_fail("egg_native_fx_run: invalid layers=%d steps_in=%d steps_total=%d", layers, steps_in,
                    steps_total);
  }
  int width = sizes[0];
  int neurons = 0;
  for (int l = 1; l <= layers; l++) {
    if (sizes[l] < 1) {
      return egg_fail("egg_native_fx_run: sizes[%d] = %d", l, sizes[l]);
    }
    width = sizes[l] > width ? sizes[l] : width;
    neurons += sizes[l];
  }
  int32_t *in = calloc((size_t)width, sizeof(int32_t));
  int32_t *out = calloc((size_t)width, sizeof(int32_t));
  int32_t *a = calloc((size_t)width, sizeof(int32_t));
  int32_t *buf = calloc((size_t)neurons, sizeof(int32_t)); /* Dense outputs waiting one step */
  if (!in || !out || !a || !buf) {
    free(in); free(out); free(a); free(buf);
    return egg_fail("egg_native_fx_run: out of memory");
  }
  memset(u_out, 0, (size_t)neurons * sizeof(int32_t));
  memset(v_out, 0, (size_t)neurons * sizeof(int32_t));
  memset(raster, 0, (size_t)steps_total * (size_t)neurons);
  for (int t = 0; t < steps_total; t++) {
    int count = 0;
    if (t < steps_in) {
      count = offsets[t + 1] - offsets[t];
      memcpy(in, indices + offsets[t], (size_t)count * sizeof(int32_t));
    }
    const int32_t *w = weights;
    const int32_t *b = bias;
    int base = 0;
    for (int l = 0; l < layers; l++) {
      int n = sizes[l + 1];
      if (delay) {
        /* The LIF sees the sum the Dense formed on the previous step; the Dense then takes this step's spikes. */
        memcpy(a, buf + base, (size_t)n * sizeof(int32_t));
        egg_fx_dense(w, n, in, count, wexp[l], buf + base);
      } else {
        egg_fx_dense(w, n, in, count, wexp[l], a);
      }
      count = egg_fx_lif_step(n, u_out + base, v_out + base, a, du[l], dv[l], vth[l], b, bias_exp[l], out);
      for (int k = 0; k < count; k++) {
        raster[(size_t)t * neurons + base + out[k]] = 1;
      }
      int32_t *swap = in;
      in = out;
      out = swap;
      w += (size_t)sizes[l] * n;
      b += n;
      base += n;
    }
  }
  free(in); free(out); free(a); free(buf);
  return 0;
}

const char *egg_native_version(void) {
  return "eggroll_native " EGG_NATIVE_VERSION " (" EGG_HDF5_VERSION_STRING ")";
}
