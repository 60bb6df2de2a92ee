import { ForbiddenException } from '@nestjs/common';
import { AccessScope, PERMISSIONS, ROLES, ROLE_PERMISSIONS, can } from './access-policy';

const officer = (code: string) => AccessScope.of({ kind: 'user', id: 'u', name: 'o', role: 'officer', provinceCode: code });

describe('access policy', () => {
  it('gives administrators every permission and only them user management', () => {
    for (const p of PERMISSIONS) expect(can('admin', p)).toBe(true);
    expect(ROLES.filter((r) => can(r, 'users.manage'))).toEqual(['admin']);
  });

  it('lets auditors read everything and change nothing', () => {
    for (const p of ['connectors.write', 'imports.write', 'users.manage', 'queues.dashboard'] as const) expect(can('auditor', p)).toBe(false);
    for (const p of ['scores.read', 'raw.read', 'audit.read', 'connectors.read', 'quarantine.read'] as const) expect(can('auditor', p)).toBe(true);
  });

  it('keeps operators to connectors and officers to their province data', () => {
    expect(can('operator', 'connectors.write')).toBe(true);
    expect(can('operator', 'raw.read')).toBe(false);
    expect(can('operator', 'scores.read')).toBe(false);
    expect(can('officer', 'connectors.read')).toBe(false);
    expect(can('officer', 'imports.write')).toBe(true);
    expect(can('officer', 'regions.read')).toBe(false);
  });

  it('separates preparing a self-assessment (officers) from deciding on it (appraisers)', () => {
    expect(ROLES.filter((r) => can(r, 'appraisal.submit'))).toEqual(['admin', 'officer']);
    expect(ROLES.filter((r) => can(r, 'appraisal.decide'))).toEqual(['admin', 'appraiser']);
    for (const p of ['imports.write', 'connectors.write', 'users.manage', 'audit.read'] as const) expect(can('appraiser', p)).toBe(false);
    expect(can('appraiser', 'raw.read')).toBe(true);
  });

  it('names only known permissions in the table', () => {
    for (const role of ROLES) for (const p of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(p);
  });

  it('narrows an officer to one province in SQL and in checks', () => {
    const params: unknown[] = ['x'];
    expect(officer('79').provinceCondition('e.province_code', params)).toBe('e.province_code = $2');
    expect(params).toEqual(['x', '79']);
    expect(officer('79').canReadProvince('79')).toBe(true);
    expect(() => officer('79').assertProvince('01')).toThrow(ForbiddenException);
  });

  it('leaves every province to the other roles and to the service itself', () => {
    const params: unknown[] = [];
    expect(AccessScope.system().provinceCondition('province_code', params)).toBe('TRUE');
    expect(params).toEqual([]);
    expect(AccessScope.of({ kind: 'user', id: 'a', name: 'a', role: 'auditor', provinceCode: null }).canReadProvince('01')).toBe(true);
  });

  it('fails closed for an officer without a province', () => {
    const scope = AccessScope.of({ kind: 'user', id: 'u', name: 'o', role: 'officer', provinceCode: null });
    expect(scope.canReadProvince('01')).toBe(false);
  });

  it('lets operators read the queue dashboard but only administrators change jobs or publish results', () => {
    expect(can('operator', 'queues.dashboard')).toBe(true);
    for (const role of ['operator', 'officer', 'auditor'] as const) {
      expect(can(role, 'queues.manage')).toBe(false);
      expect(can(role, 'results.publish')).toBe(false);
    }
    expect(can('admin', 'queues.manage')).toBe(true);
    expect(can('admin', 'results.publish')).toBe(true);
  });
});
