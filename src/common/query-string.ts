import { parse, IParseOptions } from 'qs';

/**
 * How both HTTP platforms read a query string: `tag=a&tag=b` is an array and `a[b]=c` an object
 * (validation then accepts or rejects them), as Express's "extended" parser reads them, but
 * without `allowPrototypes`, so no key can shadow an `Object.prototype` member.
 */
const QUERY_STRING_OPTIONS: IParseOptions = { allowPrototypes: false };

export function parseQueryString(query: string): Record<string, unknown> {
  return parse(query, QUERY_STRING_OPTIONS);
}
