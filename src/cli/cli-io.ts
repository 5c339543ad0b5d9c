// The outside world as the CLI sees it, passed in so tests can run commands in-process.
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (progress bars only then). */
  stderrIsTty: boolean;
}

/**
 * Writes to `stream` until its reader goes away (`lineage detect --format ndjson | head`): then the rest of the output
 * is dropped quietly, as a Unix tool killed by SIGPIPE would drop it, and the command still finishes its work (an
 * ingest still commits). Without this, Node reports the broken pipe as an unhandled error with a stack trace.
 */
function pipeWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let readerGone = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') readerGone = true;
    else throw error;
  });
  return (text) => {
    if (!readerGone) stream.write(text);
  };
}

export function processIo(): CliIo {
  return {
    stdout: pipeWriter(process.stdout),
    stderr: pipeWriter(process.stderr),
    env: process.env,
    stderrIsTty: Boolean(process.stderr.isTTY),
  };
}
