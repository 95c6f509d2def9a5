import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/**
 * Run-time choice of the tfjs backend. The native bindings (tfjs-node-gpu,
 * tfjs-node) are much faster but their install script downloads libtensorflow,
 * which fails on offline machines and leaves a package that throws on import
 * (sometimes with an error that has no `code`). So every candidate is tried in
 * order and the first that really initialises wins; the log says why each
 * other one did not, so a slow machine can be diagnosed from its output.
 */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendCandidate {
  name: BackendName;
  /** Loads and activates the backend; throws (anything) when it cannot. */
  activate: () => Promise<void>;
}

export interface BackendChoice {
  /** The candidate that runs. */
  name: BackendName;
  /** tfjs's own name of the active backend (`tf.getBackend()`). */
  tfName: string;
  /** Why each earlier candidate was not used. */
  rejected: { name: BackendName; reason: string }[];
}

export type BackendLogger = (line: string) => void;

export interface InitBackendOptions {
  /** Where the choice is reported; defaults to stderr. */
  log?: BackendLogger;
}

const stderrLog: BackendLogger = (line) => process.stderr.write(`${line}\n`);

let chosen: Promise<BackendChoice> | undefined;

/**
 * Pick and activate the fastest working backend (idempotent: later calls return
 * the first call's choice and log nothing).
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  chosen ??= selectBackend(defaultCandidates(), options.log ?? stderrLog).catch((err: unknown) => {
    chosen = undefined;
    throw err;
  });
  return chosen;
}

/** The backend chosen by an earlier `initBackend()`, if any. */
export async function currentBackend(): Promise<BackendChoice | undefined> {
  return chosen;
}

/** Try candidates in order; the first whose `activate` succeeds wins. */
export async function selectBackend(candidates: BackendCandidate[], log: BackendLogger): Promise<BackendChoice> {
  const rejected: BackendChoice['rejected'] = [];
  for (const candidate of candidates) {
    try {
      await candidate.activate();
      const choice: BackendChoice = { name: candidate.name, tfName: tf.getBackend(), rejected };
      log(describeChoice(choice));
      return choice;
    } catch (err) {
      rejected.push({ name: candidate.name, reason: reasonOf(err) });
    }
  }
  throw new Error(`no tfjs backend could start: ${rejected.map((r) => `${r.name}: ${r.reason}`).join('; ')}`);
}

export function describeChoice(choice: BackendChoice): string {
  const why = choice.rejected.map((r) => `${r.name} not used: ${r.reason}`);
  return [`tfjs backend: ${choice.name}`, ...why].join('\n  ');
}

function reasonOf(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (e && (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND')) return 'not installed';
  return firstLine(err);
}

function firstLine(err: unknown): string {
  const e = err as { message?: unknown } | null;
  const message = e && typeof e.message === 'string' ? e.message : String(err);
  return message.split('\n')[0].slice(0, 300) || 'failed without a message';
}

/**
 * Why importing a native tfjs package failed. A package whose install script
 * could not fetch libtensorflow is present but its binding is missing: that is
 * "installed but broken", not "not installed", and says what to fix.
 */
export function explainImportError(pkg: string, err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | null;
  const notFound = e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND';
  if (notFound && typeof e?.message === 'string' && e.message.includes(`'${pkg}'`)) return 'not installed';
  return `installed but cannot load (${firstLine(err)}); reinstall it where its install script can download libtensorflow, or remove it`;
}

function defaultCandidates(): BackendCandidate[] {
  return [
    { name: 'tensorflow-gpu', activate: () => activateNative('@tensorflow/tfjs-node-gpu') },
    { name: 'tensorflow', activate: () => activateNative('@tensorflow/tfjs-node') },
    { name: 'wasm', activate: activateWasm },
    { name: 'cpu', activate: () => activate('cpu') },
  ];
}

async function activateNative(pkg: string): Promise<void> {
  // A variable specifier keeps TypeScript from requiring the (uninstalled) types.
  const specifier: string = pkg;
  try {
    await import(specifier);
  } catch (err) {
    throw new Error(explainImportError(pkg, err), { cause: err });
  }
  await activate('tensorflow');
}

async function activateWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(wasmDistDir());
  await activate('wasm');
}

/** The folder holding the .wasm binaries, found from the package, not from cwd. */
export function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(pkgJson), 'dist') + path.sep;
}

async function activate(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
  if (tf.getBackend() !== name) throw new Error(`tfjs reports backend ${tf.getBackend()} instead of ${name}`);
}
