/**
 * Writer of the SpAtten workload trace format that trace.ts reads: the header of TRACE_COLUMNS, one
 * row per attention request, and the footer line naming the workload (first cell only, the rest
 * empty). Every workload generator (decode today; the summarization stage's bert and gpt2-prompt
 * later) builds TraceRow[] and leaves the text to this file, so what the project writes is what it
 * reads.
 */
import { TRACE_COLUMNS, type TraceRow } from './trace';

function cell(key: keyof TraceRow, value: TraceRow[keyof TraceRow]): string {
  if (value === null) return '-1'; // the format's "full precision / not used"
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  // The release writes the head dimension as a float ("64.0"); the reader accepts both.
  return key === 'headDim' ? `${value}.0` : String(value);
}

export function formatTrace(rows: readonly TraceRow[], footer: string): string {
  // The reader tells the footer from a request by its empty cells and non-numeric start.
  if (/[,\r\n]/.test(footer) || /^\d/.test(footer) || footer.trim() === '') {
    const rule = 'must be one non-empty cell not starting with a digit';
    throw new Error(`trace footer ${JSON.stringify(footer)}: ${rule}`);
  }
  const lines = [
    TRACE_COLUMNS.map((column) => column.name).join(','),
    ...rows.map((row) => TRACE_COLUMNS.map((c) => cell(c.key, row[c.key])).join(',')),
    footer + ','.repeat(TRACE_COLUMNS.length - 1),
  ];
  return `${lines.join('\n')}\n`;
}

/** Every footer this project writes starts so (a trace with it came from `spatten workload`). */
export const WORKLOAD_FOOTER_PREFIX = 'spatten-gen workload ';
