// The Windows binaries the simulator runs, as data: where they live and what Defender reports about the file.
import type { Rng } from './prng';
import { createRng } from './prng';

export interface Binary {
  fileName: string;
  folderPath: string;
  company: string;
  product: string;
  version: string;
  description: string;
  originalName: string;
  size: number;
  sha1: string;
  sha256: string;
  md5: string;
  signer: 'OsVendor' | 'Microsoft' | 'Unknown';
}

const SYS32 = 'C:\\Windows\\System32';
const OFFICE = 'C:\\Program Files\\Microsoft Office\\root\\Office16';

const SPECS: ReadonlyArray<[string, string, string, string?]> = [
  ['smss.exe', SYS32, 'Windows Session Manager'],
  ['csrss.exe', SYS32, 'Client Server Runtime Process'],
  ['wininit.exe', SYS32, 'Windows Start-Up Application'],
  ['winlogon.exe', SYS32, 'Windows Logon Application'],
  ['services.exe', SYS32, 'Services and Controller app'],
  ['lsass.exe', SYS32, 'Local Security Authority Process'],
  ['svchost.exe', SYS32, 'Host Process for Windows Services'],
  ['userinit.exe', SYS32, 'Userinit Logon Application'],
  ['explorer.exe', 'C:\\Windows', 'Windows Explorer'],
  ['dllhost.exe', SYS32, 'COM Surrogate'],
  ['WmiPrvSE.exe', `${SYS32}\\wbem`, 'WMI Provider Host'],
  ['RuntimeBroker.exe', SYS32, 'Runtime Broker'],
  ['backgroundTaskHost.exe', SYS32, 'Background Task Host'],
  ['smartscreen.exe', SYS32, 'Windows Defender SmartScreen'],
  ['SppExtComObj.Exe', SYS32, 'KMS Connection Broker'],
  ['taskhostw.exe', SYS32, 'Host Process for Windows Tasks'],
  ['SearchIndexer.exe', SYS32, 'Microsoft Windows Search Indexer'],
  ['conhost.exe', SYS32, 'Console Window Host'],
  ['cmd.exe', SYS32, 'Windows Command Processor'],
  ['powershell.exe', `${SYS32}\\WindowsPowerShell\\v1.0`, 'Windows PowerShell'],
  ['rundll32.exe', SYS32, 'Windows host process (Rundll32)'],
  ['whoami.exe', SYS32, 'whoami - displays logged on user information'],
  ['net.exe', SYS32, 'Net Command'],
  ['ipconfig.exe', SYS32, 'IP Configuration Utility'],
  ['mshta.exe', SYS32, 'Microsoft (R) HTML Application host'],
  ['notepad.exe', SYS32, 'Notepad'],
  ['mmc.exe', SYS32, 'Microsoft Management Console'],
  ['gpupdate.exe', SYS32, 'Microsoft Windows Group Policy Update Utility'],
  ['csc.exe', 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319', 'Visual C# Command Line Compiler'],
  ['iexplore.exe', 'C:\\Program Files\\Internet Explorer', 'Internet Explorer'],
  ['msedge.exe', 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application', 'Microsoft Edge', 'Microsoft'],
  ['chrome.exe', 'C:\\Program Files\\Google\\Chrome\\Application', 'Google Chrome', 'Unknown'],
  ['EXCEL.EXE', OFFICE, 'Microsoft Excel', 'Microsoft'],
  ['OUTLOOK.EXE', OFFICE, 'Microsoft Outlook', 'Microsoft'],
  ['WINWORD.EXE', OFFICE, 'Microsoft Word', 'Microsoft'],
  ['Teams.exe', 'C:\\Users\\Public\\AppData\\Local\\Microsoft\\Teams\\current', 'Microsoft Teams', 'Microsoft'],
  ['OneDrive.exe', 'C:\\Program Files\\Microsoft OneDrive', 'Microsoft OneDrive', 'Microsoft'],
  ['MsMpEng.exe', 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24050.7-0', 'Antimalware Service Executable'],
  ['CcmExec.exe', 'C:\\Windows\\CCM', 'Configuration Manager client', 'Microsoft'],
];

function describeBinary(fileName: string, folderPath: string, description: string, signer: Binary['signer'], rng: Rng): Binary {
  const google = fileName === 'chrome.exe';
  return {
    fileName,
    folderPath: `${folderPath}\\${fileName}`,
    company: google ? 'Google LLC' : 'Microsoft Corporation',
    product: google ? 'Google Chrome' : signer === 'Microsoft' ? 'Microsoft Office' : 'Microsoft® Windows® Operating System',
    version: google ? '125.0.6422.113' : signer === 'Microsoft' ? '16.0.17531.20140' : '10.0.19041.4355',
    description,
    originalName: fileName,
    size: rng.int(40, 3000) * 1024,
    sha1: rng.hex(40),
    sha256: rng.hex(64),
    md5: rng.hex(32),
    signer,
  };
}

/** The catalogue: the same for every seed, so hashes of a binary are stable across simulations. */
export const BINARIES: ReadonlyMap<string, Binary> = new Map(SPECS.map(([fileName, folder, description, signer]) => [
  fileName.toLowerCase(), describeBinary(fileName, folder, description, (signer as Binary['signer']) ?? 'OsVendor', createRng(0).fork(fileName)),
]));

/** A catalogued binary by file name (case-insensitive). */
export function binary(fileName: string): Binary {
  const found = BINARIES.get(fileName.toLowerCase());
  if (!found) throw new Error(`simulate: no binary ${fileName} in the catalogue`);
  return found;
}

/** A binary at another path or under another name (renamed or look-alike files): new hashes, same metadata. */
export function variantOf(base: Binary, fileName: string, folder: string, rng: Rng): Binary {
  return { ...base, fileName, folderPath: `${folder}\\${fileName}`, sha1: rng.hex(40), sha256: rng.hex(64), md5: rng.hex(32), signer: 'Unknown' };
}
