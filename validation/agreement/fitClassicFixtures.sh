#!/usr/bin/env bash
# Dev-only (needs Rscript with rstan 2.21; never CI): fits every classic fixture that Stan 2.21 can
# compile with rstan and with stan2ts on its fixtures/data/<name>.data.json, for
# `npm run validate -- agreement --models <names>`. Run from the repository root:
#   bash validation/agreement/fitClassicFixtures.sh <stanDir> <oursDir> [name ...]
# Without names: every fixture with an rstan log_prob oracle (docs/oracles/fixtures-logprob.json).
# rstan: 4 chains x (1000 + 1000), seed 14, two programs at a time (compiling dominates);
# stan2ts: 4 chains x (1000 + 1000), seed 15.
set -euo pipefail
stan_dir=$1; ours_dir=$2; shift 2
if [ $# -gt 0 ]; then names=("$@"); else
  mapfile -t names < <(node -e 'const j = require("./docs/oracles/fixtures-logprob.json"); for (const k of Object.keys(j)) console.log(k)')
fi
mkdir -p "$stan_dir" "$ours_dir"
printf '%s\n' "${names[@]}" | xargs -P 2 -I{} sh -c \
  'Rscript validation/agreement/fitFixtureStan.R fixtures/stan/good/{}.stan fixtures/data/{}.data.json "$0" {} 4 1000 1000 14 > "$0/{}.log" 2>&1 || echo "rstan failed: {} (see $0/{}.log)"' "$stan_dir"
for name in "${names[@]}"; do
  node bin/stan2ts.js sample "fixtures/stan/good/$name.stan" --data "fixtures/data/$name.data.json" \
    --chains 4 --warmup 1000 --samples 1000 --seed 15 -q -o "$ours_dir/$name" > "$ours_dir/$name.log" 2>&1 ||
    echo "stan2ts failed: $name (see $ours_dir/$name.log)"
done
echo "${names[*]}" | tr ' ' ','
