// Cuts bytes into chunks at arbitrary points, as a stream may deliver them (for framing properties).

/** `bytes` cut at the given positions (each taken modulo the length, duplicates and empty chunks dropped). */
export function cutAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  return chunks;
}
