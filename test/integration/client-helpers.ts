// Small helpers for integration suites that drive our client against a harness Samba.
import { SmbClient, type ConnectOptions, type Credentials, type SmbSession, type SmbTree } from '../../protocol/index.js';
import type { SambaServer } from '../harness/samba-server.js';

export interface Opened {
  client: SmbClient;
  session: SmbSession;
  tree: SmbTree;
  close(): Promise<void>;
}

export function userCreds(server: SambaServer): Credentials {
  return { kind: 'user', user: server.user, password: server.password };
}

export async function openShare(
  server: SambaServer,
  share: string,
  creds: Credentials = userCreds(server),
  opts: Partial<ConnectOptions> = {},
): Promise<Opened> {
  const client = await SmbClient.connect({ host: server.host, port: server.port, timeoutMs: 20_000, ...opts });
  try {
    const session = await client.login(creds);
    const tree = await session.connectTree(share);
    return { client, session, tree, close: () => client.close() };
  } catch (e) {
    await client.close();
    throw e;
  }
}
