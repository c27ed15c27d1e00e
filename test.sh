#!/usr/bin/env bash
# Runs Graft's whole test suite. First makes sure what the tests need is installed:
#   - Debian's python3-torchvision (PyTorch 1.13, the oracle for the parity tests), run as /usr/bin/python3
#   - Debian's dataset-fashion-mnist (real data under /usr/share/datasets/fashion-mnist)
#   - binutils (readelf, an independent check of the native-library repair)
#   - libturbojpeg0 (the system libjpeg-turbo that Graft's JPEG decoding uses when present; tested against SkiaSharp)
#   - libopenblas0-pthread (the BLAS of the "tuned" PyTorch peer in the benchmark runner's test)
# On Debian/Ubuntu it installs them with apt (as root, or through sudo); elsewhere it stops and says what to
# install. Tests that need them never skip: they fail with the same instructions.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
/usr/bin/python3 -c 'import torch, torchvision' >/dev/null 2>&1 || missing+=(python3-torchvision)
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || missing+=(dataset-fashion-mnist)
command -v readelf >/dev/null 2>&1 || missing+=(binutils)
[ -n "$(ls /usr/lib/*/libturbojpeg.so.0 /lib/*/libturbojpeg.so.0 2>/dev/null)" ] || missing+=(libturbojpeg0)
[ -n "$(ls /usr/lib/*/openblas-pthread/libblas.so.3 2>/dev/null)" ] || missing+=(libopenblas0-pthread)

if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else sudo="none"; fi
    if [ "$sudo" != "none" ]; then
      echo "test.sh: installing ${missing[*]} with apt-get" >&2
      $sudo apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "test.sh: the tests need: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  else
    echo "test.sh: the tests need Debian's packages ${missing[*]} (PyTorch 1.13 + torchvision as /usr/bin/python3," \
         "Fashion-MNIST under /usr/share/datasets/fashion-mnist, readelf). Install the equivalents, then run again." >&2
    exit 1
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test tests/Graft.Tests/Graft.Tests.csproj -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# dotnet test's own summary ("Passed!  - Failed: 0, Passed: 41, Skipped: 0, ...") restated as one plain line.
summary=$(grep -E '(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+' "$log" | tail -n 1 || true)
if [ -n "$summary" ]; then
  failed=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$summary")
  passed=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: +([0-9]+),.*/\1/' <<<"$summary")
  echo "tests: $passed passed, $failed failed, $skipped skipped"
fi
exit "$status"
