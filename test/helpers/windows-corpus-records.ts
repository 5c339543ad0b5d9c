// The corpus's EVTX records converted to JSON (python-evtx shape), for tests that rewrite them in another converter's
// shape and expect the same events back.
import { readFileSync } from 'node:fs';
import type { NormalizedEvent, ProcessEvent } from '../../src/domain';
import { corpusFile } from './corpus';

/** Every python-evtx `.jsonl` file of the corpus. */
export const WINDOWS_CORPUS_FILES = [
  ...['LM_DCOM_MSHTA_LethalHTA_Sysmon_3_1', 'LM_dcom_shwnd_shbrwnd_mmc20_failed_traces_system_10016', 'LM_impacket_docmexec_mmc_sysmon_01',
    'LM_sysmon_3_DCOM_ShellBrowserWindow_ShellWindows'].map((name) => corpusFile('evtx-attack-samples', 'Lateral Movement', `${name}.jsonl`)),
  corpusFile('evtx-attack-samples', 'Other', 'maldoc_mshta_via_shellbrowserwind_rundll32.jsonl'),
  corpusFile('evtx-attack-samples', 'history-5626b08', 'LM_dcom_InternetExplorer.Application_sysmon_1.jsonl'),
  corpusFile('evtx-to-mitre-attack', 'TA0008-Lateral Movement', 'T1021.003-Distributed Component Object Model (DCOM)', 'ID4688,4674-DCOMexec process spawned.jsonl'),
];

/** The records of every corpus file whose EventID is one Lineage reads (Sysmon 1/3/5, Security 4688). */
export function readableCorpusRecords(): Array<Record<string, unknown>> {
  return WINDOWS_CORPUS_FILES.flatMap((path) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== ''))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((record) => [1, 3, 5, 4688].includes(Number(record.EventID)));
}

/**
 * An event without what differs between shapes by design: the raw text kept with it, the time's text, and the time
 * below `unit` ticks (a converter that carries less precision).
 */
export function comparableEvent(event: NormalizedEvent, unit = 1n): Record<string, unknown> {
  const { columnsText: _columns, timeText: _text, time, createdAt, ...rest } = event as ProcessEvent;
  const cut = (t: bigint | null | undefined) => (t === null || t === undefined ? t : t / unit);
  return { ...rest, time: cut(time), createdAt: cut(createdAt) };
}
