#!/bin/sh
# Copies the Solidity sources (and only those) of the npm OpenZeppelin packages to vendor/,
# where ape-config.yaml takes them from as local dependencies. ape copies a dependency
# whole into contracts/.cache and lists at most 500 files under contracts/, so the npm
# packages' build artifacts and docs must stay out.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
for pkg in contracts contracts-upgradeable; do
  src="$here/node_modules/@openzeppelin/$pkg"
  dest="$here/vendor/openzeppelin-$pkg"
  rm -rf "$dest"
  mkdir -p "$dest"
  (cd "$src" && find . -name '*.sol' -not -path './mocks/*' -not -path './build/*') | while read -r f; do
    mkdir -p "$dest/$(dirname "$f")"
    cp "$src/$f" "$dest/$f"
  done
  cp "$src/package.json" "$dest/package.json"
done
echo "vendored $(find "$here/vendor" -name '*.sol' | wc -l) OpenZeppelin sources into vendor/"
