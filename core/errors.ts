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
  // --- assistant service (assistant/, docs/api.md) --------------------------
  LABWATCH_ERR_ASSISTANT_NOT_FOUND:
    'No {what} "{id}". Check the id (list exams with GET /api/exams).',
  LABWATCH_ERR_ASSISTANT_BAD_REQUEST:
    'Bad request: {problem}. See docs/api.md for the expected body.',
  LABWATCH_ERR_ASSISTANT_EVIDENCE_REJECTED:
    'Evidence for frame {seq} was refused: {reason}. Send the full-size PNG the assistant asked for, with the SHA-256 of its bytes.',
  LABWATCH_ERR_ASSISTANT_INTERNAL:
    'The assistant failed on this request ({reason}). The details are in the assistant log; report them if it repeats.',
  LABWATCH_ERR_ASSISTANT_SHUTTING_DOWN:
    'The assistant is shutting down. The agent reconnects by itself when it is back.',

  // --- authentication (agents' enrolment tokens, instructors' logins) -------
  LABWATCH_ERR_AUTH_BAD_TOKEN:
    'The enrolment token is not valid for any student. Use the token from tokens.csv given to you for this exam.',
  LABWATCH_ERR_AUTH_TIMEOUT:
    'No hello within {ms} ms of connecting. The agent must send hello (with its token) first.',
  LABWATCH_ERR_AUTH_REPLACED:
    'Another agent connected with the same token; this connection was closed. Run only one agent per student.',
  LABWATCH_ERR_AUTH_REQUIRED:
    'Log in first: POST /api/login with an instructor username and password (create one with `labwatch instructor add`).',
  LABWATCH_ERR_AUTH_BAD_LOGIN:
    'Wrong username or password. Instructors are created with `labwatch instructor add`.',
  LABWATCH_ERR_AUTH_LOGIN_RATE_LIMIT:
    'Too many failed logins from this address; wait {seconds} s and try again.',
  LABWATCH_ERR_AUTH_INSTRUCTOR_EXISTS:
    'Instructor "{username}" already exists. Pick another username.',

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
  LABWATCH_ERR_DATASET_SPLIT_LEAK:
    'Frame file {frame} is used by sequences in both the {a} and {b} splits. Split by recording session (`labwatch dataset split --by session_id`) so no frame is shared.',
  LABWATCH_ERR_DATASET_MERGE_CONFLICT:
    'Cannot merge into {out}: {reason}. Choose an empty or new --out folder.',

  // --- evaluation (labwatch evaluate) ------------------------------------------
  LABWATCH_ERR_EVAL_EMPTY_SET:
    'Nothing to evaluate in {dir}: {reason}. Check the --split option against the manifest\'s split column, or drop --split to evaluate every row.',

  // --- exam rosters (labwatch exam create) --------------------------------
  LABWATCH_ERR_ROSTER_MISSING_COLUMN:
    '{file}: the header lacks {columns}. A roster needs the columns name, surname, student_id (or "student ID" / "id").',
  LABWATCH_ERR_ROSTER_INVALID:
    'The roster has {count} problem(s):\n{problems}\nFix the rows named above; no exam was created.',

  // --- assistant database -----------------------------------------------------
  LABWATCH_ERR_STORE_OPEN:
    'Cannot open the database {file}: {reason}. Check that --data points at a writable folder.',
  LABWATCH_ERR_STORE_TOO_NEW:
    'The database {file} has schema version {found}, newer than this labwatch ({expected}). Run the labwatch release that created it.',

  // --- agent screen capture and the real-screen recorder ----------------------
  LABWATCH_ERR_CAPTURE_FAILED:
    'Screen capture failed: {reason}. On Linux the agent needs an X11 session (DISPLAY set, e.g. Xvfb + openbox for tests); Wayland-only sessions are not supported by node-screenshots.',
  LABWATCH_ERR_RECORDER_TOOL_MISSING:
    'The recorder needs {tool}, which is not installed. Install the Debian packages in scripts/apt-packages.txt (bash scripts/setup.sh as root).',
  LABWATCH_ERR_RECORDER_FAILED:
    'Recording scenario {scenario} failed: {reason}. Its frames were removed and the other sessions kept; re-record it with `labwatch dataset record --scenario {scenario}`.',

  // --- agent wire protocol (core/protocol.ts, docs/protocol.md) ----------------
  LABWATCH_ERR_PROTOCOL_VERSION:
    'The message speaks agent protocol version {found}, this labwatch speaks {expected}. Run the same labwatch release on the agent and the assistant.',
  LABWATCH_ERR_PROTOCOL_UNKNOWN_TYPE:
    'Message type {type} is not one {sender} may send. Run the same labwatch release on the agent and the assistant.',
  LABWATCH_ERR_PROTOCOL_TRUNCATED:
    'The message ends early: field {field} needs {need} more byte(s), {have} left. Send whole messages encoded with core/protocol.ts encode().',
  LABWATCH_ERR_PROTOCOL_TOO_LARGE:
    'The {what} is {size} bytes, the limit is {limit}. Send smaller messages (limits in docs/protocol.md).',
  LABWATCH_ERR_PROTOCOL_BAD_FIELD:
    'Field {field} {problem}. Send messages encoded with core/protocol.ts encode() within the limits of docs/protocol.md.',
  LABWATCH_ERR_PROTOCOL_UNEXPECTED:
    'A {type} message is not allowed {when}. Follow the message order of docs/protocol.md (hello first, then frames).',
  LABWATCH_ERR_PROTOCOL_RATE_LIMIT:
    'Too many {what}: more than {limit} per second. Send at most one frame per capture interval and wait for acks.',

  // --- preprocessing / models ----------------------------------------------
  LABWATCH_ERR_MODEL_NOT_FOUND:
    'No model at {dir} (expected model.json, weights.bin and metadata.json). Train one with `labwatch train` or use the shipped models/screen.',
  LABWATCH_ERR_MODEL_INCOMPATIBLE:
    'Model at {dir} was built for preprocessing {found}, but this labwatch uses {expected}. Retrain the model with this version.',
  LABWATCH_ERR_MODEL_BAD_ARGS:
    'Invalid screen-classifier architecture:\n{problems}\nUse values from the Table-1 search space (TABLE1_SPACE in models/screen-classifier.ts).',
  LABWATCH_ERR_MODEL_CORRUPT:
    'Model at {dir} cannot be read: {reason}. Re-save it with `labwatch train` or restore models/screen from git.',
  LABWATCH_ERR_MODEL_BAD_INPUT:
    'The screen classifier got bad input: {reason}. Give frames as 50x50 RGB uint8 arrays of 7,500 bytes (preprocessScreen output), three per window.',
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
