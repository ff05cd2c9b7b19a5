// InfluxDB's annotated CSV (the /api/v2/query response, Flux dialect with the
// datatype, group and default annotations): just enough to read the first record's
// _value with its declared type, and to recognise an error table.
// Format: https://docs.influxdata.com/influxdb/v2/reference/syntax/annotated-csv/

export interface FluxRecord {
  /** Column name → typed value; null for an empty cell without a default. */
  readonly values: Readonly<Record<string, string | number | boolean | null>>;
  /** The raw row, for messages. */
  readonly raw: string;
}

export class FluxCsvError extends Error {
  override readonly name = 'FluxCsvError';
}

/** RFC 4180 fields of one CSV record (quotes, doubled quotes; no embedded newlines across calls). */
function splitCsvRecords(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function typed(datatype: string | undefined, cell: string): string | number | boolean | null {
  if (cell === '') return null;
  switch (datatype) {
    case 'double':
      return /^[+]?inf$/i.test(cell) ? Infinity : /^-inf$/i.test(cell) ? -Infinity : Number(cell);
    case 'long':
    case 'unsignedLong':
      return Number(cell);
    case 'boolean':
      return cell === 'true';
    default:
      return cell;
  }
}

/**
 * The first data record of the response, or undefined when there is none. Throws
 * FluxCsvError for an error table (`error,reference` header) with its message.
 */
export function firstFluxRecord(text: string): FluxRecord | undefined {
  let datatypes: string[] = [];
  let defaults: string[] = [];
  let header: string[] | undefined;
  for (const row of splitCsvRecords(text)) {
    if (row.length === 1 && row[0] === '') {
      header = undefined; // a blank line ends a table; the next one brings its own annotations
      datatypes = [];
      defaults = [];
      continue;
    }
    const first = row[0] ?? '';
    if (first === '#datatype') {
      datatypes = row;
      header = undefined;
      continue;
    }
    if (first === '#default') {
      defaults = row;
      continue;
    }
    if (first.startsWith('#')) continue;
    if (header === undefined) {
      header = row;
      continue;
    }
    const errorAt = header.indexOf('error');
    if (errorAt >= 0 && header.includes('reference')) {
      throw new FluxCsvError(row[errorAt] ?? 'unknown error');
    }
    const values: Record<string, string | number | boolean | null> = {};
    header.forEach((name, i) => {
      if (i === 0 && name === '') return; // the annotation column
      const cell = row[i] ?? '';
      values[name] = typed(datatypes[i], cell === '' ? (defaults[i] ?? '') : cell);
    });
    return { values, raw: row.join(',') };
  }
  return undefined;
}
