/** Reading and writing an exported model as JSON (sections in base64) or as an Arrow IPC file (one row per section). */
import { existsSync, readFileSync } from 'node:fs';
import { Binary, Field, Schema, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { currentHeader, QNN_FORMAT, QNN_READABLE_VERSIONS, type QnnHeader, type QnnModel } from './format.js';

/** Schema metadata key of the header in the Arrow form. */
const HEADER_KEY = 'qatbench-qnn-header';

type Encoding = 'json' | 'arrow';

/** The encoding a model file's name asks for; a usage error for any other name. */
export function encodingOf(path: string): Encoding {
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.arrow')) return 'arrow';
  throw new UsageError(`${path}: a model file ends in .json or .arrow (e.g. model.qnn.json)`);
}

function toBytes(model: QnnModel, encoding: Encoding): Uint8Array {
  const names = Object.keys(model.sections);
  if (encoding === 'json') {
    const sections = Object.fromEntries(names.map((name) => [name, Buffer.from(model.sections[name]).toString('base64')]));
    return Buffer.from(`${JSON.stringify({ header: model.header, sections })}\n`);
  }
  const schema = new Schema(
    [new Field('section', new Utf8(), false), new Field('bytes', new Binary(), false)],
    new Map([[HEADER_KEY, JSON.stringify(model.header)]]),
  );
  return tableToIPC(
    new Table(schema, {
      section: vectorFromArray(names, new Utf8()),
      bytes: vectorFromArray(
        names.map((name) => model.sections[name]),
        new Binary(),
      ),
    }),
    'file',
  );
}

export function writeQnn(path: string, model: QnnModel): void {
  writeFileAtomic(path, toBytes(model, encodingOf(path)));
}

function parse(bytes: Buffer, encoding: Encoding): { header: unknown; sections: Record<string, Uint8Array> } {
  if (encoding === 'json') {
    const { header, sections } = JSON.parse(bytes.toString('utf8')) as { header: unknown; sections: Record<string, string> };
    if (typeof sections !== 'object' || sections === null) throw new Error('no sections');
    return { header, sections: Object.fromEntries(Object.entries(sections).map(([name, b64]) => [name, new Uint8Array(Buffer.from(b64, 'base64'))])) };
  }
  const table = tableFromIPC(bytes);
  const header = table.schema.metadata.get(HEADER_KEY);
  if (header === undefined) throw new Error('no model header in the schema metadata');
  const names = table.getChild('section');
  const blobs = table.getChild('bytes');
  if (!names || !blobs) throw new Error('no section/bytes columns');
  return {
    header: JSON.parse(header),
    sections: Object.fromEntries(Array.from({ length: table.numRows }, (_, i) => [names.get(i) as string, Uint8Array.from(blobs.get(i) as Uint8Array)])),
  };
}

/** Any problem is one line naming the file: a user points --model at it. Every readable version comes back in the current form. */
export function readQnn(path: string): QnnModel {
  const encoding = encodingOf(path);
  if (!existsSync(path)) throw new UsageError(`${path}: model file not found`);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(readFileSync(path), encoding);
  } catch (err) {
    throw new UsageError(`${path}: not a readable ${encoding} model file (${(err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ')})`);
  }
  const header = parsed.header as QnnHeader;
  if (header?.format !== QNN_FORMAT) throw new UsageError(`${path}: not a qatbench model export (no "${QNN_FORMAT}" header)`);
  if (!QNN_READABLE_VERSIONS.includes(header.version)) {
    throw new UsageError(
      `${path}: model format version ${header.version}; this qatbench reads versions ${QNN_READABLE_VERSIONS.slice(0, -1).join(', ')} and ${QNN_READABLE_VERSIONS.at(-1)}`,
    );
  }
  return { header: currentHeader(header), sections: parsed.sections };
}
