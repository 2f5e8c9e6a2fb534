#!/bin/sh
# Installs the wasm solc front end as `solc-v<version>` in $1 (default .solcx),
# the name and place py-solc-x and ape-solidity look for, so nothing is downloaded.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$here/.solcx}
version=$(node -p "require('$here/node_modules/solc/package.json').version")
mkdir -p "$dest"
cat > "$dest/solc-v$version" <<SH
#!/bin/sh
exec node "$here/tools/solc.js" "\$@"
SH
chmod +x "$dest/solc-v$version"
echo "$dest/solc-v$version"
