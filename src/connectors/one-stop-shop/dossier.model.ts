/** The normalised dossier is evidence's input vocabulary; the connector produces it. */
export * from '../../evidence/records/dossier.record';
