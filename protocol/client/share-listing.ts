// Share listing over IPC$ (MS-SRVS 3.1.4.8 NetrShareEnum via the \srvsvc named pipe, MS-RPCE):
// the RPC bytes travel in SMB2 IOCTL FSCTL_PIPE_TRANSCEIVE (MS-FSCC 2.3.49), and READ when
// the answer does not fit (STATUS_BUFFER_OVERFLOW).
import type { RpcPipe } from '../rpc/share-enum.js';
import { decodeIoctlResponse, encodeIoctlRequest, FSCTL_PIPE_TRANSCEIVE, SMB2_0_IOCTL_IS_FSCTL } from '../smb2/commands/ioctl.js';
import { decodeReadResponse, encodeReadRequest } from '../smb2/commands/read.js';
import { Smb2Command } from '../smb2/constants.js';
import { FILE_OPEN, FILE_READ_DATA, FILE_WRITE_DATA, FILE_READ_ATTRIBUTES, SYNCHRONIZE, FILE_SHARE_READ, FILE_SHARE_WRITE } from '../smb2/create-constants.js';
import { NtStatus } from '../smb2/nt-status.js';
import { withFile, type OpenFile } from './file-handle.js';
import { treeCall, type TreeContext } from './tree-context.js';
import type { ShareInfo } from './types.js';

const PIPE_ANSWER_LIMIT = 64 * 1024;

export function listShares(ipc: TreeContext, host: string): Promise<ShareInfo[]> {
  const open = {
    desiredAccess: FILE_READ_DATA | FILE_WRITE_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
    createDisposition: FILE_OPEN,
    createOptions: 0,
    shareAccess: FILE_SHARE_READ | FILE_SHARE_WRITE,
    operation: 'open srvsvc',
  };
  return withFile(ipc, 'srvsvc', open, async (pipe) => {
    // DCE/RPC and NDR load only for a share listing, not for every command.
    const [{ listSharesOverPipe }, { shareTypeOf }] = await Promise.all([import('../rpc/share-enum.js'), import('../rpc/srvsvc.js')]);
    const shares = await listSharesOverPipe(pipeOver(ipc, pipe), `\\\\${host}`);
    return shares.map((s) => ({ name: s.name, ...shareTypeOf(s.type), comment: s.comment }));
  });
}

function pipeOver(t: TreeContext, f: OpenFile): RpcPipe {
  const accept = [NtStatus.STATUS_SUCCESS, NtStatus.STATUS_BUFFER_OVERFLOW];
  return {
    async transceive(request, maxResponse) {
      const max = Math.min(maxResponse, PIPE_ANSWER_LIMIT);
      const res = await treeCall(
        t,
        {
          command: Smb2Command.IOCTL,
          body: [encodeIoctlRequest({ ctlCode: FSCTL_PIPE_TRANSCEIVE, fileId: f.fileId, input: request, maxOutputResponse: max, flags: SMB2_0_IOCTL_IS_FSCTL })],
          payloadSize: Math.max(request.length, max),
          operation: 'rpc transceive',
        },
        accept,
      );
      return { data: decodeIoctlResponse(res.msg).output, more: res.header.status === NtStatus.STATUS_BUFFER_OVERFLOW };
    },
    async read(maxResponse) {
      const max = Math.min(maxResponse, PIPE_ANSWER_LIMIT);
      const res = await treeCall(
        t,
        { command: Smb2Command.READ, body: [encodeReadRequest({ fileId: f.fileId, offset: 0, length: max })], payloadSize: max, operation: 'rpc read' },
        accept,
      );
      return { data: decodeReadResponse(res.msg).data, more: res.header.status === NtStatus.STATUS_BUFFER_OVERFLOW };
    },
  };
}
