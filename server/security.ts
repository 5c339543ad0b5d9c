// Safe by default: the Host header must name this server (DNS rebinding), a token (when set) is checked in constant
// time on every API route but /health, and helmet sets a strict Content-Security-Policy the UI works under.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { HttpError } from './http-errors';

/** Host names (no port) the server answers to. */
export function hostCheck(allowed: readonly string[]): RequestHandler {
  const names = new Set(allowed.map((h) => h.toLowerCase()));
  return (req, _res, next) => {
    const host = (req.headers.host ?? '').toLowerCase();
    const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
    if (!names.has(name)) next(new HttpError('forbidden_host', 'Host header names no name this server answers to'));
    else next();
  };
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Requires `Authorization: Bearer <token>` when a token is set. */
export function tokenCheck(token: string | null, open: (path: string) => boolean): RequestHandler {
  const expected = token ? digest(token) : null;
  return (req, _res, next) => {
    if (!expected || open(req.path)) return next();
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!timingSafeEqual(digest(given), expected)) next(new HttpError('unauthorized', 'a valid token is required (Authorization: Bearer <token>)'));
    else next();
  };
}

export const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'connect-src': ["'self'"],
      'font-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
      'form-action': ["'self'"],
    },
  },
  crossOriginEmbedderPolicy: false,
});
