/*
 * egg_h5.c - the HDF5 writer and reader behind the NetX and NIR exports.
 *
 * Only what the two formats need: groups, numeric datasets (float32/64, int32/64, uint8, h5py's
 * bool enum), fixed-length ASCII and variable-length UTF-8 string datasets, and the reads the
 * tests use to check every dataset, shape, dtype and value. HDF5's automatic error printing is
 * off; the innermost message of its error stack is appended to ours instead.
 */
#include "eggroll_native.h"
#include "egg_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local char egg_err[2048];

int egg_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(egg_err, sizeof egg_err, fmt, ap);
  va_end(ap);
  return -1;
}

int egg_native_last_error(char *buf, int cap) {
  int n = (int)strlen(egg_err);
  if (cap > 0) {
    snprintf(buf, (size_t)cap, "%s", egg_err);
  }
  return n;
}

/* Innermost HDF5 error description (the most specific one), for appending to our messages. */
static herr_t egg_walk(unsigned n, const H5E_error2_t *e, void *data) {
  char *out = data;
  if (e->desc) {
    snprintf(out, 512, "%s", e->desc);
  }
  (void)n;
  return 0;
}

static int egg_h5_fail(const char *what, const char *path) {
  char detail[512] = "";
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, egg_walk, detail);
  H5Eclear2(H5E_DEFAULT);
  return egg_fail("%s '%s'%s%s", what, path, detail[0] ? ": " : "", detail);
}

static void egg_quiet(void) {
  static int done = 0;
  if (!done) {
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    done = 1;
  }
}

int64_t egg_h5_create(const char *path) {
  egg_quiet();
  hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  return f < 0 ? egg_h5_fail("cannot create HDF5 file", path) : (int64_t)f;
}

int64_t egg_h5_open(const char *path) {
  egg_quiet();
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  return f < 0 ? egg_h5_fail("cannot open HDF5 file", path) : (int64_t)f;
}

int egg_h5_close(int64_t file) {
  return H5Fclose((hid_t)file) < 0 ? egg_fail("cannot close HDF5 file handle %lld", (long long)file) : 0;
}

static hid_t egg_lcpl(void) {
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  return lcpl;
}

int egg_h5_group(int64_t file, const char *path) {
  if (H5Lexists((hid_t)file, path, H5P_DEFAULT) > 0) {
    return 0;
  }
  hid_t lcpl = egg_lcpl();
  hid_t g = H5Gcreate2((hid_t)file, path, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  H5Pclose(lcpl);
  if (g < 0) {
    return egg_h5_fail("cannot create group", path);
  }
  H5Gclose(g);
  return 0;
}

static hid_t egg_bool_type(void) {
  hid_t t = H5Tenum_create(H5T_NATIVE_INT8);
  int8_t v = 0;
  H5Tenum_insert(t, "FALSE", &v);
  v = 1;
  H5Tenum_insert(t, "TRUE", &v);
  return t;
}

/* Memory type and file type for an EGG_H5_* code (file = little-endian standard types). */
static int egg_types(int type, hid_t *mem, hid_t *file) {
  switch (type) {
    case EGG_H5_F32: *mem = H5Tcopy(H5T_NATIVE_FLOAT); *file = H5Tcopy(H5T_IEEE_F32LE); return 0;
    case EGG_H5_F64: *mem = H5Tcopy(H5T_NATIVE_DOUBLE); *file = H5Tcopy(H5T_IEEE_F64LE); return 0;
    case EGG_H5_I64: *mem = H5Tcopy(H5T_NATIVE_INT64); *file = H5Tcopy(H5T_STD_I64LE); return 0;
    case EGG_H5_I32: *mem = H5Tcopy(H5T_NATIVE_INT32); *file = H5Tcopy(H5T_STD_I32LE); return 0;
    case EGG_H5_U8: *mem = H5Tcopy(H5T_NATIVE_UINT8); *file = H5Tcopy(H5T_STD_U8LE); return 0;
    case EGG_H5_BOOL: *mem = egg_bool_type(); *file = egg_bool_type(); return 0;
    default: return egg_fail("unknown element type code %d", type);
  }
}

static hid_t egg_space(int rank, const int64_t *dims) {
  if (rank == 0) {
    return H5Screate(H5S_SCALAR);
  }
  hsize_t d[8];
  for (int i = 0; i < rank; i++) {
    d[i] = (hsize_t)dims[i];
  }
  return H5Screate_simple(rank, d, NULL);
}

static int egg_write_dataset(int64_t file, const char *path, hid_t ftype, hid_t mtype, int rank,
                             const int64_t *dims, const void *data) {
  if (rank < 0 || rank > 8) {
    return egg_fail("dataset '%s': rank %d is outside 0..8", path, rank);
  }
  hid_t space = egg_space(rank, dims);
  hid_t lcpl = egg_lcpl();
  hid_t ds = H5Dcreate2((hid_t)file, path, ftype, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  H5Pclose(lcpl);
  H5Sclose(space);
  if (ds < 0) {
    return egg_h5_fail("cannot create dataset", path);
  }
  herr_t st = H5Dwrite(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  H5Dclose(ds);
  return st < 0 ? egg_h5_fail("cannot write dataset", path) : 0;
}

int egg_h5_write(int64_t file, const char *path, int type, int rank, const int64_t *dims, const void *data) {
  hid_t mtype, ftype;
  if (egg_types(type, &mtype, &ftype) < 0) {
    return -1;
  }
  int rc = egg_write_dataset(file, path, ftype, mtype, rank, dims, data);
  H5Tclose(mtype);
  H5Tclose(ftype);
  return rc;
}

static hid_t egg_string_type(int vlen, int width) {
  hid_t t = H5Tcopy(H5T_C_S1);
  if (vlen) {
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
  } else {
    H5Tset_size(t, (size_t)width);
    H5Tset_cset(t, H5T_CSET_ASCII);
    H5Tset_strpad(t, H5T_STR_NULLPAD);
  }
  return t;
}

int egg_h5_write_strings(int64_t file, const char *path, int vlen, int width, int rank, const int64_t *dims,
                         const char *data) {
  if (!vlen && width < 1) {
    return egg_fail("dataset '%s': fixed-length strings need a width >= 1, got %d", path, width);
  }
  int64_t count = 1;
  for (int i = 0; i < rank; i++) {
    count *= dims[i];
  }
  const char **ptrs = calloc((size_t)(count > 0 ? count : 1), sizeof(char *));
  char *fixed = vlen ? NULL : calloc((size_t)(count > 0 ? count : 1), (size_t)width);
  if (!ptrs || (!vlen && !fixed)) {
    free(ptrs); free(fixed);
    return egg_fail("dataset '%s': out of memory", path);
  }
  const char *p = data;
  for (int64_t i = 0; i < count; i++) {
    size_t len = strlen(p);
    if (!vlen) {
      if (len > (size_t)width) {
        free(ptrs); free(fixed);
        return egg_fail("dataset '%s': string \"%s\" is longer than the width %d", path, p, width);
      }
      memcpy(fixed + i * width, p, len);
    }
    ptrs[i] = p;
    p += len + 1;
  }
  hid_t t = egg_string_type(vlen, width);
  int rc = egg_write_dataset(file, path, t, t, rank, dims, vlen ? (const void *)ptrs : (const void *)fixed);
  H5Tclose(t);
  free(ptrs);
  free(fixed);
  return rc;
}

static int egg_type_code(hid_t t) {
  H5T_class_t c = H5Tget_class(t);
  size_t size = H5Tget_size(t);
  if (c == H5T_FLOAT) {
    return size == 4 ? EGG_H5_F32 : size == 8 ? EGG_H5_F64 : 0;
  }
  if (c == H5T_INTEGER) {
    int sign = H5Tget_sign(t) == H5T_SGN_2;
    if (size == 8 && sign) return EGG_H5_I64;
    if (size == 4 && sign) return EGG_H5_I32;
    if (size == 1 && !sign) return EGG_H5_U8;
    return 0;
  }
  if (c == H5T_ENUM) {
    return H5Tget_nmembers(t) == 2 && size == 1 ? EGG_H5_BOOL : 0;
  }
  if (c == H5T_STRING) {
    return EGG_H5_STRING;
  }
  return 0;
}

int egg_h5_info(int64_t file, const char *path, int32_t *info, int64_t *dims) {
  memset(info, 0, 5 * sizeof(int32_t));
  if (strcmp(path, "/") != 0) {
    /* H5Lexists needs every parent to exist: check the path one component at a time. */
    char part[1024];
    size_t len = strlen(path);
    if (len >= sizeof part) {
      return egg_fail("path too long: '%s'", path);
    }
    for (size_t i = 1; i <= len; i++) {
      if (path[i] == '/' || path[i] == '\0') {
        memcpy(part, path, i);
        part[i] = '\0';
        if (H5Lexists((hid_t)file, part, H5P_DEFAULT) <= 0) {
          H5Eclear2(H5E_DEFAULT);
          return 0;
        }
      }
    }
  }
  H5O_info_t oi;
  if (H5Oget_info_by_name((hid_t)file, path, &oi, H5P_DEFAULT) < 0) {
    return egg_h5_fail("cannot inspect", path);
  }
  if (oi.type == H5O_TYPE_GROUP) {
    info[0] = 1;
    return 0;
  }
  if (oi.type != H5O_TYPE_DATASET) {
    return 0;
  }
  hid_t ds = H5Dopen2((hid_t)file, path, H5P_DEFAULT);
  if (ds < 0) {
    return egg_h5_fail("cannot open dataset", path);
  }
  hid_t t = H5Dget_type(ds);
  hid_t s = H5Dget_space(ds);
  hsize_t d[8] = {0};
  int rank = H5Sget_simple_extent_ndims(s);
  if (rank > 8) {
    rank = 8;
  }
  H5Sget_simple_extent_dims(s, d, NULL);
  info[0] = 2;
  info[1] = egg_type_code(t);
  info[2] = rank;
  info[3] = H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0;
  info[4] = (int32_t)H5Tget_size(t);
  for (int i = 0; i < rank; i++) {
    dims[i] = (int64_t)d[i];
  }
  H5Sclose(s);
  H5Tclose(t);
  H5Dclose(ds);
  return 0;
}

static int64_t egg_element_count(hid_t ds) {
  hid_t s = H5Dget_space(ds);
  int64_t n = (int64_t)H5Sget_simple_extent_npoints(s);
  H5Sclose(s);
  return n;
}

int egg_h5_read(int64_t file, const char *path, int type, void *out, int64_t count) {
  hid_t ds = H5Dopen2((hid_t)file, path, H5P_DEFAULT);
  if (ds < 0) {
    return egg_h5_fail("cannot open dataset", path);
  }
  int64_t n = egg_element_count(ds);
  if (n != count) {
    H5Dclose(ds);
    return egg_fail("dataset '%s' holds %lld values, %lld were expected", path, (long long)n, (long long)count);
  }
  hid_t mtype, ftype;
  if (egg_types(type, &mtype, &ftype) < 0) {
    H5Dclose(ds);
    return -1;
  }
  herr_t st = H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, out);
  H5Tclose(mtype);
  H5Tclose(ftype);
  H5Dclose(ds);
  return st < 0 ? egg_h5_fail("cannot read dataset", path) : 0;
}

int64_t egg_h5_read_strings(int64_t file, const char *path, char *buf, int64_t cap) {
  hid_t ds = H5Dopen2((hid_t)file, path, H5P_DEFAULT);
  if (ds < 0) {
    return egg_h5_fail("cannot open dataset", path);
  }
  hid_t ft = H5Dget_type(ds);
  if (H5Tget_class(ft) != H5T_STRING) {
    H5Tclose(ft);
    H5Dclose(ds);
    return egg_fail("dataset '%s' does not hold strings", path);
  }
  int vlen = H5Tis_variable_str(ft) > 0;
  size_t width = H5Tget_size(ft);
  int64_t n = egg_element_count(ds);
  hid_t mt = H5Tcopy(ft);
  int64_t used = 0;
  int rc = 0;
  if (vlen) {
    char **strs = calloc((size_t)(n > 0 ? n : 1), sizeof(char *));
    hid_t space = H5Dget_space(ds);
    if (H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, strs) < 0) {
      rc = egg_h5_fail("cannot read dataset", path);
    } else {
      for (int64_t i = 0; i < n && rc == 0; i++) {
        size_t len = strs[i] ? strlen(strs[i]) : 0;
        if (used + (int64_t)len + 1 > cap) {
          rc = egg_fail("dataset '%s': strings exceed the %lld-byte buffer", path, (long long)cap);
          break;
        }
        memcpy(buf + used, strs[i] ? strs[i] : "", len + 1);
        used += (int64_t)len + 1;
      }
      H5Dvlen_reclaim(mt, space, H5P_DEFAULT, strs);
    }
    H5Sclose(space);
    free(strs);
  } else {
    char *raw = calloc((size_t)(n > 0 ? n : 1), width);
    if (H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0) {
      rc = egg_h5_fail("cannot read dataset", path);
    } else {
      for (int64_t i = 0; i < n; i++) {
        size_t len = strnlen(raw + i * width, width);
        if (used + (int64_t)len + 1 > cap) {
          rc = egg_fail("dataset '%s': strings exceed the %lld-byte buffer", path, (long long)cap);
          break;
        }
        memcpy(buf + used, raw + i * width, len);
        buf[used + (int64_t)len] = '\0';
        used += (int64_t)len + 1;
      }
    }
    free(raw);
  }
  H5Tclose(mt);
  H5Tclose(ft);
  H5Dclose(ds);
  return rc < 0 ? -1 : used;
}

struct egg_list_state {
  char *buf;
  int64_t cap;
  int64_t used;
  int overflow;
};

static herr_t egg_list_one(hid_t g, const char *name, const H5L_info_t *info, void *data) {
  struct egg_list_state *st = data;
  size_t len = strlen(name);
  if (st->used + (int64_t)len + 1 > st->cap) {
    st->overflow = 1;
    return 1;
  }
  memcpy(st->buf + st->used, name, len);
  st->buf[st->used + (int64_t)len] = '\n';
  st->used += (int64_t)len + 1;
  (void)g;
  (void)info;
  return 0;
}

int64_t egg_h5_list(int64_t file, const char *group, char *buf, int64_t cap) {
  hid_t g = H5Gopen2((hid_t)file, group, H5P_DEFAULT);
  if (g < 0) {
    return egg_h5_fail("cannot open group", group);
  }
  struct egg_list_state st = {buf, cap, 0, 0};
  herr_t rc = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, egg_list_one, &st);
  H5Gclose(g);
  if (st.overflow) {
    return egg_fail("group '%s': names exceed the %lld-byte buffer", group, (long long)cap);
  }
  return rc < 0 ? egg_h5_fail("cannot list group", group) : st.used;
}
