import type { Command } from 'commander';
import { lwError } from '../errors.js';

/** validate, stats, merge and split: subcommands of `labwatch dataset`. Heavy modules load inside actions. */
export function registerDatasetCommands(dataset: Command): void {
  dataset
    .command('validate')
    .description('Check a dataset folder: manifest rows (each problem named with its line) and, with --images, every frame decodes')
    .argument('<dir>', 'dataset folder (holds manifest.csv)')
    .option('--images', 'also decode every frame and report unreadable ones by row')
    .action(async (dir: string, opts: { images?: boolean }) => {
      const { readDataset } = await import('./manifest.js');
      const ds = await readDataset(dir);
      if (opts.images) {
        const { checkImages } = await import('./images.js');
        const { problems, sizes } = await checkImages(ds);
        if (problems.length > 0) {
          for (const p of problems.slice(0, 100)) {
            process.stderr.write(`LABWATCH_ERR_DATASET_BAD_IMAGE: manifest.csv line ${p.line} (sequence ${p.sequenceId}): ${p.message}\n`);
          }
          if (problems.length > 100) process.stderr.write(`... and ${problems.length - 100} more\n`);
          process.stderr.write(`${dir}: ${problems.length} unreadable frame reference(s) in ${ds.rows.length} sequences\n`);
          process.exitCode = 2;
          return;
        }
        process.stdout.write(`${dir}: OK, ${ds.rows.length} sequences, ${sizes.size} frames decoded\n`);
        return;
      }
      process.stdout.write(`${dir}: OK, ${ds.rows.length} sequences (add --images to decode every frame)\n`);
    });

  dataset
    .command('stats')
    .description('Sequences, label balance, counts per source, split and session, and frame sizes')
    .argument('<dir>', 'dataset folder')
    .option('--json', 'print JSON instead of tables')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const { readDataset } = await import('./manifest.js');
      const { frameSizes } = await import('./images.js');
      const { datasetStats, formatStats } = await import('./stats.js');
      const ds = await readDataset(dir);
      const stats = datasetStats(ds, await frameSizes(ds));
      process.stdout.write(opts.json ? `${JSON.stringify(stats, null, 2)}\n` : formatStats(stats));
    });

  dataset
    .command('merge')
    .description('Merge datasets into a new folder: frames linked or copied, sequence and session ids prefixed, extra columns kept, source recorded')
    .requiredOption('--out <dir>', 'new (or empty) dataset folder')
    .argument('<inputs...>', 'dataset folders to merge')
    .action(async (inputs: string[], opts: { out: string }) => {
      const { mergeDatasets } = await import('./merge.js');
      const s = await mergeDatasets(opts.out, inputs);
      for (const i of s.inputs) process.stdout.write(`${i.dir}: ${i.sequences} sequences as ${i.prefix}:*\n`);
      process.stdout.write(`${s.out}: ${s.sequences} sequences (${s.linkedFrames} frames linked, ${s.copiedFrames} copied)\n`);
    });

  dataset
    .command('split')
    .description('Write the split column by recording session (session_id, else student_id, else sequence-id prefix) so no session or frame is in two splits')
    .argument('<dir>', 'dataset folder (manifest.csv is rewritten in place)')
    .option('--train <fraction>', 'share of sequences for training', '0.7')
    .option('--validation <fraction>', 'share for validation', '0.15')
    .option('--test <fraction>', 'share for testing', '0.15')
    .option('--seed <seed>', 'seed of the session shuffle (same seed, same split)', '0')
    .option('--by <column>', 'group by this column instead of session_id > student_id > sequence-id prefix')
    .action(async (dir: string, opts: { train: string; validation: string; test: string; seed: string; by?: string }) => {
      const fractions = { train: Number(opts.train), validation: Number(opts.validation), test: Number(opts.test) };
      const problems = (['train', 'validation', 'test'] as const)
        .filter((k) => !(opts[k].trim() !== '' && Number.isFinite(fractions[k])))
        .map((k) => `  --${k}: "${opts[k]}" is not a number`);
      if (problems.length > 0) throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: problems.join('\n') });
      const { readDataset, writeManifest } = await import('./manifest.js');
      const { splitBySession } = await import('./split.js');
      const ds = await readDataset(dir);
      if (opts.by !== undefined && !ds.extraColumns.includes(opts.by)) {
        throw lwError('LABWATCH_ERR_CONFIG_INVALID', { problems: `  --by: the manifest has no column "${opts.by}" (columns: ${ds.extraColumns.join(', ') || 'none besides the required ones'})` });
      }
      const result = splitBySession(ds.rows, fractions, opts.seed, opts.by);
      const columns = ds.extraColumns.includes('split') ? ds.extraColumns : [...ds.extraColumns, 'split'];
      await writeManifest(dir, result.rows, columns);
      process.stdout.write(`${dir}: split by ${result.groupedBy}\n`);
      for (const s of ['train', 'validation', 'test'] as const) {
        const rows = result.rows.filter((r) => r.extra.split === s);
        const pos = rows.filter((r) => r.label === 1).length;
        process.stdout.write(`  ${s.padEnd(10)} ${String(rows.length).padStart(6)} sequences (${pos} prohibited, ${rows.length - pos} permitted) in ${result.groups[s]} session group(s)\n`);
      }
    });
}
