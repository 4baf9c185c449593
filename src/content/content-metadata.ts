import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

export const MAX_METADATA_BYTES = 16 * 1024;
/** MongoDB refuses documents nested deeper than 100 levels; metadata sits one level down. */
export const MAX_METADATA_DEPTH = 32;

/**
 * Why a free-form `metadata` value cannot be stored, or `undefined` when it can. Keys at any
 * depth (inside arrays too) may not start with `$` (an operator) or contain `.` (a path
 * separator) or NUL, which MongoDB would read as something other than data. The walk is
 * iterative so that a deep value gives a 400, not a stack overflow.
 */
export function metadataProblem(metadata: unknown, path = 'metadata'): string | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value: metadata, path, depth: 0 },
  ];
  while (pending.length > 0) {
    const { value, path: at, depth } = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_METADATA_DEPTH) {
      return `${path} may not be nested more than ${MAX_METADATA_DEPTH} levels deep`;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) =>
        pending.push({ value: item, path: `${at}[${index}]`, depth: depth + 1 }),
      );
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = metadataKeyProblem(key);
      if (keyProblem) return `${path} key ${JSON.stringify(key)} at ${at} ${keyProblem}`;
      pending.push({ value: item, path: `${at}.${key}`, depth: depth + 1 });
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(metadata) ?? '', 'utf8');
  if (bytes > MAX_METADATA_BYTES) {
    return `${path} must be at most ${MAX_METADATA_BYTES} bytes (16 KB) once serialised as JSON, got ${bytes}`;
  }
  return undefined;
}

function metadataKeyProblem(key: string): string | undefined {
  if (key.startsWith('$')) return 'may not start with "$"';
  if (key.includes('.')) return 'may not contain "."';
  if (key.includes('\0')) return 'may not contain a NUL character';
  return undefined;
}

/** Validates a free-form metadata object with `metadataProblem` (whitelisting never looks inside). */
export function IsStorableMetadata(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isStorableMetadata',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          metadataProblem(value, args.property) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          metadataProblem(args?.value, args?.property) ?? `${args?.property} is not storable`,
      },
    });
}
