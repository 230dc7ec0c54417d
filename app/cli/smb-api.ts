// The slice of the protocol/ client API the CLI uses, named in one place so the commands read
// `Tree`, `Session`, `Client` rather than the class names.
import { SmbClient, type ConnectOptions, type SmbSession, type SmbTree } from '../../protocol/index.js';

export type { ConnectOptions, Credentials, FileStat, LogFn, ShareInfo } from '../../protocol/index.js';

export type Client = SmbClient;
export type Session = SmbSession;
export type Tree = SmbTree;

export function connectClient(opts: ConnectOptions): Promise<Client> {
  return SmbClient.connect(opts);
}
