/**
 * The document-management (QLVB&ĐH) statistics contract as checkable rules, written from the contract text
 * ("Document-management and executive system (QLVB&ĐH) statistics, via LGSP"), not from the connector's
 * configuration. Imports nothing from `src/`.
 */
import { z } from 'zod';

export const DOCUMENT_ERROR_CODES = ['AUTHEN_ERROR', 'AGENCY_ID_INCORRECT', 'DATA_INCORRECT'] as const;
/** `maDonVi`: the agency's electronic identifier, e.g. 000.00.00.H44 (the provincial People's Committee). */
export const AGENCY_ID = /^\d{3}\.\d{2}\.\d{2}\.H\d{2}$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

const count = z.number().int().nonnegative();
const outgoing = z
  .object({ tong: count, dienTu: count, kySo: count, lienThongTrucQuocGia: count })
  .strict()
  .refine((o) => o.dienTu <= o.tong && o.kySo <= o.tong && o.lienThongTrucQuocGia <= o.tong, { message: 'a part exceeds tong' });
const incoming = z
  .object({ tong: count, dienTu: count })
  .strict()
  .refine((o) => o.dienTu <= o.tong, { message: 'dienTu exceeds tong' });

export const documentUnitFigures = z
  .object({ maDonVi: z.string().regex(AGENCY_ID), tenDonVi: z.string().min(1), vanBanDi: outgoing, vanBanDen: incoming })
  .strict();

export const documentSuccess = z
  .object({
    status: z.literal('success'),
    data: z
      .object({
        maDonVi: z.string().regex(AGENCY_ID),
        tuNgay: z.string().regex(ISO_DAY),
        denNgay: z.string().regex(ISO_DAY),
        vanBanDi: outgoing,
        vanBanDen: incoming,
        donVi: z.array(documentUnitFigures),
      })
      .strict(),
  })
  .strict();

/** `{"status":"error","code":…,"message":…}` with one of the contract's codes. */
export const documentError = z.object({ status: z.literal('error'), code: z.enum(DOCUMENT_ERROR_CODES), message: z.string().min(1) }).strict();
