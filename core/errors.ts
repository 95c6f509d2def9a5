/**
 * The one registry of labwatch's coded errors.
 *
 * Every error a user can meet has a stable code `LABWATCH_ERR_<AREA>_<WHAT>` and a
 * message template that says what went wrong *and how to fix it*. `{name}`
 * placeholders are filled from the params given to `lwError`. Every code must be
 * documented in docs/errors.md (a test checks it).
 *
 * Add new codes in your area's section, keep sections in alphabetical order.
 */
export const ERROR_MESSAGES = {
  // --- CLI / configuration -------------------------------------------------
  LABWATCH_ERR_CONFIG_INVALID:
    'Invalid configuration:\n{problems}\nFix the listed options or environment variables and start again.',

  // --- dataset format (shared/dataset-format.md) ------------------------------
  LABWATCH_ERR_DATASET_NO_MANIFEST:
    'No manifest.csv in {dir}. A dataset folder holds manifest.csv and the frames it names (see docs/dataset-format.md).',
  LABWATCH_ERR_DATASET_MISSING_COLUMN:
    '{file}: the header lacks the required column(s) {columns}. Required: sequence_id, label, frame1, frame2, frame3.',
  LABWATCH_ERR_DATASET_BAD_ROW:
    '{file} line {line}: {problem}. Fix or remove that row.',
  LABWATCH_ERR_DATASET_INVALID:
    'Dataset {dir} has {count} problem(s):\n{problems}\nFix the rows named above; nothing was written.',
  LABWATCH_ERR_DATASET_BAD_IMAGE:
    'Cannot read image {path}: {reason}. Frames must be PNG or JPEG files.',

  // --- preprocessing / models ----------------------------------------------
  LABWATCH_ERR_MODEL_NOT_FOUND:
    'No model at {dir} (expected model.json, weights.bin and metadata.json). Train one with `labwatch train` or use the shipped models/screen.',
  LABWATCH_ERR_MODEL_INCOMPATIBLE:
    'Model at {dir} was built for preprocessing {found}, but this labwatch uses {expected}. Retrain the model with this version.',
  LABWATCH_ERR_PREPROCESS_BAD_INPUT:
    'Cannot preprocess the screen image: {reason}. Give an encoded PNG/JPEG or raw RGB/RGBA pixels with their width and height.',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export class LabwatchError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, unknown>;

  constructor(code: ErrorCode, params: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(formatMessage(code, params), options);
    this.name = 'LabwatchError';
    this.code = code;
    this.params = params;
  }
}

export function formatMessage(code: ErrorCode, params: Record<string, unknown>): string {
  return ERROR_MESSAGES[code].replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

/** Build a coded error: `throw lwError('LABWATCH_ERR_DATASET_BAD_ROW', { file, line, problem })`. */
export function lwError(code: ErrorCode, params: Record<string, unknown> = {}, cause?: unknown): LabwatchError {
  return new LabwatchError(code, params, cause === undefined ? undefined : { cause });
}

export function isLabwatchError(err: unknown, code?: ErrorCode): err is LabwatchError {
  return err instanceof LabwatchError && (code === undefined || err.code === code);
}
