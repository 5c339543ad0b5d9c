// Reads the files inside a zip archive one after another as streams (yauzl: the central directory first, then each
// entry inflated on the fly), so an archive of any size is never held in memory. Directories and hidden or macOS
// resource entries (`__MACOSX/`, `.DS_Store`) are passed over.
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { InvalidInput } from '../domain';

export interface ZipEntry {
  /** The entry's path inside the archive. */
  name: string;
  open(): Promise<Readable>;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04] as const;

/** Whether the first bytes of a file are a zip local-file header. */
export function isZip(head: Buffer): boolean {
  return ZIP_MAGIC.every((byte, i) => head[i] === byte);
}

function skipped(name: string): boolean {
  return name.endsWith('/') || name.split('/').some((part) => part.startsWith('.') || part === '__MACOSX');
}

function openArchive(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (error, zip) => {
      if (error) reject(new InvalidInput(`ingest: ${path}: not a readable zip archive: ${error.message}`));
      else resolve(zip);
    });
  });
}

/** The file entries of the zip archive at `path`, in archive order. */
export async function* zipEntries(path: string): AsyncGenerator<ZipEntry> {
  const zip = await openArchive(path);
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry): void => { cleanup(); resolve(e); };
        const onEnd = (): void => { cleanup(); resolve(null); };
        const onError = (error: Error): void => { cleanup(); reject(new InvalidInput(`ingest: ${path}: broken zip archive: ${error.message}`)); };
        const cleanup = (): void => {
          zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
        };
        zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
        zip.readEntry();
      });
      if (!entry) return;
      if (skipped(entry.fileName)) continue;
      yield {
        name: entry.fileName,
        open: () => new Promise<Readable>((resolve, reject) => {
          zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
        }),
      };
    }
  } finally {
    zip.close();
  }
}
