// MD4 (RFC 1320). NTLM needs it for NTOWF (MS-NLMP 3.3.1/3.3.2); OpenSSL 3 moved MD4 to the legacy
// provider, which Node and Electron do not load, so it comes from the small pure-JS js-md4 package.
import jsMd4 from 'js-md4';

export function md4(data: Buffer): Buffer {
  return Buffer.from(jsMd4.arrayBuffer(data));
}
