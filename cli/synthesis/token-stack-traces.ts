type CaptureStackTrace = typeof Error.captureStackTrace;

/**
 * Runs `work` with cdktf's token stack traces turned off. cdktf captures a full-depth stack
 * trace into a fresh `{ stack: "" }` for every token and nested-block object it creates
 * (~40 per stack, ~45 µs each), only to quote it in errors about misused tokens, which a
 * fleet file cannot cause. Errors, and every other capture, keep their stack traces.
 */
export function withoutTokenStackTraces<T>(work: () => T): T {
  const capture = Error.captureStackTrace;
  const skipTokenCaptures: CaptureStackTrace = (target, below) => {
    if (Object.getPrototypeOf(target) === Object.prototype && (target as { stack?: unknown }).stack === '') return;
    capture(target, below);
  };
  Error.captureStackTrace = skipTokenCaptures;
  try {
    return work();
  } finally {
    Error.captureStackTrace = capture;
  }
}
