import { proxyFor } from '../../../../lib/symsrv/http/proxy';

describe('proxyFor: which proxy a symbol-server URL goes through', () => {
  const url = 'https://msdl.microsoft.com/download/symbols/ntdll.pdb/KEY/ntdll.pdb';
  test('the handler setting wins; false means none whatever the environment says', () => {
    const env = { HTTPS_PROXY: 'http://env:1', _NT_SYMBOL_PROXY: 'nt:2' };
    expect(proxyFor(url, 'http://mine:3', env)).toBe('http://mine:3');
    expect(proxyFor(url, false, env)).toBeUndefined();
  });
  test("_NT_SYMBOL_PROXY (symsrv's host:port) before the *_PROXY variables", () => {
    expect(proxyFor(url, undefined, { HTTPS_PROXY: 'http://env:1', _NT_SYMBOL_PROXY: 'nt:2' })).toBe('http://nt:2');
    expect(proxyFor(url, undefined, { _NT_SYMBOL_PROXY: 'https://nt:2' })).toBe('https://nt:2');
  });
  test('HTTPS_PROXY for https, HTTP_PROXY for http, NO_PROXY exempts hosts', () => {
    const env = { HTTPS_PROXY: 'http://s:1', HTTP_PROXY: 'http://p:2' };
    expect(proxyFor(url, undefined, env)).toBe('http://s:1');
    expect(proxyFor('http://symbols.example/x', undefined, env)).toBe('http://p:2');
    expect(proxyFor(url, undefined, { ...env, NO_PROXY: '.microsoft.com' })).toBeUndefined();
    expect(proxyFor('http://127.0.0.1:8080/x', undefined, { HTTP_PROXY: 'p:2', NO_PROXY: '127.0.0.1' })).toBeUndefined();
    expect(proxyFor(url, undefined, {})).toBeUndefined();
  });
  test('a custom environment does not disturb process.env', () => {
    const before = process.env.HTTPS_PROXY;
    proxyFor(url, undefined, { HTTPS_PROXY: 'http://s:1' });
    expect(process.env.HTTPS_PROXY).toBe(before);
  });
});
