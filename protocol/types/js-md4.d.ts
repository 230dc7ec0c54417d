// js-md4 ships no types; this is the part of its API we use.
declare module 'js-md4' {
  interface Md4 {
    arrayBuffer(message: ArrayBuffer | Uint8Array | string): ArrayBuffer;
    hex(message: ArrayBuffer | Uint8Array | string): string;
  }
  const md4: Md4;
  export default md4;
}
