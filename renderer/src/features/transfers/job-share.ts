// Where a job works when that is not the drive's own share (a job with `share`: a transfer on
// another share of the drive's server). Its row says so under the name, so it is not taken for
// one on the drive's share; a job on the drive's own share carries no `share` and shows nothing.
import type { TransferView } from '../../../../main/api/types.js';

/**
 * `on \\host\share\path` for a job on another share of the drive's server, `on share NAME` when
 * the drive is no longer known here (its host with it), undefined for the drive's own share.
 */
export function otherShareLabel(job: Pick<TransferView, 'share' | 'remotePath'>, host: string | undefined): string | undefined {
  if (job.share === undefined) return undefined;
  if (host === undefined) return `on share ${job.share}`;
  const path = job.remotePath.split('/').filter((p) => p !== '');
  return `on ${['\\\\' + host, job.share, ...path].join('\\')}`;
}
