import { reconcileMonth } from './reconcile-month';

const at = (iso: string) => new Date(iso);

describe('reconcileMonth (a hand-built month)', () => {
  const dossiers = [
    { dossierId: 'H1', procedureCode: 'P1', postalDays: ['2025-03-02'], date: at('2025-03-02T02:00:00Z') },
    { dossierId: 'H2', procedureCode: 'P1', postalDays: ['2025-03-05'], date: at('2025-03-05T02:00:00Z') },
    { dossierId: 'H3', procedureCode: 'P2', postalDays: ['2025-03-05'], date: at('2025-03-05T03:00:00Z') },
    { dossierId: 'H4', procedureCode: 'P2', postalDays: ['2025-03-09'], date: null },
  ];

  it('matches by dossier id, then by procedure and day, and lists what is left on each side', () => {
    const result = reconcileMonth(
      [
        { waybillId: 'EB1', dossierId: 'H1', procedureCode: 'P1', acceptedAt: at('2025-03-02T01:00:00Z') },
        // no dossier id: procedure P2 accepted on 5 March (Vietnam time) → H3
        { waybillId: 'EB2', dossierId: null, procedureCode: 'P2', acceptedAt: at('2025-03-04T18:00:00Z') },
        // unknown id, and no dossier of P9 that day
        { waybillId: 'EB3', dossierId: 'HX', procedureCode: 'P9', acceptedAt: at('2025-03-05T03:00:00Z') },
        // a second waybill for H1 does not match twice
        { waybillId: 'EB4', dossierId: 'H1', procedureCode: 'P1', acceptedAt: at('2025-03-20T03:00:00Z') },
      ],
      dossiers,
    );
    expect(result).toMatchObject({ matched: 2, matchedByFallback: 1, unmatchedWaybillIds: ['EB3', 'EB4'], unmatchedDossierIds: ['H2', 'H4'] });
    // the lists: both sides' ids and dates, and why
    expect(result.items).toEqual([
      { reason: 'DOSSIER_ALREADY_MATCHED', waybillId: 'EB4', waybillDossierId: 'H1', waybillDate: '2025-03-20T03:00:00.000Z', dossierId: 'H1', dossierDate: '2025-03-02T02:00:00.000Z' },
      { reason: 'DOSSIER_NOT_FOUND', waybillId: 'EB3', waybillDossierId: 'HX', waybillDate: '2025-03-05T03:00:00.000Z', dossierId: null, dossierDate: null },
      { reason: 'MATCHED_BY_PROCEDURE_AND_DAY', waybillId: 'EB2', waybillDossierId: null, waybillDate: '2025-03-04T18:00:00.000Z', dossierId: 'H3', dossierDate: '2025-03-05T03:00:00.000Z' },
      { reason: 'NO_WAYBILL', waybillId: null, waybillDossierId: null, waybillDate: null, dossierId: 'H2', dossierDate: '2025-03-05T02:00:00.000Z' },
      { reason: 'NO_WAYBILL', waybillId: null, waybillDossierId: null, waybillDate: null, dossierId: 'H4', dossierDate: null },
    ]);
  });

  it('counts everything unmatched when one side is empty', () => {
    expect(reconcileMonth([], dossiers).unmatchedDossierIds).toHaveLength(4);
    expect(reconcileMonth([{ waybillId: 'EB9', dossierId: null, procedureCode: null, acceptedAt: null }], [])).toEqual({
      matched: 0,
      matchedByFallback: 0,
      unmatchedWaybillIds: ['EB9'],
      unmatchedDossierIds: [],
      items: [{ reason: 'WAYBILL_WITHOUT_DOSSIER_ID', waybillId: 'EB9', waybillDossierId: null, waybillDate: null, dossierId: null, dossierDate: null }],
    });
  });
});
