// The cache-rule expression matcher: which private areas (/admin, /dashboard, /login, /api,
// /account) a Rules-language expression would match, over the forms Cloudflare's dashboard and
// API users actually write.
import { describe, expect, it } from 'vitest';
import {
  PRIVATE_PATHS,
  parseRuleExpression,
  privatePathsMatched,
} from '../../src/main/core/integrations/cloudflare-expression';

const ALL = [...PRIVATE_PATHS];

describe('privatePathsMatched', () => {
  it.each([
    // The demo's rule: the admin API is under /api.
    ['(starts_with(http.request.uri.path, "/api/admin"))', ['/api']],
    ['starts_with(http.request.uri.path, "/admin")', ['/admin']],
    ['starts_with(http.request.uri.path, "/api")', ['/api']],
    ['http.request.uri.path contains "/admin"', ['/admin']],
    ['(http.request.uri.path eq "/login")', ['/login']],
    ['http.request.uri.path == "/dashboard" && http.request.method eq "GET"', ['/dashboard']],
    ['http.request.uri.path in {"/login" "/signup"}', ['/login']],
    ['lower(http.request.uri.path) eq "/account/settings"', ['/account']],
    ['http.request.uri.path wildcard "/dashboard/*"', ['/dashboard']],
    ['http.request.uri.path matches "^/(login|account)"', ['/login', '/account']],
    ['http.request.uri.path matches r"^/admin/.*"', ['/admin']],
    ['http.request.full_uri wildcard "https://example.com/account/*"', ['/account']],
    ['starts_with(http.request.full_uri, "https://example.com/api/")', ['/api']],
    ['http.request.uri contains "/dashboard"', ['/dashboard']],
  ])('%s → %j', (expression, expected) => {
    expect(privatePathsMatched(expression)).toEqual(expected);
  });

  it.each([
    ['true'],
    ['(http.host eq "promptly-ai.test")'],
    ['http.host in {"promptly-ai.test" "www.promptly-ai.test"}'],
    ['http.request.method eq "GET"'],
    ['http.cookie contains "session"'],
    ['any(http.request.headers["accept"][*] contains "text/html")'],
    // Everything except the assets: private pages included.
    ['not starts_with(http.request.uri.path, "/assets")'],
    ['ssl and http.host eq "example.com"'],
  ])('%s matches every private area', (expression) => {
    expect(privatePathsMatched(expression)).toEqual(ALL);
  });

  it.each([
    ['false'],
    ['(starts_with(http.request.uri.path, "/assets/"))'],
    [
      '(starts_with(http.request.uri.path, "/assets/") or starts_with(http.request.uri.path, "/_next/static/"))',
    ],
    ['http.host eq "example.com" and starts_with(http.request.uri.path, "/_next/static")'],
    ['(http.request.uri.path.extension in {"js" "css" "png" "woff2"})'],
    ['http.request.uri.path eq "/apidocs"'],
    ['http.request.uri.path contains "/static/" or http.request.uri.path.extension eq "svg"'],
    [
      'starts_with(http.request.uri.path, "/admin") and not http.request.uri.path contains "/admin"',
    ],
  ])('%s matches no private area', (expression) => {
    expect(privatePathsMatched(expression)).toEqual([]);
  });

  it('falls back to a literal search for an expression it cannot parse', () => {
    expect(() => parseRuleExpression('starts_with(http.request.uri.path, "/admin"')).toThrow();
    expect(privatePathsMatched('starts_with(http.request.uri.path, "/admin"')).toEqual(['/admin']);
    expect(privatePathsMatched('http.request.uri.path ??? "/assets"')).toEqual([]);
  });

  it('reads escaped quotes inside strings', () => {
    expect(privatePathsMatched('http.request.uri.path contains "/login\\"x" or false')).toEqual([]);
    expect(privatePathsMatched('http.user_agent contains "\\"bot\\"" and false')).toEqual([]);
  });
});
