// Validates an API document with @apidevtools/swagger-parser (the Swagger 2.0 schema plus its own
// semantic checks: path parameters, duplicate operationIds, $ref resolution, ...).
// Usage: NODE_PATH=<node_modules with @apidevtools/swagger-parser> node validate-swagger-parser.js FILE
const SwaggerParser = require("@apidevtools/swagger-parser");
const file = process.argv[2];
if (!file) {
  console.error("usage: validate-swagger-parser.js FILE");
  process.exit(2);
}
SwaggerParser.validate(file)
  .then((api) => {
    const ops = Object.values(api.paths || {})
      .flatMap((item) => Object.keys(item).filter((k) => k !== "parameters")).length;
    console.log(`${file}: valid (swagger-parser: ${api.swagger ? "Swagger " + api.swagger : "OpenAPI"}, ${ops} operations)`);
  })
  .catch((err) => {
    console.log(`${file}: INVALID (swagger-parser): ${err.message}`);
    process.exit(1);
  });
