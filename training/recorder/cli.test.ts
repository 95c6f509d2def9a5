import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { isLabwatchError } from '../../core/errors.js';
import { registerRecordCommand } from './cli.js';

function program(): Command {
  const p = new Command('labwatch').exitOverride();
  registerRecordCommand(p.command('dataset').exitOverride());
  return p;
}

describe('labwatch dataset record options', () => {
  it('lists every bad option at once before starting anything', async () => {
    const run = program().parseAsync(['node', 'labwatch', 'dataset', 'record', '--scenario', 'nope', '--seconds', '2', '--resolution', '12x', '--display', '5', '--set', 'foo']);
    await expect(run).rejects.toSatisfy((err) => {
      if (!isLabwatchError(err, 'LABWATCH_ERR_CONFIG_INVALID')) return false;
      const m = (err as Error).message;
      return ['--out', '--scenario: unknown "nope"', '--seconds', '--resolution', '--display', '--set'].every((s) => m.includes(s));
    });
  });

  it('lists the scenarios with their length', async () => {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
    try {
      await program().parseAsync(['node', 'labwatch', 'dataset', 'record', '--list']);
    } finally {
      spy.mockRestore();
    }
    expect(out).toMatch(/^side-chat\s+\d+ s\s+hard case/m);
    expect(out).toMatch(/^web-ide\s+\d+ s\s+hard case/m);
  });
});
