#!/usr/bin/env bash
# gpu-check.sh: the opencl backend's conformance checks against the cpu backend and a side-by-side
# throughput comparison, on whatever OpenCL device is present, in both factor modes (materialised
# in device memory, and regenerated from Philox). Finishes in under 5 minutes and leaves
# report.json (every measurement), summary.md (the tables) and log.txt in one folder.
#
#   bench/gpu-check.sh --prepare DIR      (here, with the JDK and Maven) build, then assemble DIR:
#                                         a jlink-ed Java runtime (DIR/jre), the jars (DIR/lib), the
#                                         ICD loader (DIR/native/libOpenCL.so.1) and this script
#   DIR/gpu-check.sh [--out RESULTS] [GpuCheck options]
#                                         (on the GPU machine: no JDK, no Maven needed)
#   bench/gpu-check.sh [--out RESULTS] [GpuCheck options]
#                                         (in a checkout built with Maven)
#
# RESULTS: the folder for the report (default ./gpu-check-YYYYmmdd-HHMMSS).
# GpuCheck options: --device SEL (index or name substring; default: first GPU), --cases N (random
# networks per factor mode, default 12), --sizes quick|full (throughput shapes, default full),
# --seed S, --budget SECONDS (no section starts after it, default 240).
# Java: $EGGROLL_JAVA, else ./jre/bin/java next to this script, else java on PATH; must be >= 25.
# OpenCL: an ICD must be registered (/etc/OpenCL/vendors/*.icd or $OCL_ICD_VENDORS). When none is
# but the NVIDIA driver's libnvidia-opencl.so.1 is installed, a temporary vendors directory with an
# nvidia.icd naming it is used.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MIN_JAVA=25
TIME_LIMIT="${GPU_CHECK_TIMEOUT:-290}"

die() { echo "gpu-check: $*" >&2; exit 1; }

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1 | cut -d. -f1
}

prepare() {
  local dir="$1" root jdk mods cp
  root="$(cd "$HERE/.." && pwd)"
  jdk="${JAVA_HOME:-}"
  if [ -z "$jdk" ] || [ ! -x "$jdk/bin/jlink" ] || [ "$(java_major "$jdk/bin/java")" -lt "$MIN_JAVA" ]; then
    jdk="$(ls -d /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/*2[5-9]* 2>/dev/null | head -n1 || true)"
  fi
  [ -n "$jdk" ] && [ -x "$jdk/bin/jlink" ] || die "--prepare needs a JDK >= $MIN_JAVA with jlink (set JAVA_HOME)"
  export JAVA_HOME="$jdk"
  echo "gpu-check: building eggroll-opencl with $JAVA_HOME ..." >&2
  (cd "$root" && mvn -B -q -o -ntp package -DskipTests -pl hw-targets/opencl -am) >&2 \
    || die "build failed; run 'mvn -B package -DskipTests -pl hw-targets/opencl -am' in $root to see why"
  rm -rf "$dir"
  mkdir -p "$dir/lib" "$dir/native"
  local ocl="$root/hw-targets/opencl/target"
  cp "$ocl"/eggroll-opencl-*.jar "$dir/lib/"
  "$JAVA_HOME/bin/jar" cf "$dir/lib/eggroll-opencl-tests.jar" -C "$ocl/test-classes" .
  cp "$root"/java-core/target/eggroll-core-*-tests.jar "$dir/lib/"
  # Runtime dependencies, minus what GpuCheck never loads (the cluster transport).
  for j in "$ocl"/lib/*.jar; do
    case "$(basename "$j")" in hazelcast-*) ;; *) cp "$j" "$dir/lib/" ;; esac
  done
  cp -L /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 "$dir/native/libOpenCL.so.1" 2>/dev/null \
    || echo "gpu-check: no libOpenCL.so.1 here to bundle; the GPU machine must provide one" >&2
  cp "$HERE/gpu-check.sh" "$dir/gpu-check.sh"
  cp="$(ls "$dir"/lib/*.jar | tr '\n' ':')"
  # Modules of what GpuCheck runs (the opencl classes, GpuCheck, Jackson for the report, the
  # logger); java-core's data tools (ImageIO, HTTP downloads) are never loaded here, so
  # java.desktop and friends stay out.
  mods="$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --no-recursive --multi-release "$(java_major "$JAVA_HOME/bin/java")" \
    --class-path "$cp" "$dir"/lib/eggroll-opencl-*.jar "$dir"/lib/jackson-*.jar 2>/dev/null | tail -n1)" || die "jdeps failed"
  echo "gpu-check: jlink modules: $mods" >&2
  "$JAVA_HOME/bin/jlink" --add-modules "$mods" --strip-debug --no-man-pages --no-header-files \
    --compress zip-6 --output "$dir/jre"
  echo "gpu-check: prepared $dir ($(du -sh "$dir" | cut -f1)): carry it to the GPU machine and run $dir/gpu-check.sh" >&2
}

if [ "${1:-}" = "--prepare" ]; then
  [ -n "${2:-}" ] || die "usage: $0 --prepare DIR"
  prepare "$2"
  exit 0
fi

OUT="gpu-check-$(date -u +%Y%m%d-%H%M%S)"
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ -n "${2:-}" ] || die "--out needs a folder"; OUT="$2"; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

# ---- run: find Java
JAVA=""
if [ -n "${EGGROLL_JAVA:-}" ]; then JAVA="$EGGROLL_JAVA"
elif [ -x "$HERE/jre/bin/java" ]; then JAVA="$HERE/jre/bin/java"
elif command -v java >/dev/null 2>&1; then JAVA="$(command -v java)"
fi
[ -n "$JAVA" ] || die "no Java found: set EGGROLL_JAVA, or run 'bench/gpu-check.sh --prepare DIR' where a JDK exists and run DIR/gpu-check.sh"
v="$(java_major "$JAVA")"
[ -n "$v" ] && [ "$v" -ge "$MIN_JAVA" ] 2>/dev/null \
  || die "$JAVA is Java ${v:-?}; Java $MIN_JAVA or newer is required (FFM). Set EGGROLL_JAVA or use a prepared directory."

# ---- classpath: a prepared directory, or a source checkout built with Maven
if [ -d "$HERE/lib" ]; then
  CP="$(ls "$HERE"/lib/*.jar | tr '\n' ':')"
else
  ROOT="$(cd "$HERE/.." && pwd)"
  OCL="$ROOT/hw-targets/opencl/target"
  [ -d "$OCL/test-classes" ] || die "not built: run 'mvn -B package -DskipTests -pl hw-targets/opencl -am' in $ROOT first"
  CP="$OCL/test-classes:$(ls "$OCL"/eggroll-opencl-*.jar "$OCL"/lib/*.jar "$ROOT"/java-core/target/eggroll-core-*-tests.jar | tr '\n' ':')"
fi

# ---- OpenCL: the ICD loader and a registered vendor ICD
JOPTS=(--enable-native-access=ALL-UNNAMED)
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1" || ls /usr/lib/x86_64-linux-gnu/"$1"* /usr/lib64/"$1"* /usr/local/cuda/lib64/"$1"* >/dev/null 2>&1; }
if ! have_lib libOpenCL.so.1; then
  if [ -f "$HERE/native/libOpenCL.so.1" ]; then
    echo "gpu-check: system has no libOpenCL.so.1; using the bundled ICD loader $HERE/native/libOpenCL.so.1" >&2
    JOPTS+=("-Deggroll.opencl.library=$HERE/native/libOpenCL.so.1")
  else
    die "no OpenCL ICD loader (libOpenCL.so.1): install ocl-icd-libopencl1, or use a directory made by --prepare"
  fi
fi
if [ -z "${OCL_ICD_VENDORS:-}" ] && ! ls /etc/OpenCL/vendors/*.icd >/dev/null 2>&1; then
  if have_lib libnvidia-opencl.so.1; then
    VENDORS="$(mktemp -d)"
    trap 'rm -rf "$VENDORS"' EXIT
    echo "libnvidia-opencl.so.1" > "$VENDORS/nvidia.icd"
    export OCL_ICD_VENDORS="$VENDORS"
    echo "gpu-check: no ICD registered in /etc/OpenCL/vendors; using $VENDORS/nvidia.icd -> libnvidia-opencl.so.1" >&2
  else
    die "no OpenCL ICD registered (/etc/OpenCL/vendors/*.icd) and no libnvidia-opencl.so.1: install the GPU driver's OpenCL ICD"
  fi
fi

mkdir -p "$OUT" || die "cannot create $OUT"
OUT="$(cd "$OUT" && pwd)"
echo "gpu-check: $JAVA (Java $v), time limit ${TIME_LIMIT}s, results in $OUT" >&2
set +e
timeout "$TIME_LIMIT" "$JAVA" "${JOPTS[@]}" -cp "$CP" io.eggroll.opencl.GpuCheck --out "$OUT" ${ARGS[@]+"${ARGS[@]}"} 2>&1 \
  | tee "$OUT/log.txt"
rc="${PIPESTATUS[0]}"
set -e
if [ "$rc" -eq 124 ]; then
  echo "gpu-check: stopped after ${TIME_LIMIT}s; $OUT has what was measured until then" | tee -a "$OUT/log.txt" >&2
  [ -f "$OUT/summary.md" ] && cat "$OUT/summary.md"
fi
echo "gpu-check: exit code $rc; report: $OUT/report.json, summary: $OUT/summary.md, log: $OUT/log.txt" >&2
exit "$rc"
