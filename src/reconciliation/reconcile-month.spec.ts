import { reconcileMonth } from './reconcile-month';

const at = (iso: string) => new Date(iso);

describe('reconcileMonth (a hand-built month)', () => {
  const dossiers = [
    { dossierId: 'H1', procedureCode: 'P1', postalDays: ['2025-03-02'] },
    { dossierId: 'H2', procedureCode: 'P1', postalDays: ['2025-03-05'] },
    { dossierId: 'H3', procedureCode: 'P2', postalDays: ['2025-03-05'] },
    { dossierId: 'H4', procedureCode: 'P2', postalDays: ['2025-03-09'] },
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
    expect(result).toEqual({ matched: 2, matchedByFallback: 1, unmatchedWaybillIds: ['EB3', 'EB4'], unmatchedDossierIds: ['H2', 'H4'] });
  });

  it('counts everything unmatched when one side is empty', () => {
    expect(reconcileMonth([], dossiers).unmatchedDossierIds).toHaveLength(4);
    expect(reconcileMonth([{ waybillId: 'EB9', dossierId: 'H1', procedureCode: null, acceptedAt: null }], [])).toEqual({
      matched: 0,
      matchedByFallback: 0,
      unmatchedWaybillIds: ['EB9'],
      unmatchedDossierIds: [],
    });
  });
});
