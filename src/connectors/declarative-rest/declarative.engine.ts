/**
 * The pure engine of the declarative REST connector: an operator describes a sectoral statistics source in
 * `options.source` (request template, periods, units, auth, paging, envelope, where records and figures sit)
 * and these functions turn it into requests and figures. Nothing here does I/O.
 */
export {
  DEFAULT_MAX_PAGES,
  METRIC_CODE,
  declarativeConfigSchema,
  parseDeclarativeConfig,
  recordSources,
} from './declarative-config.schema';
export type { DeclarativeAuth, DeclarativeConfig, DeclarativeMetric, DeclarativePaging } from './declarative-config.schema';
export { isMultiValuedPath, jsonPath, jsonPathError, jsonPathOne, parseJsonPath } from './json-path';
export type { JsonPathSegment, ParsedJsonPath } from './json-path';
export { DATE_FORMATS, formatVietnamDate, renderTemplate, templateErrors } from './url-template';
export type { DateFormat, TemplateVars } from './url-template';
export { DeclarativePagingError, isNextLink, nextPaging, startPaging } from './paging';
export type { PagingState } from './paging';
export { authHeaders, buildRequest, resolveUnits } from './request';
export type { DeclarativeRequest } from './request';
export { periodsInWindow } from './periods';
export { checkEnvelope, emptyRecordPaths, extractFigures, extractPositionedRecords, extractRecords, readFigureNumber } from './metric-mapping';
export type { EnvelopeError, Figure, FigureProblem, RecordPosition } from './metric-mapping';
