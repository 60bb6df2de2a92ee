import { Role } from '../platform/auth/access-policy';

export interface UserView {
  id: string;
  username: string;
  role: Role;
  provinceCode: string | null;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApiKeyView {
  id: string;
  name: string;
  /** the first characters of the key, to recognise it; never enough to use it */
  prefix: string;
  role: Role;
  provinceCode: string | null;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** Officers are bound to exactly one province; the other roles to none. */
export function provinceProblem(role: Role, provinceCode: string | null | undefined, isProvince: (code: string) => boolean): string | null {
  if (role === 'officer') {
    if (!provinceCode) return 'provinceCode is required for a province officer';
    if (!isProvince(provinceCode)) return `provinceCode ${provinceCode} is not one of the 34 provincial units in force`;
    return null;
  }
  return provinceCode ? `provinceCode is only for province officers (role ${role} covers every province)` : null;
}
