// One JSON error shape for every failure, `{ "error": { "code", "message", "details" } }`, with the right status;
// anything unexpected is logged and answered 500 without internals.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { LineageError } from '../src/domain';

const STATUS: Record<string, number> = {
  invalid_input: 400, parse_error: 400, unknown_format: 400, not_found: 404, unauthorized: 401, forbidden_host: 403,
  payload_too_large: 413, unsupported_media_type: 415, rate_limited: 429,
};

/** An error with an HTTP meaning but no domain one (authentication, Host header, body size). */
export class HttpError extends LineageError {}

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(new LineageError('not_found', `no route ${req.method} ${req.path}`));
};

export function errorHandler(log: (message: string) => void): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    if (error instanceof LineageError && error.code === 'store_damaged') {
      // The message names files on the server: logged there, not sent.
      log(`lineage serve: ${error.message}`);
      res.status(500).json({ error: { code: error.code, message: 'the store is damaged; the server log says how' } });
      return;
    }
    if (error instanceof LineageError) {
      res.status(STATUS[error.code] ?? 400).json({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
      return;
    }
    const status = (error as { status?: number; type?: string }).status;
    if (status === 413) {
      res.status(413).json({ error: { code: 'payload_too_large', message: 'request body too large' } });
      return;
    }
    if (status === 400 && error instanceof URIError) {
      // The router could not percent-decode a path parameter (`/processes/%E0%A4%A`): the client's fault, not ours.
      res.status(400).json({ error: { code: 'invalid_input', message: 'the path is not valid percent-encoded UTF-8' } });
      return;
    }
    if (status === 400 && (error as { type?: string }).type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid_input', message: 'request body is not valid JSON' } });
      return;
    }
    log(`lineage serve: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}
