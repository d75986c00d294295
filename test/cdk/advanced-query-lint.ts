/**
 * Checks an AWS Config advanced query against what the service documents, offline: the SQL subset
 * and its wildcard rules (https://docs.aws.amazon.com/config/latest/developerguide/querying-AWS-resources.html#query-limitations)
 * and the property names of the resource types it queries (test/fixtures/config-schema).
 */
import schema from '../fixtures/config-schema/advanced-query-properties.json';

type Schema = Record<string, string[]>;
const PROPERTIES = schema as unknown as Schema;

/** https://docs.aws.amazon.com/config/latest/APIReference/API_StoredQuery.html */
const MAX_EXPRESSION_LENGTH = 4096;
const UNSUPPORTED_KEYWORDS = /\b(ALL|AS|DISTINCT|FROM|HAVING|JOIN|UNION)\b/i;
const PROPERTY = /\b(?:configuration(?:\.[A-Za-z]+)+|accountId|awsRegion|resourceType|resourceId|resourceName|arn)\b/g;

export function advancedQueryProblems(expression: string): string[] {
  const problems: string[] = [];
  if (expression.length > MAX_EXPRESSION_LENGTH) problems.push(`longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const code = expression.replace(/'[^']*'/g, "''");
  const keyword = UNSUPPORTED_KEYWORDS.exec(code);
  if (keyword) problems.push(`unsupported keyword ${keyword[1]}`);
  problems.push(...wildcardProblems(expression));

  const types = [...expression.matchAll(/resourceType = '([^']+)'/g)].map((match) => match[1]);
  const unknownTypes = types.filter((type) => !PROPERTIES[type]);
  if (unknownTypes.length > 0) return [...problems, `no schema recorded for ${unknownTypes.join(', ')}`];
  // A group `(resourceType = 'X' AND …)` may only name X's properties; the rest any queried type's.
  for (const group of expression.matchAll(/\(resourceType = '([^']+)' AND ([^()]*)\)/g)) problems.push(...unknownProperties(group[2], [group[1]]));
  problems.push(...unknownProperties(code, types));

  const groupBy = /GROUP BY (.*)$/m.exec(expression);
  if (groupBy && groupBy[1].split(',').length > 3) problems.push('GROUP BY with more than three properties');
  return problems;
}

function unknownProperties(text: string, types: readonly string[]): string[] {
  const known = types.flatMap((type) => PROPERTIES[type]);
  const exists = (property: string) => known.some((name) => name === property || name.startsWith(`${property}.`));
  return [...new Set(text.match(PROPERTY) ?? [])].filter((property) => !exists(property)).map((property) => `${property} is not a property of ${types.join(' or ')}`);
}

/** Only suffix wildcards (`%`, and `_` which also is one), after at least three characters. */
function wildcardProblems(expression: string): string[] {
  return [...expression.matchAll(/LIKE '([^']*)'/g)]
    .map((match) => match[1])
    .filter((pattern) => {
      const literal = pattern.replace(/[%_]+$/, '');
      return /[%_]/.test(literal) || literal.length < 3;
    })
    .map((pattern) => `LIKE '${pattern}' is not a suffix wildcard after three or more characters`);
}
