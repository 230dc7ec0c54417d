// Hex written field by field for golden-bytes tests: everything after `//` on a line is a comment,
// whitespace is ignored. Golden vectors are assembled by hand from the specs' layout tables this way.
export function hex(text: string): Buffer {
  const digits = text
    .split('\n')
    .map((line) => line.replace(/\/\/.*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`bad hex: ${digits}`);
  return Buffer.from(digits, 'hex');
}
