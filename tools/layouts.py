"""Records the storage layouts of the upgradeable implementations as those of a release:
`python tools/layouts.py <version>` writes security/layouts/<version>/<Contract>.json.

Run it when a version is released (and commit the files); tests/security/test_storage_layout.py
then holds every later implementation to the latest recorded layout.
"""

from __future__ import annotations

import sys

from somchain.upgrades import write_baseline

if __name__ == "__main__":
    if len(sys.argv) != 2 or not sys.argv[1][:1].isdigit():
        sys.exit("usage: python tools/layouts.py <version>, e.g. 0.2.0")
    for path in write_baseline(sys.argv[1]):
        print(f"wrote {path}")
