import { FRAMEWORK_OPTION_FIELDS, OptionField, connectorKindForms } from './connector-kind-forms';
import { readFrameworkOptions } from './connector-options';
import { readDvcqgOptions } from './dvcqg/dvcqg.options';
import { readOneStopShopOptions } from './one-stop-shop/one-stop-shop.options';
import { readVnpostBcciOptions } from './vnpost-bcci/vnpost-bcci.options';

type Reader = (raw: Record<string, unknown>) => { errors: string[] };
const READERS: Record<string, Reader> = {
  framework: (raw) => readFrameworkOptions(raw),
  'one-stop-shop': readOneStopShopOptions,
  'vnpost-bcci': readVnpostBcciOptions,
  'dvcqg-evaluation': readDvcqgOptions,
};

/** The form's description of a field must agree with the validator: bounds accepted, one past them refused by name. */
function checkField(read: Reader, field: OptionField): void {
  const errorsFor = (value: unknown) => read({ [field.name]: value }).errors.filter((e) => e.startsWith(`options.${field.name} `));
  if (field.type === 'integer') {
    expect(errorsFor(field.min)).toEqual([]);
    expect(errorsFor(field.max)).toEqual([]);
    expect(errorsFor(field.max! + 1)).toHaveLength(1);
    expect(errorsFor(field.min! - 1)).toHaveLength(1);
    expect(errorsFor(1.5)).toHaveLength(1);
  }
  if (field.type === 'boolean') {
    expect(errorsFor(true)).toEqual([]);
    expect(errorsFor('yes')).toHaveLength(1);
  }
  if (field.type === 'date') {
    expect(errorsFor('2025-01-01')).toEqual([]);
    expect(errorsFor('01/01/2025')).toHaveLength(1);
  }
  if (field.type === 'choices') {
    expect(errorsFor([...field.values!])).toEqual([]);
    expect(errorsFor(['not-a-choice'])).toHaveLength(1);
  }
  if (field.type === 'string' && field.pattern) {
    expect(errorsFor('not matching!')).toHaveLength(1);
  }
  if (field.default !== undefined) expect(errorsFor(field.default)).toEqual([]);
}

describe('connector kind forms', () => {
  const forms = connectorKindForms(['one-stop-shop', 'vnpost-bcci', 'dvcqg-evaluation', 'declarative-rest', 'document-management', 'future-kind']);

  it('describe every framework option as its validator reads it', () => {
    for (const field of FRAMEWORK_OPTION_FIELDS) checkField(READERS.framework, field);
  });

  it("describe each kind's own options as its validator reads them", () => {
    for (const form of forms) {
      const read = READERS[form.kind];
      if (!read) continue;
      for (const field of form.options.filter((f) => !FRAMEWORK_OPTION_FIELDS.includes(f))) checkField(read, field);
    }
    expect(forms.find((f) => f.kind === 'dvcqg-evaluation')!.options.map((o) => o.name)).toEqual(
      expect.arrayContaining(['periods', 'endpoints', 'pageSize', 'rootDepartmentId', 'departmentCode']),
    );
  });

  it('name the credentials of each kind, and give an unknown kind the framework options', () => {
    expect(forms.find((f) => f.kind === 'one-stop-shop')!.credentials).toEqual([
      { name: 'clientId', required: true },
      { name: 'clientSecret', required: true },
    ]);
    expect(forms.find((f) => f.kind === 'dvcqg-evaluation')!.credentials).toEqual([]);
    expect(forms.find((f) => f.kind === 'future-kind')).toEqual({ kind: 'future-kind', credentials: [], options: [...FRAMEWORK_OPTION_FIELDS] });
  });
});
