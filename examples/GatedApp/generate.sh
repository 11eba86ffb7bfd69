#!/usr/bin/env bash
# Regenerates this example's synthetic inputs with the CLI itself: every latency here comes from
# `latency-gate simulate` (an analytical roofline model with noise), not from a real device.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dotnet build "$root/src/LatencyGate.Cli" -c Release -v q -nologo >/dev/null
lg() { dotnet "$root/src/LatencyGate.Cli/bin/Release/net10.0/LatencyGate.Cli.dll" "$@"; }
space=ofa-mbv3-w1.2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$here"
rm -rf luts data && mkdir -p luts data

# phone: per-layer lookup tables at the shipped model's resolution (the `lut` source).
lg simulate --device sim-phone-big-core --space $space --lut-out luts/phone --lut-resolutions 192

# edge-npu: 40 measurements at 192x192, phone's tables adapted to them (the `proxy` source).
lg sample --space $space --count 40 --seed 21 --resolutions 192 > "$work/edge-npu.archs"
lg simulate --device sim-edge-npu --space $space --archs "$work/edge-npu.archs" --seed 21 --out data/edge-npu.csv
echo "regenerated $(find luts data -type f | wc -l) files under $here"
