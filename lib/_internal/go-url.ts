// Go's net/url: `url.Parse(raw)` then `(*URL).String()`, the round trip Argo CD's
// git.NormalizeGitURL puts every repository URL and every AppProject sourceRepos pattern through.
// Written here because Argo CD's Go behaviour must be matched exactly: Go refuses some URLs (which
// Argo CD then normalizes to the empty string) and re-escapes others (a path with `{`, a space or a
// non-ASCII letter is escaped whole, `*` included), and no npm package does the same. Follows Go
// 1.26's net/url (parse, parseAuthority, parseHost with strict colons for http and https, setPath,
// EscapedPath, validEncoded, setFragment, String) over UTF-8 bytes.

type Mode = 'host' | 'zone' | 'path' | 'pathSegment' | 'userPassword' | 'queryComponent' | 'fragment';

const UPPER_HEX = '0123456789ABCDEF';

function isAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return c - 0x41 + 10;
}

/** Go's shouldEscape. */
function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if ((mode === 'host' || mode === 'zone') && '!$&\'()*+,;=:[]<>"'.includes(ch) && c < 0x80) return false;
  if ('-_.~'.includes(ch) && c < 0x80) return false;
  if ('$&+,/:;=?@'.includes(ch) && c < 0x80) {
    switch (mode) {
      case 'path': return ch === '?';
      case 'pathSegment': return ch === '/' || ch === ';' || ch === ',' || ch === '?';
      case 'userPassword': return ch === '@' || ch === '/' || ch === '?' || ch === ':';
      case 'queryComponent': return true;
      case 'fragment': return false;
      default: break;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(ch) && c < 0x80) return false;
  return true;
}

class UrlError extends Error {}

type Bytes = number[];

const enc = (s: string): Bytes => Array.from(Buffer.from(s, 'utf8'));
const str = (b: Bytes): string => Buffer.from(b).toString('latin1');

/** Go's unescape over bytes. */
function unescape(s: Bytes, mode: Mode): Bytes {
  let n = 0;
  let hasPlus = false;
  for (let i = 0; i < s.length;) {
    const c = s[i];
    if (c === 0x25) {
      n++;
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) throw new UrlError('invalid URL escape');
      if (mode === 'host' && unhex(s[i + 1]) < 8 && str(s.slice(i, i + 3)) !== '%25') throw new UrlError('invalid URL escape');
      if (mode === 'zone') {
        const v = (unhex(s[i + 1]) << 4) | unhex(s[i + 2]);
        if (str(s.slice(i, i + 3)) !== '%25' && v !== 0x20 && shouldEscape(v, 'host')) throw new UrlError('invalid URL escape');
      }
      i += 3;
    } else if (c === 0x2b) {
      hasPlus = mode === 'queryComponent';
      i++;
    } else {
      if ((mode === 'host' || mode === 'zone') && c < 0x80 && shouldEscape(c, mode)) throw new UrlError('invalid character in host name');
      i++;
    }
  }
  if (n === 0 && !hasPlus) return s;
  const out: Bytes = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === 0x25) {
      out.push((unhex(s[i + 1]) << 4) | unhex(s[i + 2]));
      i += 2;
    } else if (c === 0x2b) {
      out.push(mode === 'queryComponent' ? 0x20 : 0x2b);
    } else {
      out.push(c);
    }
  }
  return out;
}

/** Go's escape over bytes. */
function escape(s: Bytes, mode: Mode): Bytes {
  const out: Bytes = [];
  for (const c of s) {
    if (c === 0x20 && mode === 'queryComponent') out.push(0x2b);
    else if (shouldEscape(c, mode)) out.push(0x25, UPPER_HEX.charCodeAt(c >> 4), UPPER_HEX.charCodeAt(c & 15));
    else out.push(c);
  }
  return out;
}

function validEncoded(s: Bytes, mode: Mode): boolean {
  for (const c of s) {
    if (c < 0x80 && '!$&\'()*+,;=:@[]%'.includes(String.fromCharCode(c))) continue;
    if (shouldEscape(c, mode)) return false;
  }
  return true;
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  return /^[0-9]*$/.test(port.slice(1));
}

function validUserinfo(s: string): boolean {
  return /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);
}

/** Go's netip.ParseAddr, reduced to what parseHost asks: a valid IPv6 address (zone allowed). */
function isIPv6(s: string): boolean {
  const [addr, zone] = s.split('%', 2);
  if (zone !== undefined && zone === '') return false;
  const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
  let groups = addr.split(':');
  let need = 8;
  if (groups.length && v4.test(groups[groups.length - 1]) && addr.includes(':')) {
    groups = groups.slice(0, -1);
    need = 6;
    if (groups[groups.length - 1] === '') groups.push('');
  }
  const dbl = addr.indexOf('::');
  if (dbl !== addr.lastIndexOf('::')) return false;
  const hex = (g: string) => /^[0-9a-fA-F]{1,4}$/.test(g);
  if (dbl < 0) return groups.length === need && groups.every(hex);
  const [head, tail] = addr.slice(0, addr.length).split('::');
  const h = head === '' ? [] : head.split(':');
  let t = tail === '' ? [] : tail.split(':');
  if (need === 6 && t.length) t = t.slice(0, -1);
  return h.every(hex) && t.every(hex) && h.length + t.length < need;
}

function parseHost(scheme: string, host: string): Bytes {
  const open = host.lastIndexOf('[');
  if (open > 0) throw new UrlError('invalid IP-literal');
  if (open === 0) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError('invalid port');
    const port = unescape(enc(colonPort), 'host');
    const hostname = host.slice(1, close);
    const zoneIdx = hostname.indexOf('%25');
    let unescaped: Bytes;
    if (zoneIdx >= 0) unescaped = [...unescape(enc(hostname.slice(0, zoneIdx)), 'host'), ...unescape(enc(hostname.slice(zoneIdx)), 'zone')];
    else unescaped = unescape(enc(hostname), 'host');
    const text = Buffer.from(unescaped).toString('utf8');
    if (!isIPv6(text)) throw new UrlError('invalid host');
    return [0x5b, ...unescaped, 0x5d, ...port];
  }
  let i = host.indexOf(':');
  if (i !== -1) {
    const last = host.lastIndexOf(':');
    // Go 1.26 (urlstrictcolons): only http and https keep the first colon, and so refuse a second
    if (last !== i && scheme !== 'http' && scheme !== 'https') i = last;
    if (!validOptionalPort(host.slice(i))) throw new UrlError('invalid port');
  }
  return unescape(enc(host), 'host');
}

interface GoUrl {
  scheme: string;
  opaque: string;
  user?: { username: Bytes; password?: Bytes };
  host: Bytes;
  path: Bytes;
  rawPath: Bytes | undefined;
  rawQuery: string;
  forceQuery: boolean;
  omitHost: boolean;
  fragment: Bytes;
  rawFragment: Bytes | undefined;
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new UrlError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function parse(raw: string): GoUrl {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new UrlError('invalid control character in URL');
  const u: GoUrl = { scheme: '', opaque: '', host: [], path: [], rawPath: undefined, rawQuery: '', forceQuery: false, omitHost: false, fragment: [], rawFragment: undefined };
  if (raw === '*') {
    u.path = [0x2a];
    return u;
  }
  let rest: string;
  [u.scheme, rest] = getScheme(raw);
  u.scheme = u.scheme.toLowerCase();
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    u.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      u.opaque = rest;
      return u;
    }
    const slash = rest.indexOf('/');
    if ((slash < 0 ? rest : rest.slice(0, slash)).includes(':')) throw new UrlError('first path segment in URL cannot contain colon');
  }
  if ((u.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const i = authority.indexOf('/');
    if (i >= 0) {
      rest = authority.slice(i);
      authority = authority.slice(0, i);
    }
    const at = authority.lastIndexOf('@');
    u.host = parseHost(u.scheme, at < 0 ? authority : authority.slice(at + 1));
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (!validUserinfo(userinfo)) throw new UrlError('invalid userinfo');
      const colon = userinfo.indexOf(':');
      if (colon < 0) u.user = { username: unescape(enc(userinfo), 'userPassword') };
      else u.user = { username: unescape(enc(userinfo.slice(0, colon)), 'userPassword'), password: unescape(enc(userinfo.slice(colon + 1)), 'userPassword') };
    }
  } else if (u.scheme !== '' && rest.startsWith('/')) {
    u.omitHost = true;
  }
  const p = enc(rest);
  u.path = unescape(p, 'path');
  u.rawPath = str(escape(u.path, 'path')) === str(p) ? undefined : p;
  return u;
}

function escapedPath(u: GoUrl): Bytes {
  if (u.rawPath !== undefined && u.rawPath.length > 0 && validEncoded(u.rawPath, 'path')) {
    try {
      if (str(unescape(u.rawPath, 'path')) === str(u.path)) return u.rawPath;
    } catch {
      // falls through to the default escaping
    }
  }
  if (str(u.path) === '*') return u.path;
  return escape(u.path, 'path');
}

function escapedFragment(u: GoUrl): Bytes {
  if (u.rawFragment !== undefined && u.rawFragment.length > 0 && validEncoded(u.rawFragment, 'fragment')) {
    try {
      if (str(unescape(u.rawFragment, 'fragment')) === str(u.fragment)) return u.rawFragment;
    } catch {
      // falls through
    }
  }
  return escape(u.fragment, 'fragment');
}

function toString(u: GoUrl): string {
  const out: Bytes = [];
  const put = (s: string) => out.push(...enc(s));
  if (u.scheme !== '') put(`${u.scheme}:`);
  if (u.opaque !== '') {
    put(u.opaque);
  } else {
    if (u.scheme !== '' || u.host.length > 0 || u.user) {
      if (!(u.omitHost && u.host.length === 0 && !u.user)) {
        if (u.host.length > 0 || u.path.length > 0 || u.user) put('//');
        if (u.user) {
          out.push(...escape(u.user.username, 'userPassword'));
          if (u.user.password !== undefined) out.push(0x3a, ...escape(u.user.password, 'userPassword'));
          out.push(0x40);
        }
        if (u.host.length > 0) out.push(...escape(u.host, 'host'));
      }
    }
    const path = escapedPath(u);
    if (path.length > 0 && path[0] !== 0x2f && u.host.length > 0) out.push(0x2f);
    if (out.length === 0) {
      const text = str(path);
      const slash = text.indexOf('/');
      if ((slash < 0 ? text : text.slice(0, slash)).includes(':')) put('./');
    }
    out.push(...path);
  }
  if (u.forceQuery || u.rawQuery !== '') put(`?${u.rawQuery}`);
  if (u.fragment.length > 0) out.push(0x23, ...escapedFragment(u));
  return Buffer.from(out).toString('utf8');
}

/**
 * Go's `url.Parse(raw)` followed by `.String()`: the URL as Go writes it back, or undefined when
 * Go refuses to parse it.
 */
export function goUrlRoundTrip(raw: string): string | undefined {
  try {
    const hash = raw.indexOf('#');
    const u = parse(hash < 0 ? raw : raw.slice(0, hash));
    if (hash >= 0) {
      const f = enc(raw.slice(hash + 1));
      if (f.length > 0) {
        u.fragment = unescape(f, 'fragment');
        u.rawFragment = str(escape(u.fragment, 'fragment')) === str(f) ? undefined : f;
      }
    }
    return toString(u);
  } catch (e) {
    if (e instanceof UrlError) return undefined;
    throw e;
  }
}
