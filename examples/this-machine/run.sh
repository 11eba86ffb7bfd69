#!/bin/sh
# The seed paper's workflow on the machine this runs on: sample archs, measure them with ONNX
# Runtime, adapt a published base (OFA's Note10 lookup table, built in) to them from a few shots
# (fit --base builtin:note10 --strategy auto), search under a budget with the adapted predictor,
# then measure the pick and compare it with its prediction.
# Usage: ./run.sh [COUNT] [BUDGET_MS]   (defaults: 40 archs, budget 12 ms)
# Smaller runs (the end-to-end test): RUNS, PASSES (measure), CHECK_RUNS, CHECK_PASSES (the pick),
# GENERATIONS (search) in the environment.
set -eu
COUNT=${1:-40}
BUDGET=${2:-12}
LG=${LG:-dotnet latency-gate}
OUT=${OUT:-out}
RUNS=${RUNS:-20}
PASSES=${PASSES:-2}
CHECK_RUNS=${CHECK_RUNS:-30}
CHECK_PASSES=${CHECK_PASSES:-3}
GENERATIONS=${GENERATIONS:-100}
mkdir -p "$OUT"

$LG sample --space ofa-mbv3-w1.2 --count "$COUNT" --seed 1 --resolutions 160,176,192,208,224 > "$OUT/archs.jsonl"
# Resumable: rerunning continues where a killed run stopped.
$LG measure --space ofa-mbv3-w1.2 --archs "$OUT/archs.jsonl" --runtime onnxruntime --threads 1 \
  --warmup 5 --runs "$RUNS" --passes "$PASSES" --out "$OUT/this-machine.csv"

# Adapt OFA's published Note10 table to this machine from half of the measurements (the other half
# calibrate the prediction interval and are reported as a held-out check); the file references the
# built-in table by name and content hash, so it needs nothing beside it.
$LG fit --space ofa-mbv3-w1.2 --data "$OUT/this-machine.csv" --base builtin:note10 --strategy auto \
  --shots "$((COUNT / 2))" --out "$OUT/adapted.safetensors"

cat > "$OUT/latency-gate.yaml" <<YAML
version: 1
space: ofa-mbv3-w1.2
accuracy: macs
search: {resolutions: [160, 176, 192, 208, 224], generations: $GENERATIONS}
devices:
  - name: this-machine
    budget_ms: $BUDGET
    predictor:
      measure:
        runtime: onnxruntime
        threads: 1
        runs: $CHECK_RUNS
        passes: $CHECK_PASSES
        inconclusive: warn
        # search predicts with the adapted predictor fit wrote; check then measures the pick
        predictor: {file: adapted.safetensors}
YAML
# check: searches with the adapted predictor, then measures the pick. Exit 0 (pass/warn) or 1 (the
# pick measures over budget) are results; 2 or 3 (bad input, internal error) stop the script.
status=0
$LG check --manifest "$OUT/latency-gate.yaml" --report-dir "$OUT/report" --format json,html,markdown || status=$?
[ "$status" -le 1 ] || exit "$status"
grep -h "measured/predicted" "$OUT/report/latency-gate.md" || true
echo "predicted vs measured, side by side: $OUT/report/latency-gate.html (devices[0].measured in latency-gate.json)"
