// Whether the process that recorded an ingest run still runs: a run still marked 'running' whose process is gone
// was killed (SIGKILL, a crash, the machine going down).

/** Whether a process with this id exists (one we may not signal counts: it exists). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
