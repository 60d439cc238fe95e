import { describe, expect, it } from 'vitest';
import { CliIo, colorsFor, summary, withProgress } from '../../lib/cli/_output';

function io(isTTY: boolean, env: NodeJS.ProcessEnv = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, cwd: '/', env, stdout: { isTTY, write: (s: string) => out.push(s) }, stderr: { isTTY, write: (s: string) => err.push(s) } };
}

describe('terminal output', () => {
  it('colors only on a terminal, and never with NO_COLOR', () => {
    expect(colorsFor({ isTTY: true, write: () => 0 }, {}).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(colorsFor({ isTTY: true, write: () => 0 }, { NO_COLOR: '1' }).red('x')).toBe('x');
    expect(colorsFor({ isTTY: false, write: () => 0 }, {}).red('x')).toBe('x');
    const plain = io(false);
    summary(plain, false, 'drift: 1 changed');
    expect(plain.out).toEqual(['drift: 1 changed\n']);
  });

  it('shows progress on a terminal only once the delay has passed, and erases it', async () => {
    const tty = io(true);
    await withProgress(tty, 'synthesizing', () => new Promise((r) => setTimeout(r, 350)), 100);
    expect(tty.err.some((s) => s.includes('synthesizing'))).toBe(true);
    expect(tty.err.at(-1)).toBe('\r\u001b[2K');
    const quick = io(true);
    await withProgress(quick, 'synthesizing', async () => undefined, 100);
    expect(quick.err).toEqual([]);
    const pipe = io(false);
    await withProgress(pipe, 'synthesizing', () => new Promise((r) => setTimeout(r, 350)), 100);
    expect(pipe.err).toEqual([]);
  });
});
