import { Balancer } from '../../../gateway/src/proxy/balancer';
import { parseInvokeUrl } from '../../../gateway/src/proxy/invoke-url';

const eps = ['a', 'b', 'c'].map((id) => ({ id, url: `http://${id}` }));

describe('Balancer', () => {
  it('rotates among idle endpoints', () => {
    const b = new Balancer();
    expect(Array.from({ length: 6 }, () => b.pick(eps).id)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('prefers the endpoint with the fewest calls in flight', () => {
    const b = new Balancer();
    b.acquire('http://a');
    b.acquire('http://a');
    b.acquire('http://b');
    expect(b.pick(eps).id).toBe('c');
    b.acquire('http://c');
    b.acquire('http://c');
    expect(b.pick(eps).id).toBe('b');
    b.release('http://a');
    b.release('http://a');
    expect(b.load('http://a')).toBe(0);
  });
});

describe('parseInvokeUrl', () => {
  it.each([
    ['/function/echo', { name: 'echo', path: '/' }],
    ['/function/echo.openfaas-fn/x/y?z=1', { name: 'echo', path: '/x/y?z=1' }],
    ['/function/echo?z=1', { name: 'echo', path: '/?z=1' }],
    ['/function/echo.other/x', null],
    ['/function/Echo', null],
    ['/function/', null],
  ])('parses %s', (url, want) => {
    expect(parseInvokeUrl(url)).toEqual(want);
  });
});
