// Splits a streamed JSON document into the items of the array it carries: the document itself when it is an array,
// else the array under one of a few keys at its top level (`{"Schema":[...],"Results":[...]}`, `{"records":[...]}`);
// or, for a sequence of top-level objects (pretty-printed rows one after another, as `jq` and `ConvertTo-Json` per row
// write them), each object; or, in a response of tables (`{"tables":[{"name":..,"columns":[..],"rows":[[..],..]}]}`
// from the Log Analytics query API, `{"Tables":[{"Columns":..,"Rows":..}]}` from Azure Data Explorer, or the frames of
// its v2 response, `[{"FrameType":..},{"Columns":..,"Rows":..}]`), each row, with each table's columns handed over
// before its first row.
// One pass over the bytes finds where each item starts and ends (tracking only strings, escapes and nesting depth);
// each item is then decoded from the Buffer on its own and handed over as text, for the caller to JSON.parse. A
// malformed item is so one reject, not the end of the file, and nothing holds more than one item.
// Longer than most files because the byte scanner and its four modes (array, keyed array, object sequence, tables)
// are one state machine over the same bytes.
import type { Readable } from 'node:stream';
import { LineageError } from '../domain';
import { decodeText } from './decode-text';
import { HeldRecord } from './held-record';
import { emptyBatch, MAX_LINE_BYTES, type LineBatch } from './line-batches';

/**
 * Items as lines are batched (line-batches.ts), positions playing the part of line numbers: `lines` holds each item's
 * 1-based position, `through` the last position read, `overlong` and `recoded` the items so marked.
 */
export interface ItemBatch extends LineBatch {
  /** Items that could not be read at all (a damaged .evtx record or chunk): each is one reject, saying why. */
  unreadable?: Array<{ line: number; message: string }>;
  /** In a response of tables: each table's columns (their JSON text), for the rows from position `from` on. */
  tables?: Array<{ from: number; columns: string }>;
}

/** Top-level keys whose array holds tables of columns and rows, not items. */
const TABLES_KEYS: ReadonlySet<string> = new Set(['tables', 'Tables']);
const COLUMNS_KEYS: ReadonlySet<string> = new Set(['columns', 'Columns']);
const ROWS_KEYS: ReadonlySet<string> = new Set(['rows', 'Rows']);
/**
 * Depths in a response of tables, `{"tables": [ {"columns": [..], "rows": [ item`: the table objects' and their rows'.
 * In Azure Data Explorer's v2 response, a top-level array of frames (FRAMES), each one up: `[ {"Columns": .., "Rows": [ item`.
 */
const TABLE_DEPTH = 3;
const FRAME_DEPTH = 2;
/** A table's columns are a few KB; past this they are not columns. */
const MAX_COLUMNS_BYTES = 1 << 20;

/** The document's structure is broken at item `position`; the items before it were yielded. */
export class MalformedDocument extends LineageError {
  constructor(message: string, readonly position: number) {
    super('malformed_document', message, { position });
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const BOM = [0xef, 0xbb, 0xbf];
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Items are the top-level values themselves, objects one after another (whitespace between them, no commas). */
export const OBJECT_SEQUENCE = 'objects';
/** Items are the rows of the tables among the frames of a top-level array (Azure Data Explorer's v2 response). */
export const FRAMES = 'frames';

type ItemKeys = ReadonlySet<string> | null | typeof OBJECT_SEQUENCE | typeof FRAMES;

/** Finds the items of one streamed JSON document, chunk by chunk: what jsonArrayItems and itemsOf run on. */
interface ItemScanner {
  /** Reads one chunk into `batch`: the items it ends, and the start of one it does not. Throws MalformedDocument. */
  scan(chunk: Buffer, batch: ItemBatch): void;
  /** After the last chunk: throws MalformedDocument when the document is not complete. */
  end(): void;
  /** Items found so far. */
  readonly position: number;
}


function itemScanner(keys: ItemKeys, maxItemBytes: number): ItemScanner {
  const sequence = keys === OBJECT_SEQUENCE;
  const frames = keys === FRAMES;
  // Frames are read by their keys (Columns, Rows), though no top-level key leads to them.
  const containerKeys: ReadonlySet<string> | null = sequence ? null : frames ? new Set() : keys as ReadonlySet<string> | null;
  let started = false;
  let bomSeen = 0;
  let topIsArray = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** Depth inside the streamed array (items sit at this depth); 0 while not in one. */
  let arrayDepth = 0;
  let done = false;
  // Top-level object keys: the key being read, the last key read, and whether a value or a key comes next.
  let key: number[] | null = null;
  let lastKey = '';
  let expectValue = false;
  // The item being read: whether one is open, and its bytes from earlier chunks.
  let itemOpen = false;
  const item = new HeldRecord(maxItemBytes);
  let position = 0;
  /** Items of the array being read (an empty array is fine; an empty item after others is not). */
  let inArray = 0;
  /** Inside the array of tables of a response of tables. */
  let inTables = false;
  /** Where the table objects are, while `inTables`: TABLE_DEPTH, or FRAME_DEPTH for frames. */
  let tableDepth = TABLE_DEPTH;
  /** The columns value being read (from `columnsStart` in this chunk, after `columnsParts`), or not. */
  let inColumns = false;
  let columnsStart = 0;
  let columnsParts: Buffer[] = [];
  let columnsBytes = 0;
  /** Whether the table being read has named its columns yet (its rows need them). */
  let tableHasColumns = false;
  /** Where keys are read: the top-level object (1), or a table in a response of tables (`tableDepth`). */
  const atKeyDepth = (): boolean => (depth === 1 && !topIsArray) || (inTables && depth === tableDepth);

  const closeItem = (chunk: Buffer, start: number, end: number, batch: ItemBatch): void => {
    position++;
    inArray++;
    itemOpen = false;
    const record = item.finish(chunk.subarray(start, end), position);
    if ('overlong' in record) batch.overlong.push(record.overlong);
    else {
      batch.texts.push(decodeText(record.bytes, 0, record.bytes.length, batch.recoded, position));
      batch.lines.push(position);
    }
  };
  const fail = (message: string): never => {
    throw new MalformedDocument(message, position + 1);
  };
  /** Starts a document at its first byte `c`: the array itself, or an object whose keys lead to it. */
  const open = (c: number): void => {
    topIsArray = c === OPEN_ARRAY;
    if (!topIsArray && (c !== OPEN_OBJECT || containerKeys === null)) {
      fail(done ? 'text after the end of the document' : `not a JSON ${containerKeys === null ? 'array' : 'array or object'}`);
    }
    if (frames && !topIsArray) fail('not a JSON array of frames');
    done = false;
    depth = 1;
    arrayDepth = topIsArray && !frames ? 1 : 0;
    inArray = 0;
    inTables = frames;
    tableDepth = frames ? FRAME_DEPTH : TABLE_DEPTH;
    lastKey = '';
    expectValue = false;
  };
  const endColumns = (chunk: Buffer, end: number, batch: ItemBatch): void => {
    const bytes = Buffer.concat([...columnsParts, chunk.subarray(columnsStart, end)]);
    inColumns = false;
    columnsParts = [];
    tableHasColumns = true;
    (batch.tables ??= []).push({ from: position + 1, columns: bytes.toString('utf8') });
  };

  /** Reads one chunk into `batch`: the items it ends, and the start of one it does not. */
  const scan = (chunk: Buffer, batch: ItemBatch): void => {
    let i = 0;
    if (!started) {
      // A byte order mark (EF BB BF, perhaps cut across chunks) and whitespace before the document.
      for (; i < chunk.length; i++) {
        const c = chunk[i] as number;
        if (bomSeen < 3 && c === BOM[bomSeen]) bomSeen++;
        else if (!isSpace(c)) break;
      }
      if (i === chunk.length) return;
      started = true;
      if (!sequence) {
        open(chunk[i] as number);
        i++;
      }
    }
    let itemStart = 0;
    const n = chunk.length;
    /** The first backslash at or after the scan's position (n when none is left): found once, not per string. */
    let nextBackslash = -1;
    for (; i < n; i++) {
      if (inString && !key && !escaped) {
        // The text of a string is skipped natively up to its closing quote, or to a backslash that escapes what
        // follows: most of a document is string text, and a byte at a time it was most of the worker's time.
        if (nextBackslash < i) {
          nextBackslash = chunk.indexOf(BACKSLASH, i);
          if (nextBackslash < 0) nextBackslash = n;
        }
        const quote = chunk.indexOf(QUOTE, i);
        if (quote >= 0 && quote < nextBackslash) {
          inString = false;
          i = quote;
        } else if (nextBackslash < n) {
          escaped = true;
          i = nextBackslash;
        } else {
          i = n; // the string goes on in the next chunk
        }
        continue;
      }
      const c = chunk[i] as number;
      if (sequence && depth === 0 && !inString) {
        // Between the objects of a sequence: only whitespace, then the next object, which is the next item.
        if (isSpace(c)) continue;
        if (c !== OPEN_OBJECT) {
          fail(`${position === 0 ? 'not a JSON object' : `text after object ${position}`}: ${JSON.stringify(String.fromCharCode(c))}`);
        }
        itemOpen = true;
        itemStart = i;
        depth = 1;
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) {
          escaped = true;
          if (key) key.push(c); // a key with an escape is never one of `keys`
        } else if (c === QUOTE) {
          inString = false;
          if (key) {
            lastKey = Buffer.from(key).toString('utf8');
            key = null;
          }
        } else if (key) key.push(c);
        continue;
      }
      if (done) {
        // Documents one after another (`cat a.json b.json`): the next is read as the first was.
        if (!isSpace(c)) open(c);
        continue;
      }
      if (depth === arrayDepth) {
        if (c === COMMA || c === CLOSE_ARRAY) {
          if (itemOpen) closeItem(chunk, itemStart, i, batch);
          else if (c === COMMA || inArray > 0) fail(`an empty item after item ${position}`);
          if (c === CLOSE_ARRAY) {
            arrayDepth = 0;
            depth--;
            if (depth === 0) done = true;
          }
          continue;
        }
        if (!itemOpen && !isSpace(c)) {
          itemOpen = true;
          itemStart = i;
        }
      }
      if (c === QUOTE) {
        inString = true;
        if (containerKeys !== null && !expectValue && atKeyDepth()) key = [];
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        const keyed = expectValue && atKeyDepth();
        depth++;
        if (keyed && c === OPEN_ARRAY) {
          if (depth === 2 && !inTables && TABLES_KEYS.has(lastKey) && containerKeys?.has(lastKey)) inTables = true;
          else if (depth === 2 && !inTables && containerKeys?.has(lastKey)) {
            arrayDepth = 2;
            inArray = 0;
          } else if (depth === tableDepth + 1 && inTables && COLUMNS_KEYS.has(lastKey)) {
            inColumns = true;
            columnsStart = i;
            columnsBytes = 0;
          } else if (depth === tableDepth + 1 && inTables && ROWS_KEYS.has(lastKey)) {
            if (!tableHasColumns) fail('a table\'s rows come before its columns');
            arrayDepth = tableDepth + 1;
            inArray = 0;
          }
        } else if (inTables && depth === tableDepth && c === OPEN_OBJECT) {
          // A table opens: its keys are read from here.
          lastKey = '';
          expectValue = false;
          tableHasColumns = false;
        }
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth--;
        if (depth < 0) fail('a closing bracket with nothing open');
        if (inColumns && depth === tableDepth) endColumns(chunk, i + 1, batch);
        else if (inTables && !frames && depth === 1) inTables = false;
        if (depth === 0) {
          if (sequence) closeItem(chunk, itemStart, i + 1, batch);
          else done = true;
        }
      } else if (atKeyDepth()) {
        if (c === COLON) expectValue = true;
        else if (c === COMMA) expectValue = false;
      }
    }
    if (itemOpen) item.hold(chunk.subarray(itemStart));
    if (inColumns) {
      columnsParts.push(Buffer.from(chunk.subarray(columnsStart)));
      columnsBytes += n - columnsStart;
      columnsStart = 0;
      if (columnsBytes > MAX_COLUMNS_BYTES) fail(`a table's columns run past ${MAX_COLUMNS_BYTES / 2 ** 20} MiB`);
    }
  };

  const end = (): void => {
    if (!started) return; // an empty file: nothing in it
    if (sequence) {
      if (itemOpen) fail(`the document ends inside object ${position + 1}`);
      return;
    }
    if (!done) fail(itemOpen || arrayDepth > 0 ? `the document ends inside item ${position + 1}` : 'the document ends early');
  };
  return { scan, end, get position() { return position; } };
}

/**
 * The items of the array in `stream`, in batches (one per chunk read). `keys`: the top-level keys whose array value
 * is streamed, when the document is an object; null when the document must be the array itself; OBJECT_SEQUENCE when
 * each top-level object is an item.
 */
export async function* jsonArrayItems(stream: Readable, keys: ItemKeys,
  maxItemBytes = MAX_LINE_BYTES): AsyncGenerator<ItemBatch> {
  const scanner = itemScanner(keys, maxItemBytes);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const batch = emptyBatch();
    let broken: unknown = null;
    try {
      scanner.scan(chunk, batch);
    } catch (error) {
      broken = error;
    }
    // When the structure breaks in this chunk, the items before the break are still handed over first.
    batch.through = scanner.position;
    yield batch;
    if (broken) throw broken;
  }
  scanner.end();
}

/** The items of the one JSON document held whole in `bytes` (see jsonArrayItems). Throws MalformedDocument. */
export function itemsOf(bytes: Buffer, keys: ItemKeys, maxItemBytes = MAX_LINE_BYTES): ItemBatch {
  const scanner = itemScanner(keys, maxItemBytes);
  const batch = emptyBatch();
  scanner.scan(bytes, batch);
  scanner.end();
  batch.through = scanner.position;
  return batch;
}
