import { reportMonths } from './report-months';

describe('reportMonths', () => {
  it('lists the Vietnam-time months a window touches', () => {
    // 2025-01-31 17:00Z is 2025-02-01 00:00 in Vietnam
    expect(reportMonths(new Date('2025-01-31T17:00:00Z'), new Date('2025-03-31T17:00:00Z'), 0)).toEqual(['2025-02', '2025-03']);
  });

  it('looks back for late and corrected reports', () => {
    expect(reportMonths(new Date('2026-03-01T00:00:00Z'), new Date('2026-03-02T00:00:00Z'), 3)).toEqual(['2025-12', '2026-01', '2026-02', '2026-03']);
  });
});
