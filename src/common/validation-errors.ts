import { ValidationError } from 'class-validator';

/** One readable sentence per failed constraint, nested fields named by their path (`profile.bio`). */
export function flattenValidationErrors(errors: ValidationError[], parentPath = ''): string[] {
  return errors.flatMap((error) => {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      parentPath && message.startsWith(error.property) ? `${parentPath}.${message}` : message,
    );
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}
