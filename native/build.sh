#!/usr/bin/env bash
# Builds libeggroll_native with CMake into native/target/build (called by native/pom.xml).
# When cmake, a C compiler or the HDF5 headers are missing it prints what is missing and exits 0,
# so the rest of the engine still builds; under CI=true a missing tool is an error instead.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD="$HERE/target/build"

missing=()
command -v cmake >/dev/null 2>&1 || missing+=("cmake")
if ! command -v "${CC:-cc}" >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then missing+=("a C compiler (gcc)"); fi
hdf5_found=0
for d in /usr/include/hdf5/serial /usr/include /usr/local/include ${HDF5_ROOT:+$HDF5_ROOT/include}; do
  [ -f "$d/hdf5.h" ] && hdf5_found=1
done
[ "$hdf5_found" = 1 ] || missing+=("the HDF5 C library and headers (libhdf5-dev)")

if [ ${#missing[@]} -gt 0 ]; then
  msg="native: skipping libeggroll_native: missing $(IFS=', '; echo "${missing[*]}"). Install them (Debian/Ubuntu: apt-get install -y cmake gcc libhdf5-dev); NetX/NIR export and the native cross-checks need the library."
  if [ "${CI:-}" = "true" ]; then
    echo "$msg" >&2
    echo "native: CI=true, so this is an error." >&2
    exit 1
  fi
  echo "[WARNING] $msg" >&2
  exit 0
fi

# A checkout that was moved or copied keeps target/build/CMakeCache.txt, which records the old
# source and build paths; CMake then refuses to configure. Start from a clean build directory.
realdir() { (cd "$1" 2>/dev/null && pwd -P) || true; }
cache="$BUILD/CMakeCache.txt"
if [ -f "$cache" ]; then
  was_src="$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$cache" | head -n1)"
  was_build="$(sed -n 's/^CMAKE_CACHEFILE_DIR:INTERNAL=//p' "$cache" | head -n1)"
  if [ -z "$was_src" ] || [ "$(realdir "$was_src")" != "$(realdir "$HERE")" ] \
      || [ -z "$was_build" ] || [ "$(realdir "$was_build")" != "$(realdir "$BUILD")" ]; then
    echo "native: $BUILD was configured for ${was_src:-an unknown source directory} (build directory ${was_build:-unknown}), not $HERE: the checkout was moved or copied. Rebuilding from a clean build directory." >&2
    rm -rf "$BUILD"
  fi
fi

mkdir -p "$BUILD"
cmake -S "$HERE" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >"$HERE/target/cmake-configure.log" 2>&1 || {
  cat "$HERE/target/cmake-configure.log" >&2; echo "native: cmake configure failed (log above)" >&2; exit 1; }
cmake --build "$BUILD" --parallel 2 >"$HERE/target/cmake-build.log" 2>&1 || {
  cat "$HERE/target/cmake-build.log" >&2; echo "native: build failed (log above)" >&2; exit 1; }
echo "native: built $BUILD/libeggroll_native.so"
