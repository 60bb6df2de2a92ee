import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, catchError, defer, from, mergeMap, throwError } from 'rxjs';
import { AuditPlan, AuditedRequest, describeCall, statusOf } from './audit-describe';
import { AuditService } from './audit.service';
import { errorBody } from '../platform/http/api-errors';

const UNRECORDED_MESSAGE =
  'the audit trail could not be written: this action may have been carried out but is not recorded; check its effect before retrying';

/**
 * Writes one audit row for every state-changing call (POST, PUT, PATCH, DELETE) and for read routes marked
 * `@AuditRead(name)`, once the handler has ended:
 *
 * - succeeded: the row is written before the answer is sent. If it cannot be written the caller gets 503 instead
 *   of the answer. The change itself may nevertheless have been made (the handler's work is committed by then;
 *   the row is not part of its transaction), and the 503 says so: the caller should check before retrying. We
 *   prefer an honest error to a change that nobody can trace.
 * - handlers that write the answer themselves (`@Res()`, e.g. the raw payload download): while the handler runs,
 *   `response.end` is held back until the row is written (status = the one the handler set); if the row cannot be
 *   written, the handler's answer is replaced by the same 503, so no bytes leave unrecorded. Limit: a handler that
 *   streams (`res.write`, `pipe`) sends its chunks before `end`; its row is written before the end of the stream.
 * - failed (thrown HttpException, validation error, 5xx; 401/403 thrown in a handler count as denied): the row is
 *   written, then the same error is rethrown. A failure to write the row is logged and never changes the answer.
 *
 * Calls the authentication guard refuses never reach interceptors: the guard records them itself
 * (`AuditService.recordRefusal`).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AuditInterceptor.name);

  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const plan = this.audit.planFor(context);
    if (!plan) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<AuditedRequest>();
    const response = http.getResponse<Response>();
    let holdBack: HeldResponse | null = null;
    return defer(() => {
      holdBack = this.holdBackEnd(request, response, plan);
      return next.handle();
    }).pipe(
      // handler errors only: a 503 from the success branch below must not be recorded again as a failure
      catchError((error: unknown) => {
        holdBack?.release();
        return from(this.recordFailure(request, plan, error)).pipe(mergeMap(() => throwError(() => error)));
      }),
      mergeMap(async (result: unknown) => {
        const held = holdBack?.release();
        if (held) await held; // the handler answered itself: its row is (being) written at its `end`
        else await this.recordSuccess(request, response, plan, result);
        return result;
      }),
    );
  }

  /**
   * Holds back `response.end` called by the handler itself until its row is written. `release()` puts `end` back
   * and returns the pending recording, if the handler ended the response.
   */
  private holdBackEnd(request: AuditedRequest, response: Response, plan: AuditPlan): HeldResponse {
    const originalEnd = response.end;
    const end = (args: unknown[]): void => void (originalEnd as (...a: unknown[]) => Response).apply(response, args);
    const headersBefore = new Set(typeof response.getHeaderNames === 'function' ? response.getHeaderNames() : []);
    let pending: Promise<void> | null = null;
    const release = (): Promise<void> | null => {
      if (response.end !== originalEnd) response.end = originalEnd;
      return pending;
    };
    response.end = ((...args: unknown[]) => {
      release();
      pending = this.recordOwnAnswer(request, response, plan).then(
        () => end(args),
        () => {
          if (response.headersSent) return end(args);
          // replace the handler's answer: none of its headers or bytes go out
          for (const name of response.getHeaderNames()) if (!headersBefore.has(name)) response.removeHeader(name);
          const body = JSON.stringify(errorBody(503, [UNRECORDED_MESSAGE]));
          response.statusCode = 503;
          response.setHeader('Content-Type', 'application/json; charset=utf-8');
          response.setHeader('Content-Length', Buffer.byteLength(body));
          end([body]);
        },
      );
      return response;
    }) as typeof response.end;
    return { release };
  }

  private async recordOwnAnswer(request: AuditedRequest, response: Response, plan: AuditPlan): Promise<void> {
    const event = describeCall(request, plan, { status: response.statusCode });
    try {
      await this.audit.record(event);
    } catch (error) {
      this.logger.error({ err: error, action: event.action, target: event.target }, 'could not record a call in the audit trail');
      throw error;
    }
  }

  private async recordSuccess(request: AuditedRequest, response: Response, plan: AuditPlan, result: unknown): Promise<void> {
    const event = describeCall(request, plan, { status: response.statusCode, result });
    try {
      await this.audit.record(event);
    } catch (error) {
      this.logger.error({ err: error, action: event.action, target: event.target }, 'could not record a call in the audit trail');
      if (response.headersSent) return; // the answer is already out: nothing left to refuse
      throw new ServiceUnavailableException(UNRECORDED_MESSAGE);
    }
  }

  private async recordFailure(request: AuditedRequest, plan: AuditPlan, error: unknown): Promise<void> {
    try {
      await this.audit.record(describeCall(request, plan, { status: statusOf(error), error }));
    } catch (failure) {
      this.logger.error({ err: failure, action: plan.action }, 'could not record a failed call in the audit trail');
    }
  }
}

interface HeldResponse {
  release: () => Promise<void> | null;
}
