// Process exit codes of the lineage command, as documented in README.md.
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  rejectsUnderStrict: 3,
  /** Stopped by SIGINT (Ctrl-C) or SIGTERM, after keeping what was read: 128 + the signal's number, as shells report it. */
  interrupted: { SIGINT: 130, SIGTERM: 143 },
} as const;
