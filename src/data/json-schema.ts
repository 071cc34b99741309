/**
 * The part of JSON Schema that the definition schemas use (type, const, enum, pattern, minLength,
 * minimum, properties, required, additionalProperties, items, minItems, oneOf picked by a
 * discriminator), checked so that the first problem is one line naming its field. The schema
 * file is the one description of the format: editors read it, and so does this.
 */
export interface JsonSchema {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  minimum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  oneOf?: JsonSchema[];
  discriminator?: { propertyName: string };
}

const typeOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value);

const matchesType = (value: unknown, type: string): boolean => typeOf(value) === type || (type === 'number' && typeOf(value) === 'integer');

const show = (value: unknown): string => JSON.stringify(value);

/** "split.kind", "numeric[3]": where a value sits in the document. */
const at = (path: string, key: string | number): string => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/** The first problem of `value` against `schema`, as `field "x.y": what is wrong`; undefined when it conforms. */
export function schemaProblem(value: unknown, schema: JsonSchema, path = ''): string | undefined {
  const field = path ? `field "${path}"` : 'the document';
  if (schema.type !== undefined && !matchesType(value, schema.type)) return `${field} must be ${article(schema.type)}, got ${show(value)}`;
  if ('const' in schema && value !== schema.const) return `${field} must be ${show(schema.const)}, got ${show(value)}`;
  if (schema.enum && !schema.enum.includes(value)) return `${field} must be one of ${schema.enum.join(', ')}, got ${show(value)}`;
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) return `${field} must not be empty`;
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) return `${field} must match ${schema.pattern}, got ${show(value)}`;
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) return `${field} must be at least ${schema.minimum}, got ${value}`;
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return `${field} needs at least ${schema.minItems} items, got ${value.length}`;
    if (schema.items)
      for (const [i, item] of value.entries()) {
        const problem = schemaProblem(item, schema.items, at(path, i));
        if (problem) return problem;
      }
  }
  if (typeOf(value) === 'object') return objectProblem(value as Record<string, unknown>, schema, path, field);
  return undefined;
}

function objectProblem(value: Record<string, unknown>, schema: JsonSchema, path: string, field: string): string | undefined {
  if (schema.oneOf) return oneOfProblem(value, schema, path, field);
  for (const key of schema.required ?? []) if (!(key in value)) return `${field} lacks the required field "${at(path, key)}"`;
  for (const [key, item] of Object.entries(value)) {
    const own = schema.properties?.[key];
    const extra = schema.additionalProperties;
    if (!own && extra === false) {
      const known = Object.keys(schema.properties ?? {}).filter((k) => !k.startsWith('$'));
      return `unknown field "${at(path, key)}"; valid: ${known.join(', ')}`;
    }
    const itemSchema = own ?? (typeof extra === 'object' ? extra : undefined);
    const problem = itemSchema && schemaProblem(item, itemSchema, at(path, key));
    if (problem) return problem;
  }
  return undefined;
}

/** The branch whose discriminator constant the value names; without a discriminator the first branch that fits. */
function oneOfProblem(value: Record<string, unknown>, schema: JsonSchema, path: string, field: string): string | undefined {
  const branches = schema.oneOf!;
  const key = schema.discriminator?.propertyName;
  if (key === undefined) return branches.some((b) => schemaProblem(value, b, path) === undefined) ? undefined : `${field} matches none of its forms`;
  const names = branches.map((b) => b.properties?.[key]?.const);
  const branch = branches[names.indexOf(value[key])];
  if (!branch) return `field "${at(path, key)}" must be one of ${names.join(', ')}, got ${show(value[key])}`;
  return schemaProblem(value, branch, path);
}

function article(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}
