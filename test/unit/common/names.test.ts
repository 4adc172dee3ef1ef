import { invalidFunctionName, splitFunctionRef } from '../../../common/src/names';

describe('invalidFunctionName', () => {
  it.each(['echoit', 'a', 'node-info', 'fn1', 'a'.repeat(63)])('accepts %s', (n) => {
    expect(invalidFunctionName(n)).toBeNull();
  });
  it.each(['', 'Echo', '-a', 'a-', 'a_b', 'a.b', 'a'.repeat(64), '../etc', 'a b', 'x;rm'])('rejects %j', (n) => {
    expect(invalidFunctionName(n)).toEqual(expect.any(String));
  });
});

describe('splitFunctionRef', () => {
  it('treats name.openfaas-fn as name', () => {
    expect(splitFunctionRef('echoit.openfaas-fn')).toEqual({ name: 'echoit', namespace: 'openfaas-fn' });
  });
  it('uses the one namespace when none is given', () => {
    expect(splitFunctionRef('echoit')).toEqual({ name: 'echoit', namespace: 'openfaas-fn' });
  });
  it('refuses another namespace', () => {
    expect(splitFunctionRef('echoit.other')).toBeNull();
  });
});
