#!/usr/bin/env node
// A native-solc-compatible front end for the npm `solc` (official wasm) build.
// Speaks the subset py-solc-x, ape-solidity and slither use:
//   --version                     prints "Version: <long version>"
//   --standard-json               reads standard JSON on stdin, writes it on stdout
//   --base-path P, --include-path P (repeatable), --allow-paths P (accepted, ignored)
"use strict";
const fs = require("fs");
const path = require("path");
const solc = require(path.join(__dirname, "..", "node_modules", "solc"));

const args = process.argv.slice(2);
const roots = [];
let standardJson = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--version" || a === "-v") {
    process.stdout.write("solc, the solidity compiler commandline interface\n");
    process.stdout.write(`Version: ${solc.version()}\n`);
    process.exit(0);
  } else if (a === "--standard-json") {
    standardJson = true;
  } else if (a === "--base-path" || a === "--include-path") {
    roots.push(args[++i]);
  } else if (a === "--allow-paths") {
    i++;
  } else if (a.startsWith("--base-path=") || a.startsWith("--include-path=")) {
    roots.push(a.slice(a.indexOf("=") + 1));
  } else if (a.startsWith("--allow-paths=")) {
    // accepted for compatibility; the import callback below reads only under the roots
  } else if (a === "-" || a === "--pretty-json") {
    // stdin marker / formatting, nothing to do
  } else {
    process.stderr.write(`solc shim: unsupported option ${a}\n`);
    process.exit(2);
  }
}
if (!standardJson) {
  process.stderr.write("solc shim: only --version and --standard-json are supported\n");
  process.exit(2);
}
if (roots.length === 0) roots.push(process.cwd());

function findImports(importPath) {
  const candidates = path.isAbsolute(importPath)
    ? [importPath]
    : roots.map((r) => path.resolve(r, importPath));
  for (const c of candidates) {
    try {
      return { contents: fs.readFileSync(c, "utf8") };
    } catch (e) {
      // try the next root
    }
  }
  return { error: `File not found: ${importPath} (searched ${roots.join(", ")})` };
}

const input = fs.readFileSync(0, "utf8");
process.stdout.write(solc.compile(input, { import: findImports }));
