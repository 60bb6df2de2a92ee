import fc from 'fast-check';
import { OpenApiDoc, Schema } from './openapi-fuzz';

/** Any JSON, with the strings attackers like in it. */
const wildString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>', '{{7*7}}', '${jndi:ldap://x}', 'http://169.254.169.254/', '9'.repeat(400), '🦄'),
);
const wild: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    wildString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'toString')), tie('value'), { maxKeys: 3 }),
  ),
})).value;

function resolve(doc: OpenApiDoc, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; i < 5 && s.$ref; i++) s = doc.components?.schemas?.[s.$ref.split('/').pop() ?? ''] ?? {};
  return s;
}

/**
 * Request bodies for a schema of the API document: mostly shaped like the schema (each declared field present or
 * not, of its type or of any other), sometimes any JSON at all; unknown fields slip in too.
 */
export function bodyArbitrary(doc: OpenApiDoc, schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  if (depth > 3) return wild;
  let typed: fc.Arbitrary<unknown>;
  if (s.enum && s.enum.length > 0) typed = fc.constantFrom(...(s.enum as unknown[]));
  else if (s.type === 'object' || s.properties) {
    const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, p]) => [k, fc.oneof({ weight: 3, arbitrary: bodyArbitrary(doc, p, depth + 1) }, { weight: 1, arbitrary: wild })]));
    typed = fc.tuple(fc.record(props, { requiredKeys: [] }), fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), wild, { maxKeys: 2 }), { freq: 4 })).map(([known, extra]) => ({ ...(extra ?? {}), ...known }));
  } else if (s.type === 'array') typed = fc.array(bodyArbitrary(doc, s.items, depth + 1), { maxLength: 4 });
  else if (s.type === 'string') {
    const examples = [s.example].filter((e): e is string => typeof e === 'string');
    typed = fc.oneof(wildString, fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), ...(examples.length > 0 ? [fc.constantFrom(...examples)] : []));
  }
  else if (s.type === 'integer' || s.type === 'number') typed = fc.oneof(fc.integer({ min: -10, max: 3000 }), fc.double(), fc.constantFrom(1e308, -0, 2 ** 53 + 1));
  else if (s.type === 'boolean') typed = fc.boolean();
  else typed = wild;
  return fc.oneof({ weight: 5, arbitrary: typed }, { weight: 1, arbitrary: wild });
}
