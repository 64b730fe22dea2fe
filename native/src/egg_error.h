/* egg_error.h - the per-thread last-error message behind egg_native_last_error. */
#ifndef EGG_ERROR_H
#define EGG_ERROR_H

#include <hdf5.h>

#define EGG_STR_(x) #x
#define EGG_STR(x) EGG_STR_(x)
#define EGG_HDF5_VERSION_STRING \
  "HDF5 " EGG_STR(H5_VERS_MAJOR) "." EGG_STR(H5_VERS_MINOR) "." EGG_STR(H5_VERS_RELEASE)

/* Records a printf-style message for this thread; returns -1 so callers can `return egg_fail(...)`. */
int egg_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* EGG_ERROR_H */
