// Writes wide, fully populated MDE rows (about 1.4 KB each, both tables) for the ingest benchmark.
// Deterministic: a seeded PRNG, so every run measures the same bytes.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { formatTicks } from '../src/domain';

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (rand: () => number, length: number): string => {
  let out = '';
  while (out.length < length) out += Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, length);
};

const BINARIES = ['svchost.exe', 'powershell.exe', 'cmd.exe', 'chrome.exe', 'OUTLOOK.EXE', 'dllhost.exe', 'WmiPrvSE.exe', 'msedge.exe'];

/** Writes `count` rows of NDJSON to `path`. */
export async function writeWideRows(path: string, count: number, seed = 1): Promise<number> {
  const rand = prng(seed);
  const out = createWriteStream(path);
  const base = 1_700_000_000n * 10_000_000n;
  let bytes = 0;
  const devices = Array.from({ length: 50 }, () => hex(rand, 40));
  for (let i = 0; i < count; i++) {
    const ts = base + BigInt(i) * 1_234_567n;
    const device = devices[i % devices.length] as string;
    const file = BINARIES[Math.floor(rand() * BINARIES.length)] as string;
    const parent = BINARIES[Math.floor(rand() * BINARIES.length)] as string;
    const initiating = {
      InitiatingProcessAccountDomain: 'contoso', InitiatingProcessAccountName: 'user' + (i % 97),
      InitiatingProcessAccountSid: `S-1-5-21-1874808502-2282282112-3464708742-${1000 + (i % 97)}`,
      InitiatingProcessAccountUpn: `user${i % 97}@contoso.com`, InitiatingProcessAccountObjectId: 'a1b2c3d4',
      InitiatingProcessLogonId: 1443318 + (i % 13), InitiatingProcessIntegrityLevel: 'Medium',
      InitiatingProcessTokenElevation: 'TokenElevationTypeDefault', InitiatingProcessSHA1: hex(rand, 40),
      InitiatingProcessSHA256: hex(rand, 64), InitiatingProcessMD5: hex(rand, 32), InitiatingProcessFileName: parent,
      InitiatingProcessFileSize: 451584, InitiatingProcessVersionInfoCompanyName: 'Microsoft Corporation',
      InitiatingProcessVersionInfoProductName: 'Microsoft Windows',
      InitiatingProcessVersionInfoProductVersion: '10.0.19041.1806', InitiatingProcessVersionInfoInternalFileName: parent,
      InitiatingProcessVersionInfoOriginalFileName: parent, InitiatingProcessVersionInfoFileDescription: 'Host process',
      InitiatingProcessId: 4 * (1 + Math.floor(rand() * 5000)),
      InitiatingProcessCommandLine: `${parent} -k netsvcs -p`,
      InitiatingProcessCreationTime: formatTicks(ts - 600_000_000n), InitiatingProcessFolderPath: `c:\\windows\\system32\\${parent}`,
      InitiatingProcessParentId: 4 * (1 + Math.floor(rand() * 5000)), InitiatingProcessParentFileName: 'services.exe',
      InitiatingProcessParentCreationTime: formatTicks(ts - 900_000_000n), InitiatingProcessSignerType: 'OsVendor',
      InitiatingProcessSignatureStatus: 'Valid',
    };
    const row = i % 10 < 3
      ? {
        Timestamp: formatTicks(ts), DeviceId: device, DeviceName: `host-${device.slice(0, 6)}.contoso.com`,
        ActionType: 'ProcessCreated', FileName: file, FolderPath: `C:\\Windows\\System32\\${file}`, SHA1: hex(rand, 40),
        SHA256: hex(rand, 64), MD5: hex(rand, 32), FileSize: 71168, ProcessVersionInfoCompanyName: 'Microsoft Corporation',
        ProcessVersionInfoProductName: 'Microsoft Windows', ProcessVersionInfoProductVersion: '10.0.18362.1',
        ProcessVersionInfoInternalFileName: file, ProcessVersionInfoOriginalFileName: file,
        ProcessVersionInfoFileDescription: 'Windows binary', ProcessId: 4 * (1 + Math.floor(rand() * 9000)),
        ProcessCommandLine: `"${file}" /c echo ${hex(rand, 24)}`, ProcessIntegrityLevel: 'Medium',
        ProcessTokenElevation: 'TokenElevationTypeDefault', ProcessCreationTime: formatTicks(ts - 3_000n),
        AccountDomain: 'contoso', AccountName: 'user' + (i % 97), AccountSid: 'S-1-5-21-1874808502-2282282112-3464708742-1001',
        AccountUpn: `user${i % 97}@contoso.com`, AccountObjectId: 'a1b2c3d4', LogonId: 1443318, ...initiating,
        ReportId: 1000 + i, AppGuardContainerId: '', AdditionalFields: '{"ProcessStartKey":1234567}',
      }
      : {
        Timestamp: formatTicks(ts), DeviceId: device, DeviceName: `host-${device.slice(0, 6)}.contoso.com`,
        ActionType: 'ConnectionSuccess', RemoteIP: `10.${i % 250}.${(i >> 8) % 250}.${i % 7}`, RemotePort: 443,
        RemoteUrl: `www.example-${i % 1000}.com`, LocalIP: '10.1.2.3', LocalPort: 49152 + (i % 16000), Protocol: 'Tcp',
        LocalIPType: 'Private', RemoteIPType: 'Public', ...initiating, ReportId: 1000 + i, AppGuardContainerId: '',
        AdditionalFields: '{"direction":"Out"}',
      };
    const line = `${JSON.stringify(row)}\n`;
    bytes += line.length;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
