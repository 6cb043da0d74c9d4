// Validates a SARIF log (a file, or standard input) against the SARIF 2.1.0 JSON schema that
// @microsoft/jest-sarif ships, with ajv. Prints the errors and exits 1 when it is not valid.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv = require("ajv");

const schema = require(path.join(__dirname, "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"));
const ajv = new Ajv({ allErrors: true, schemaId: "auto", jsonPointers: true });
ajv.addMetaSchema(require("ajv/lib/refs/json-schema-draft-04.json"));
const validate = ajv.compile(schema);
const log = JSON.parse(fs.readFileSync(process.argv[2] || 0, "utf8"));
if (validate(log)) {
  console.log("valid SARIF 2.1.0");
} else {
  for (const error of validate.errors) console.log(`${error.dataPath || "/"}: ${error.message} ${JSON.stringify(error.params)}`);
  process.exit(1);
}
