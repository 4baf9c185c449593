import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentVariables } from './environment';

/** `KEY=value` of every line of .env.example, commented out (`# KEY=value`) or not. */
function exampleValues(): Map<string, string> {
  const text = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
  const entries = [...text.matchAll(/^(?:#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/gm)];
  return new Map(entries.map(([, key, value]) => [key, value.trim()]));
}

describe('.env.example', () => {
  const documented = exampleValues();
  const variables = [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
        .map((metadata) => metadata.propertyName),
    ),
  ];
  const defaults = new EnvironmentVariables() as unknown as Record<string, unknown>;

  it('lists every variable the app reads', () => {
    expect(variables.length).toBeGreaterThan(15);
    expect(variables.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('shows each variable that has a default with that default', () => {
    const mismatches = variables
      .filter((name) => defaults[name] !== undefined)
      .filter((name) => documented.get(name) !== String(defaults[name]))
      .map((name) => `${name}: .env.example ${documented.get(name)}, default ${defaults[name]}`);
    expect(mismatches).toEqual([]);
  });
});
