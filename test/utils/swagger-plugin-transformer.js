// Applies the @nestjs/swagger CLI plugin under ts-jest, so the e2e suites see the same OpenAPI
// metadata as `nest build` produces (the plugin reads types and JSDoc at compile time).
const plugin = require('@nestjs/swagger/plugin');

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (compiler) =>
  plugin.before(
    {
      introspectComments: true,
      classValidatorShim: true,
      dtoFileNameSuffix: ['.dto.ts', '.entity.ts'],
    },
    compiler.program,
  );
