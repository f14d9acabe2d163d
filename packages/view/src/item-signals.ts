/**
 * One item's white-box signals, from the run's signals.arrow (written by the loop for the judged items of a white-box
 * model): the output signals (entropy, top-1 probability, margin, mean log-probability...) and, per layer, the
 * whole-layer signals and the per-head ones averaged over the layer's heads, each layer with its type (Gated DeltaNet
 * or full attention). The file is read once and grouped by item; the store keeps the result per version of the file.
 */
import type { LayerType } from '@trustbench/core';
import { readSignalFile, SIGNAL_NAMES, type SignalRecord } from '@trustbench/signals';

/** One output signal of an item. */
export interface OutputSignal {
  readonly signal: string;
  readonly value: number;
  /** What the signal measures (from `SIGNAL_NAMES`), or null for a name this version does not know. */
  readonly description: string | null;
}

/** One signal at one layer: its value, or the mean over the layer's heads for a per-head signal. */
export interface LayerSignal {
  readonly layer: number;
  readonly layerType: LayerType | null;
  readonly signal: string;
  readonly value: number;
  /** Heads averaged into `value`; 0 for a whole-layer signal. */
  readonly heads: number;
}

/** An item's signals. */
export interface ItemSignals {
  /** The item's journal key (`taskId|itemId`). */
  readonly itemId: string;
  /** The item's group in the comparison ('correct' / 'incorrect'), or null. */
  readonly group: string | null;
  readonly output: readonly OutputSignal[];
  /** Sorted by layer, then signal. */
  readonly layers: readonly LayerSignal[];
}

const describe = (signal: string): string | null => (Object.hasOwn(SIGNAL_NAMES, signal) ? SIGNAL_NAMES[signal as keyof typeof SIGNAL_NAMES] : null);

/**
 * Groups signal records by item. Non-finite values (a signal that could not be computed) are left out.
 *
 * @returns a map from item key to the item's signals.
 * @example
 * const byItem = groupItemSignals(await readSignalFile('runs/demo/signals.arrow'));
 * byItem.get('safety.misuse|12')?.output;
 */
export function groupItemSignals(records: readonly SignalRecord[]): Map<string, ItemSignals> {
  const items = new Map<string, { group: string | null; output: OutputSignal[]; cells: Map<string, { layer: number; layerType: LayerType | null; signal: string; sum: number; n: number; heads: number }> }>();
  for (const r of records) {
    if (!Number.isFinite(r.value)) continue;
    let item = items.get(r.itemId);
    if (!item) items.set(r.itemId, (item = { group: r.group, output: [], cells: new Map() }));
    if (r.layer === null) {
      item.output.push({ signal: r.signal, value: r.value, description: describe(r.signal) });
      continue;
    }
    const key = `${r.layer}|${r.signal}`;
    const cell = item.cells.get(key) ?? { layer: r.layer, layerType: r.layerType, signal: r.signal, sum: 0, n: 0, heads: 0 };
    cell.sum += r.value;
    cell.n += 1;
    if (r.head !== null) cell.heads += 1;
    item.cells.set(key, cell);
  }
  return new Map([...items].map(([itemId, { group, output, cells }]) => [itemId, {
    itemId, group, output,
    layers: [...cells.values()].sort((a, b) => a.layer - b.layer || a.signal.localeCompare(b.signal)).map((c) => ({ layer: c.layer, layerType: c.layerType, signal: c.signal, value: c.sum / c.n, heads: c.heads })),
  }]));
}

/**
 * Reads a signals.arrow file and groups it by item.
 *
 * @param file a path the caller has checked lies under the runs folder.
 * @throws {DataError} when the file is not the signal schema (from `readSignalFile`).
 * @example
 * const byItem = await readItemSignals('runs/demo/signals.arrow');
 */
export async function readItemSignals(file: string): Promise<Map<string, ItemSignals>> {
  return groupItemSignals(await readSignalFile(file));
}
