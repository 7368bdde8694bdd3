/**
 * Writing CLI output into pipes: wait for 'drain' when the stream asks to (a pipe read slower
 * than we write would otherwise queue every row in memory: 50 MB more peak RSS for 100,000 rows,
 * bench/README.md), and end quietly when the reader has gone (EPIPE: `dbghelp symbols | head`).
 */

/** Writes `text`, waiting for 'drain' when the stream asks to (or for its end, if it fails). */
export async function written(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (out.write(text)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('error', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('error', done);
    out.on('close', done);
  });
}

/** True for the error a write gets once the reading end of the pipe has closed. */
export function isBrokenPipe(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END';
}
