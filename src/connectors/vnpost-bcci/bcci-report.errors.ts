export type BcciReportErrorCode = 'NO_HEADER' | 'MISSING_COLUMNS' | 'UNREADABLE' | 'ENCRYPTED' | 'UNSUPPORTED_FORMAT' | 'EMPTY';

/**
 * The file cannot be used at all: no header row, a required column missing, a truncated or password-protected
 * workbook, a format that is not XLSX or CSV. The connector records such a file as rejected, with this message.
 */
export class BcciReportFormatError extends Error {
  constructor(
    readonly code: BcciReportErrorCode,
    readonly fileName: string,
    message: string,
  ) {
    super(`${fileName}: ${message}`);
    this.name = 'BcciReportFormatError';
  }
}
