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
rm -rf luts data predictors && mkdir -p luts data predictors

# phone-big: per-layer lookup tables (the `lut` source).
lg simulate --device sim-phone-big-core --space $space --lut-out luts/phone-big

# phone-mid: 40 measurements, judged against phone-big as proxy (the `proxy` source).
lg sample --space $space --count 40 --seed 11 --resolutions 160,176,192,208,224 > "$work/phone-mid.archs"
lg simulate --device sim-phone-mid --space $space --archs "$work/phone-mid.archs" --seed 11 --out data/phone-mid.csv

# edge-npu: 80 measurements; 30 adapt phone-big's tables, the rest calibrate intervals (the `finetune` source).
lg sample --space $space --count 80 --seed 12 --resolutions 160,176,192,208,224 > "$work/edge-npu.archs"
lg simulate --device sim-edge-npu --space $space --archs "$work/edge-npu.archs" --seed 12 --out data/edge-npu.csv

# edge-gpu: a predictor trained on 1,000 measurements (the `file` source).
lg sample --space $space --count 1000 --seed 13 --resolutions 160,176,192,208,224 > "$work/edge-gpu.archs"
lg simulate --device sim-edge-gpu --space $space --archs "$work/edge-gpu.archs" --seed 13 --out "$work/edge-gpu.csv"
# --model additive+mlp keeps it a learned MLP predictor (the hostile-input tests edit its layers); fit's default is now additive.
lg fit --space $space --data "$work/edge-gpu.csv" --device edge-gpu --batch-size 1 --seed 1 --model additive+mlp --out predictors/edge-gpu.safetensors

# server-gpu: never measured; a predictor generalized from four other GPUs' spec sheets (the `generalized` source).
train=()
lg sample --space $space --count 300 --seed 14 --resolutions 160,176,192,208,224 > "$work/gpu.archs"
for d in sim-gpu-small-b32:1920:8:250:4500:32 sim-gpu-mid-b32:3584:11:450:9000:32 sim-gpu-large-b32:6912:40:1550:19500:32 sim-gpu-mid-b64:3584:11:450:9000:64; do
  IFS=: read -r name cores mem bw peak batch <<<"$d"
  lg simulate --device "$name" --space $space --archs "$work/gpu.archs" --seed 14 --out "$work/$name.csv"
  train+=(--device "name=$name,cores=$cores,memory_gb=$mem,memory_bandwidth_gbps=$bw,peak_fp32_gflops=$peak,batch_size=$batch,data=$work/$name.csv")
done
lg fit-generalized --space $space "${train[@]}" --out predictors/generalized-gpu.safetensors
echo "regenerated $(find luts data predictors -type f | wc -l) files under $here"
