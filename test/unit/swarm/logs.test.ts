import { LogDemuxer, parseLogLine } from '../../../gateway/src/providers/swarm/logs';

const frame = (stream: number, text: string) => {
  const body = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
};
const LINE = '2026-11-25T17:00:00.123456789Z com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1 hello world';

describe('LogDemuxer', () => {
  it('splits frames from stdout and stderr into lines', () => {
    const d = new LogDemuxer();
    expect(d.push(Buffer.concat([frame(1, 'a\nb\n'), frame(2, 'c\n')]))).toEqual(['a', 'b', 'c']);
  });

  it('joins a frame and a line split across chunks', () => {
    const d = new LogDemuxer();
    const all = Buffer.concat([frame(1, 'first '), frame(1, 'line\nsecond\n')]);
    const out = [...d.push(all.subarray(0, 5)), ...d.push(all.subarray(5, 17)), ...d.push(all.subarray(17))];
    expect(out).toEqual(['first line', 'second']);
  });

  it('returns an unterminated last line at the end', () => {
    const d = new LogDemuxer();
    expect(d.push(frame(1, 'x\ny'))).toEqual(['x']);
    expect(d.end()).toEqual(['y']);
  });
});

describe('parseLogLine', () => {
  it('takes the task id as the instance', () => {
    expect(parseLogLine(LINE, 'echoit')).toEqual({
      name: 'echoit', namespace: 'openfaas-fn', instance: 't1', timestamp: '2026-11-25T17:00:00.123456789Z', text: 'hello world',
    });
  });

  it('keeps the text when there is no details column', () => {
    expect(parseLogLine('2026-11-25T17:00:00Z just text', 'f')?.text).toBe('just text');
  });

  it('trims the text', () => {
    expect(parseLogLine(`${LINE}  \r`, 'f')?.text).toBe('hello world');
  });
});
