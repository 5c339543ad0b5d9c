// Process exit codes of the lineage command, as documented in README.md.
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  rejectsUnderStrict: 3,
} as const;
