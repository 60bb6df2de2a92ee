import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** A validator of the official OpenLineage 2-0-2 JSON schema (assets/schemas/openlineage, with its licence). */
export function openLineageValidator() {
  const schema = JSON.parse(readFileSync(resolve(__dirname, '../../assets/schemas/openlineage/OpenLineage-2-0-2.json'), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}
