/*
 * eggroll_native.h - the C API of libeggroll_native, the native bridge of eggroll-snn.
 *
 * Java calls these functions through the FFM API (io.eggroll.loihi.bridge.EggrollNative); every
 * argument is a plain integer, float or pointer so the binding stays one downcall per function.
 * Functions returning int report failure with a negative value and leave a message for
 * egg_native_last_error (per thread).
 *
 *   rng       reference Philox4x32-10 and noise streams (kernels/.../eggroll_rng.h)
 *   fixed     the Loihi 2 fixed-point Dense + CUBA LIF network (kernels/.../eggroll_fixed.h)
 *   hdf5      a minimal writer/reader over libhdf5 for the NetX and NIR exports
 */
#ifndef EGGROLL_NATIVE_H
#define EGGROLL_NATIVE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Library version and the libhdf5 version it was built with, e.g. "eggroll_native 0.1.0 (HDF5 1.10.8)". */
const char *egg_native_version(void);

/* Copies this thread's last error message (NUL-terminated, truncated to cap); returns its length. */
int egg_native_last_error(char *buf, int cap);

/* ---------------------------------------------------------------- rng */

void egg_native_philox4x32(int rounds, uint32_t *counter, uint32_t k0, uint32_t k1);
void egg_native_philox_block(uint64_t seed, uint32_t block, uint32_t pair, uint32_t generation,
                             uint32_t stream, uint32_t *out);
void egg_native_noise_fill(uint64_t seed, uint32_t pair, uint32_t generation, uint32_t stream,
                           int gaussian, uint32_t first, uint32_t count, float *out);

/* ---------------------------------------------------------------- fixed point */

/* One LIF step (eggroll_fixed.h egg_fx_lif_step); bias_mant may be NULL. Returns the spike count. */
int egg_native_fx_lif_step(int n, int32_t *u, int32_t *v, const int32_t *a, int du, int dv, int vth,
                           const int32_t *bias_mant, int bias_exp, int32_t *spikes);

/*
 * Runs one sample through a feed-forward fixed-point network.
 *   sizes[0..layers]       widths, input first
 *   weights                every layer's m x n integer weights, concatenated in layer order
 *   bias                   every layer's n bias mantissas, concatenated
 *   wexp, bias_exp, du, dv, vth: one value per layer
 *   delay                  1: Lava's Dense sends its sum on the next step; 0: same step
 *   offsets[steps_in + 1], indices: the input spikes in CSR form (as SpikeBatch for one sample)
 *   steps_total >= steps_in: steps run; steps past steps_in see no input spikes
 *   raster[steps_total * sum(sizes[1..])]: 1 where a neuron spiked (layers concatenated)
 *   u_out, v_out[sum(sizes[1..])]: the final state
 * Returns 0, or -1 on invalid arguments (message in egg_native_last_error).
 */
int egg_native_fx_run(int layers, const int32_t *sizes, const int32_t *weights, const int32_t *wexp,
                      const int32_t *bias, const int32_t *bias_exp, const int32_t *du, const int32_t *dv,
                      const int32_t *vth, int delay, int steps_in, int steps_total, const int32_t *offsets,
                      const int32_t *indices, uint8_t *raster, int32_t *u_out, int32_t *v_out);

/* ---------------------------------------------------------------- hdf5 */

/* Element types of egg_h5_write / egg_h5_read / egg_h5_info. */
#define EGG_H5_F32 1
#define EGG_H5_F64 2
#define EGG_H5_I64 3
#define EGG_H5_U8 4
#define EGG_H5_BOOL 5 /* h5py's bool: an int8 enum {FALSE = 0, TRUE = 1} */
#define EGG_H5_I32 6
#define EGG_H5_STRING 7

int64_t egg_h5_create(const char *path); /* truncates; returns a file handle or -1 */
int64_t egg_h5_open(const char *path);   /* read-only */
int egg_h5_close(int64_t file);

/* Creates a group and any missing parents. */
int egg_h5_group(int64_t file, const char *path);

/* A numeric dataset; rank 0 = scalar. Missing parent groups are created. */
int egg_h5_write(int64_t file, const char *path, int type, int rank, const int64_t *dims, const void *data);

/*
 * A string dataset of prod(dims) strings (rank 0 = one scalar string); data holds them
 * NUL-terminated, back to back. vlen = 1: variable-length UTF-8 (h5py.string_dtype());
 * vlen = 0: fixed-length ASCII of `width` bytes, NULLPAD (numpy 'S<width>').
 */
int egg_h5_write_strings(int64_t file, const char *path, int vlen, int width, int rank, const int64_t *dims,
                         const char *data);

/*
 * What is at path: info[0] = 0 missing, 1 group, 2 dataset; for a dataset info[1] = element type
 * (EGG_H5_*, 0 = other), info[2] = rank, info[3] = 1 if variable-length string, info[4] = element
 * size in bytes (string width for fixed strings); dims[0..rank) = shape (at most 8 dims).
 */
int egg_h5_info(int64_t file, const char *path, int32_t *info, int64_t *dims);

/* Reads a whole numeric dataset converted to `type`; count must equal its element count. */
int egg_h5_read(int64_t file, const char *path, int type, void *out, int64_t count);

/* Reads a string dataset: the strings NUL-terminated back to back; returns the bytes used, or -1. */
int64_t egg_h5_read_strings(int64_t file, const char *path, char *buf, int64_t cap);

/* Names of the links in a group, in name order, each followed by '\n'; returns bytes used, or -1. */
int64_t egg_h5_list(int64_t file, const char *group, char *buf, int64_t cap);

#ifdef __cplusplus
}
#endif

#endif /* EGGROLL_NATIVE_H */
