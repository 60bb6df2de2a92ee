import { OpenAPIObject } from '@nestjs/swagger';

type Operation = { parameters?: unknown[]; requestBody?: unknown; responses?: Record<string, unknown>; security?: unknown[]; 'x-public'?: boolean };

const ERROR_BODY = {
  type: 'object',
  required: ['statusCode', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    message: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'what is wrong (field-level for 400)' },
    error: { type: 'string', example: 'Bad Request' },
  },
};

const COMMON: Record<string, string> = {
  '400': 'invalid request: the message names each wrong field',
  '401': 'no credential, or an expired or revoked one',
  '403': "the credential's role or province does not allow this",
  '404': 'no such resource (or not visible to this province)',
  '413': 'body larger than HTTP_BODY_LIMIT_KB',
  '415': 'body in a content type the service does not read',
};

/**
 * Documents the error answers every operation can give, so the document's status codes match the service's:
 * 400, 413 and 415 everywhere (a body is read, and refused when unreadable, on any route), 401/403 unless public,
 * 404 where the path names a resource. Public operations (`x-public`) are marked as needing no credential.
 * Entries a controller documents itself are kept.
 */
export function documentErrorResponses(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ErrorBody: ERROR_BODY } };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      // any request may carry a body (read before routing): 400/413/415 can answer every operation
      const codes: string[] = ['400', '413', '415'];
      if (op['x-public']) op.security = [];
      else codes.push('401', '403');
      if (path.includes('{')) codes.push('404');
      op.responses = op.responses ?? {};
      for (const code of codes) {
        op.responses[code] ??= { description: COMMON[code], content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } };
      }
    }
  }
  return document;
}
