#!/usr/bin/env bash
# Drift check of every example with committed output: for each example directory (examples/<name>/ or deeper) that has a main.ts
# and a committed dist/, synthesize it into a scratch directory and compare with dist/
# (`cdk8s-argocd check`, which never modifies dist/). Examples without committed output are skipped.
# Exits non-zero when any example drifted or failed to synthesize. Run from anywhere; `.ci/run` calls it.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
checked=0
while IFS= read -r main; do
  dir="$(dirname "$main")"
  if [ ! -d "$dir/dist" ]; then
    echo "skip: $dir (no committed dist/)"
    continue
  fi
  echo "== $dir"
  checked=$((checked + 1))
  if node bin/cdk8s-argocd.js check --app "node --import tsx $main"; then
    :
  else
    failed+=("$dir")
  fi
done < <(find examples -name main.ts -not -path '*/node_modules/*' | sort)

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "drift check failed for ${#failed[@]} of $checked example(s): ${failed[*]}"
  exit 1
fi
echo "drift check ok: $checked example(s) up to date"
