import type { RequestHandler } from 'express';

/**
 * Headers for an API that serves JSON, plus one HTML report page: nothing
 * may be framed, sniffed, cached by intermediaries or loaded from elsewhere.
 * The report route loosens the content policy for its inline SVG and styles.
 */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

/** The policy for self-contained HTML pages: inline styles and SVG, nothing fetched. */
export const HTML_PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";
