#!/usr/bin/env bash
# After examples/jobs/federated-training.json succeeded on a demo federation started with
# `infra/local/federation up FR DE SE --training <prefix>`: trains the same model centrally on the
# three nations' rows pooled here (only to get the reference; the federated job never pooled them),
# evaluates the federated job's final model (kept by its aggregating nation) and the centralized one
# on a fresh held-out test set of each population, and prints both accuracies side by side.
# usage: examples/federated-vs-centralized.sh <prefix> [job id, default tour-federated]
set -euo pipefail
export LC_ALL=C
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 <prefix> [job id]" >&2; exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
train="$1/train.sh"
job=${2:-tour-federated}
nations="$root/.local/federation"
[ -x "$train" ] || { echo "error: $train is not installed (workloads/install-training.sh $1)" >&2; exit 2; }
aggregator=""
for code in FR DE SE; do
  if [ -f "$nations/$code/jobs/DE/$job/model/weights.f32" ]; then aggregator=$code; fi
done
[ -n "$aggregator" ] || { echo "error: no nation under $nations holds the final model of DE/$job: has the job succeeded?" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data="$nations/FR/data/training/patient-outcomes.csv,$nations/DE/data/training/patient-outcomes.csv,$nations/SE/data/training/patient-outcomes.csv"
# The spec's training arguments (examples/jobs/federated-training.json): 8 rounds of 2 epochs.
"$train" centralized --data="$data" --rounds=8 --epochs=2 --learningRate=0.1 --batchSize=32 --hiddenUnits=32 --seed=1 \
  --outputDirectory="$work/centralized" >/dev/null
test=""
for code in FR DE SE; do
  "$train" generate --nation="$code" --rows=1000 --seed=202 --name="$code-test" --outputDirectory="$work" >/dev/null
  test="$test${test:+,}$work/$code-test.csv"
done
accuracy() {
  "$train" evaluate --model="$1" --data="$test" --outputDirectory="$work/$2" >/dev/null
  sed -n 's/^ *"accuracy": *\([0-9.eE+-]*\).*/\1/p' "$work/$2/metrics.json" | head -n 1
}
federated=$(accuracy "$nations/$aggregator/jobs/DE/$job/model/weights.f32" federated)
centralized=$(accuracy "$work/centralized/weights.f32" centralized)
printf '%-12s %-10s %s\n' MODEL ACCURACY "TRAINED ON"
printf '%-12s %-10.4f %s\n' federated "$federated" "FR, DE, SE at home; aggregated in $aggregator from masked updates"
printf '%-12s %-10.4f %s\n' centralized "$centralized" "the three nations' rows pooled (the reference)"
