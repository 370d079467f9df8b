#!/bin/sh
# Trunk post_build hook. zxcvbn's `custom_wasm_env` feature makes the estimator
# import its clock from a module named "zxcvbn", which wasm-bindgen leaves as a
# bare import a browser cannot resolve; point it at zxcvbn-clock.js beside it.
# (The feature keeps zxcvbn from holding the `performance` object, which lets
# the page's copy of the estimator start from the worker's memory.)
set -eu
glue="$TRUNK_STAGING_DIR/reset-estimator.js"
if ! grep -q 'from "zxcvbn"' "$glue"; then
  echo "link-zxcvbn-clock: no import from \"zxcvbn\" in $glue" >&2
  exit 1
fi
# Not `sed -i`: BSD and GNU sed spell it differently.
sed 's|from "zxcvbn"|from "./zxcvbn-clock.js"|' "$glue" > "$glue.linked"
mv "$glue.linked" "$glue"
