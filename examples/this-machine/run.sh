#!/bin/sh
# The seed paper's workflow on the machine this runs on: sample archs, measure them with ONNX
# Runtime, adapt a published base (OFA's Note10 lookup table, built in) to them from a few shots
# (the manifest's finetune source), search under a budget, then measure the pick and compare it
# with its prediction.
# Usage: ./run.sh [COUNT] [BUDGET_MS]   (defaults: 40 archs, budget 12 ms)
set -eu
COUNT=${1:-40}
BUDGET=${2:-12}
LG=${LG:-dotnet latency-gate}
OUT=${OUT:-out}
mkdir -p "$OUT"

$LG sample --space ofa-mbv3-w1.2 --count "$COUNT" --seed 1 --resolutions 160,176,192,208,224 > "$OUT/archs.jsonl"
# Resumable: rerunning continues where a killed run stopped.
$LG measure --space ofa-mbv3-w1.2 --archs "$OUT/archs.jsonl" --runtime onnxruntime --threads 1 \
  --warmup 5 --runs 20 --passes 2 --out "$OUT/this-machine.csv"

cat > "$OUT/latency-gate.yaml" <<YAML
version: 1
space: ofa-mbv3-w1.2
accuracy: macs
search: {resolutions: [160, 176, 192, 208, 224], generations: 100}
devices:
  - name: this-machine
    budget_ms: $BUDGET
    predictor:
      measure:
        runtime: onnxruntime
        threads: 1
        runs: 30
        passes: 3
        inconclusive: warn
        # search predicts with OFA's Note10 table adapted ('auto') to half of this machine's measurements
        predictor:
          finetune: {base: builtin:note10, measurements: this-machine.csv, strategy: auto, shots: $((COUNT / 2))}
YAML
# check: searches with the adapted predictor, then measures the pick; the JSON report holds both.
$LG check --manifest "$OUT/latency-gate.yaml" --report-dir "$OUT/report" || true
echo "predicted vs measured: see $OUT/report/latency-gate.json (devices[0].measured)"
