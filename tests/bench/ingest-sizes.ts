/**
 * DynamoDB's item-size rules (the basis of capacity billing): attribute name bytes plus value bytes. Strings and
 * binaries count their bytes; numbers about one byte per two significant digits plus one; lists and maps 3 bytes
 * plus 1 per element. DynamoDB Local does not bill transactions as DynamoDB does (it reports about half), so the
 * bench models write units from these sizes as well as quoting what Local reports.
 */
export const attributeSize = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number')
    return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').length / 2) + 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + attributeSize(v) + 1, 0);
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + attributeSize(v), 0);
  if (typeof value === 'object')
    return (
      3 + Object.entries(value).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + attributeSize(v) + 1, 0)
    );
  return 0;
};

export const itemSize = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + attributeSize(value),
    0,
  );

/** Write units of one write: 1 per started KB, doubled inside a transaction. */
export const writeUnits = (bytes: number, transactional: boolean): number =>
  Math.max(1, Math.ceil(bytes / 1024)) * (transactional ? 2 : 1);
