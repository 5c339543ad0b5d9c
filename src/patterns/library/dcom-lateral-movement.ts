// DCOM lateral movement (MITRE T1021.003) as a pattern: an inbound connection to the RPC endpoint mapper (the RPCSS
// service host, port 135), then within a short window the DCOM launcher (the DcomLaunch service host) starts a COM
// server, and that server starts a child. Settings: windowMin / windowMax (default 0s / 2s), bootGrace (5m),
// sysmonSkew / sysmonSkewLate (15s / 1s: how early or late Sysmon 3 may log a connection).
import type { Check, Pattern } from '../types';

// The RPCSS host starts at boot, so recordings that begin later never show its command line (only its image, PID
// and account, from the connection event): it is then accepted on what is known (svchost.exe in System32, running
// as NETWORK SERVICE when the source names the account, accepting on port 135), and the alert says so.
const svchost = (group: string, who: string, orUnknown = false): Check[] => [
  { field: 'fileName', op: 'ieq', value: 'svchost.exe', reason: `${who} is not svchost.exe` },
  {
    field: 'serviceGroup', op: 'serviceGroup', value: { group, orUnknown, account: 'network service' },
    reason: `${who} is not the ${group === 'rpcss' ? 'RPCSS' : 'DcomLaunch'} service host (-k ${group}${orUnknown ? ', or svchost.exe as NETWORK SERVICE when its command line is unknown' : ''})`,
  },
  { field: 'folderPath', op: 'systemBinary', reason: `${who} svchost.exe is not the one in System32` },
];

const pattern: Pattern = {
  id: 'dcom-lateral-movement',
  name: 'DCOM Lateral Movement',
  description: 'A remote host instantiates a COM object over DCOM and uses it to run a command: inbound RPC to the '
    + 'endpoint mapper, the DCOM launcher starting a COM server right after, and that server starting a child.',
  severity: 'Medium',
  tactic: 'LateralMovement',
  technique: 'T1021.003',
  steps: [
    {
      name: 'rpcssConnection', kind: 'connection', description: 'inbound connection to the RPC endpoint mapper (port 135)',
      checks: [
        { field: 'direction', op: 'eq', value: 'inbound', reason: 'not an inbound connection' },
        { field: 'localPort', op: 'eq', value: 135, reason: 'not on local port 135' },
        { field: 'remoteIsLocal', op: 'eq', value: false, reason: 'from the host itself (loopback or its own address)' },
        { field: 'blocked', op: 'eq', value: false, reason: 'the connection was blocked' },
      ],
    },
    { name: 'rpcssHost', kind: 'process', description: 'the RPCSS service host accepting the connection', checks: svchost('rpcss', 'the connection owner', true) },
    {
      name: 'comServer', kind: 'process', description: 'a COM server started by the DCOM launcher',
      checks: [
        {
          field: 'time', op: 'gapAfter', reason: 'started outside the time window after the connection',
          // Sysmon 3 is written from a buffer: seconds early (corpus: 4-12 s, once 61 s) or a little late; a time
          // without a fraction (Security 5156 as NXLog writes it) is up to a second early.
          value: { step: 'rpcssConnection', min: '$windowMin', max: '$windowMax',
            skew: { sysmon: { early: '$sysmonSkew', late: '$sysmonSkewLate' }, seconds: { early: '1s', late: '0s' } } },
        },
        { field: 'time', op: 'sinceBootAtLeast', value: '$bootGrace', reason: 'inside the boot grace period' },
        { field: 'fileName', op: 'notListed', value: 'comServers', reason: 'allow-listed COM server' },
      ],
    },
    { name: 'dcomLaunchHost', kind: 'process', description: 'the DcomLaunch service host that started the COM server', checks: svchost('dcomlaunch', 'the COM server\'s parent') },
    {
      name: 'spawnedChild', kind: 'process', description: 'a child process of the COM server', collect: { min: 1 },
      checks: [{ field: 'fileName', op: 'notListed', value: 'children', reason: 'only allow-listed children (such as the .NET compiler or Office\'s App-V helpers)' }],
    },
  ],
  links: [
    { from: 'rpcssHost', to: 'rpcssConnection', type: 'owns' },
    { from: 'rpcssConnection', to: 'comServer', type: 'near', horizon: '10s' },
    { from: 'dcomLaunchHost', to: 'comServer', type: 'spawned' },
    { from: 'comServer', to: 'spawnedChild', type: 'spawned' },
  ],
  anchor: 'rpcssConnection',
  groupBy: 'comServer',
  explainAnchors: ['rpcssConnection', 'comServer'],
  hops: [['rpcssConnection', 'rpcssHost'], ['comServer', 'dcomLaunchHost'], ['spawnedChild']],
};

export const DCOM_LATERAL_MOVEMENT: Pattern = Object.freeze(pattern);

export const DCOM_DEFAULT_SETTINGS = Object.freeze({ windowMin: '0s', windowMax: '2s', bootGrace: '5m', sysmonSkew: '15s', sysmonSkewLate: '1s' });
