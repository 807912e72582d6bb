#!/usr/bin/env bash
# Does oneMKL (inside libtorch_cpu.so: torch.mm, the projector, the loss) run its generic code path
# on this CPU? oneMKL picks its kernels by asking mkl_serv_intel_cpu() whether the CPU is Intel's;
# on AMD it answers no and MKL_VERBOSE names "Intel(R) Architecture processors" instead of AVX-512.
# This builds a two-line shim answering yes, preloads it, and prints MKL's own ISA line, the matmul
# GFLOP/s and the R18 64 px step, each without and with the shim, ROUNDS times in turn. Needs gcc.
# An experiment for docs/performance.md, not part of any run: convolutions are oneDNN's, which
# detects the ISA itself, and nothing the library ships preloads the shim.
#
#   scripts/mkl-vendor-check.sh [ROUNDS=2]
set -euo pipefail
rounds="${1:-2}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shim="$(mktemp -d)/libmkl-intel-cpu.so"
printf 'int mkl_serv_intel_cpu(void) { return 1; }\nint mkl_serv_intel_cpu_true(void) { return 1; }\n' |
    gcc -shared -fPIC -O2 -x c -o "$shim" -
"$here/barlow" info >/dev/null # build once, outside the timed runs
barlow() { dotnet "$here/src/BarlowTwins.Cli/bin/Release/net10.0/barlow.dll" "$@"; }
with_shim() { LD_PRELOAD="$shim" "$@"; }

grep -m1 "model name" /proc/cpuinfo; uptime
for run in "" with_shim; do
    echo "${run:-without shim}: $(MKL_VERBOSE=1 $run barlow bench loss --no-reference 2>&1 | grep -m1 -o 'oneMKL.*')"
done
for ((i = 1; i <= rounds; i++)); do
    for run in "" with_shim; do
        echo "--- round $i, ${run:-without shim}"
        $run barlow bench loss 2>&1 | grep "BLAS:" | sed "s/ (.*)//"
        $run barlow bench step r18-64 --precision fp32 --no-reference --steps 5 2>&1 | grep "images/s"
    done
done
uptime
