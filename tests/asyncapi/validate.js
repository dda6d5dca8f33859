// Parses each AsyncAPI document named on the command line with the official AsyncAPI parser
// (@asyncapi/parser, the library behind `asyncapi validate`) and prints every diagnostic.
// Exits 1 when any document has an error or a warning, 2 on bad usage.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { Parser, DiagnosticSeverity } = require("@asyncapi/parser");

const SEVERITY = ["error", "warning", "information", "hint"];

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node validate.js DOCUMENT.json...");
    return 2;
  }
  const parser = new Parser();
  let failed = false;
  for (const file of files) {
    const source = path.resolve(file);
    const { document, diagnostics } = await parser.parse(fs.readFileSync(source, "utf8"), { source });
    for (const d of diagnostics) {
      const where = "/" + d.path.join("/");
      console.log(`${file}: ${SEVERITY[d.severity]} ${d.code} at ${where}: ${d.message}`);
      if (d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning) {
        failed = true;
      }
    }
    if (document === undefined) {
      failed = true;
      console.log(`${file}: not parsed`);
    }
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
