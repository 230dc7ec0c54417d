// The transfer panel: every job with a progress bar, rate and ETA, pause/resume, cancel, retry,
// the conflict question (skip / overwrite / keep both, "for all"), and what happened on failure.
import { useState } from 'react';
import type { TransferView } from '../../../../main/api/types.js';
import { ErrorLine } from '../../components/Dialog.js';
import { formatEta, formatRate, formatSize } from '../../components/format.js';
import { useApp } from '../../store/react.js';
import type { BrowserTransfer } from '../../store/transfers-slice.js';
import { otherShareLabel } from './job-share.js';
import { progressValue } from './progress-value.js';

const STATE_LABEL: Record<TransferView['state'], string> = {
  queued: 'Waiting',
  running: 'Copying',
  'waiting-for-decision': 'Needs an answer',
  paused: 'Paused',
  done: 'Done',
  skipped: 'Skipped',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function Progress({ done, total, finished, label }: { done: number; total: number; finished: boolean; label: string }) {
  const { max, value } = progressValue(done, total, finished);
  return <progress max={max} value={value} aria-label={label} />;
}

function Conflict({ job }: { job: TransferView }) {
  const decide = useApp((s) => s.decide);
  const [forAll, setForAll] = useState(false);
  const c = job.conflict;
  return (
    <div className="conflict" role="group" aria-label={`${job.localName} already exists`}>
      <span>
        “{c?.path.split(/[\\/]/).pop() ?? job.localName}” already exists{c ? ` (${formatSize(c.existingSize)} there, ${formatSize(c.incomingSize)} incoming)` : ''}.
      </span>
      <button onClick={() => void decide(job.id, 'skip', forAll)}>Skip</button>
      <button onClick={() => void decide(job.id, 'overwrite', forAll)}>Overwrite</button>
      <button onClick={() => void decide(job.id, 'keep-both', forAll)}>Keep both</button>
      <label className="check">
        <input type="checkbox" checked={forAll} onChange={(e) => setForAll(e.target.checked)} /> For all
      </label>
    </div>
  );
}

function JobRow({ job }: { job: TransferView }) {
  const control = useApp((s) => s.controlJob);
  const host = useApp((s) => s.drives.find((d) => d.id === job.driveId)?.host);
  const name = job.direction === 'download' ? job.remotePath.split('/').pop() : job.localName;
  const elsewhere = otherShareLabel(job, host);
  const active = job.state === 'running' || job.state === 'queued';
  return (
    <li className={`job ${job.state}`} data-job-state={job.state}>
      <div className="job-line">
        <span className="job-dir" aria-hidden="true">
          {job.direction === 'download' ? '↓' : '↑'}
        </span>
        <span className="job-name">{name}</span>
        <span className="job-state">{STATE_LABEL[job.state]}</span>
        <span className="job-figures">
          {formatSize(job.bytesDone)} / {formatSize(job.bytesTotal)} {job.state === 'running' ? `${formatRate(job.rate)} ${formatEta(job.etaSeconds)}` : ''}
        </span>
        <span className="job-buttons">
          {active ? <button onClick={() => void control(job.id, 'pause')} aria-label={`Pause ${name}`}>Pause</button> : null}
          {job.state === 'paused' ? <button onClick={() => void control(job.id, 'resume')} aria-label={`Resume ${name}`}>Resume</button> : null}
          {active || job.state === 'paused' || job.state === 'waiting-for-decision' ? (
            <button onClick={() => void control(job.id, 'cancel')} aria-label={`Cancel ${name}`}>
              Cancel
            </button>
          ) : null}
          {job.state === 'failed' || job.state === 'cancelled' ? <button onClick={() => void control(job.id, 'retry')} aria-label={`Retry ${name}`}>Retry</button> : null}
        </span>
      </div>
      {elsewhere !== undefined ? <div className="detail job-share">{elsewhere}</div> : null}
      <Progress done={job.bytesDone} total={job.bytesTotal} finished={job.state === 'done'} label={`${name} progress`} />
      {job.state === 'waiting-for-decision' ? <Conflict job={job} /> : null}
      {job.state === 'failed' ? <ErrorLine error={job.error} /> : null}
      {job.notice ? <div className="detail">{job.notice}</div> : null}
    </li>
  );
}

function UploadConflict({ t }: { t: BrowserTransfer }) {
  const answer = useApp((s) => s.answerUploadConflict);
  const [forAll, setForAll] = useState(false);
  return (
    <div className="conflict" role="group" aria-label={`${t.name} already exists`}>
      <span>“{t.name}” already exists on the server.</span>
      <button onClick={() => answer(t.id, 'skip', forAll)}>Skip</button>
      <button onClick={() => answer(t.id, 'overwrite', forAll)}>Overwrite</button>
      <button onClick={() => answer(t.id, 'keep-both', forAll)}>Keep both</button>
      <label className="check">
        <input type="checkbox" checked={forAll} onChange={(e) => setForAll(e.target.checked)} /> For all
      </label>
    </div>
  );
}

const BROWSER_STATE: Record<BrowserTransfer['state'], string> = { running: '', done: 'Done', failed: 'Failed', conflict: 'Needs an answer', skipped: 'Skipped' };

function BrowserRow({ t }: { t: BrowserTransfer }) {
  return (
    <li className={`job ${t.state}`} data-job-state={t.state}>
      <div className="job-line">
        <span className="job-dir" aria-hidden="true">
          {t.direction === 'download' ? '↓' : '↑'}
        </span>
        <span className="job-name">{t.name}</span>
        <span className="job-state">{t.state === 'running' ? (t.direction === 'upload' ? 'Uploading' : 'Downloading') : t.state === 'done' && t.direction === 'download' ? 'Sent to the browser' : BROWSER_STATE[t.state]}</span>
        <span className="job-figures">
          {formatSize(t.bytesDone)} / {formatSize(t.bytesTotal)} {t.state === 'running' ? formatRate(t.rate) : ''}
        </span>
      </div>
      <Progress done={t.bytesDone} total={t.bytesTotal} finished={t.state === 'done'} label={`${t.name} progress`} />
      {t.state === 'conflict' ? <UploadConflict t={t} /> : null}
      {t.state === 'failed' ? <ErrorLine error={t.error} /> : null}
    </li>
  );
}

export function TransferPanel() {
  const open = useApp((s) => s.transfersOpen);
  const show = useApp((s) => s.showTransfers);
  const jobs = useApp((s) => s.jobs);
  const order = useApp((s) => s.jobOrder);
  const browser = useApp((s) => s.browserTransfers);
  // Top-level jobs, plus a folder's file jobs that need a person (a conflict, a failure).
  const visible = order.map((id) => jobs[id]).filter((j): j is TransferView => j !== undefined && (j.parentId === undefined || j.state === 'waiting-for-decision' || j.state === 'failed'));
  const running = visible.filter((j) => j.state === 'running' || j.state === 'queued').length + browser.filter((b) => b.state === 'running').length;
  return (
    <section className={`transfers${open ? ' open' : ''}`} aria-label="Transfers">
      <button className="transfers-toggle" aria-expanded={open} onClick={() => show(!open)}>
        Transfers {running > 0 ? `(${running} active)` : `(${visible.length + browser.length})`}
      </button>
      {open ? (
        <ul className="job-list" tabIndex={0} aria-label="Transfer jobs">
          {visible.length + browser.length === 0 ? <li className="empty">No transfers yet.</li> : null}
          {[...browser].reverse().map((t) => (
            <BrowserRow key={t.id} t={t} />
          ))}
          {[...visible].reverse().map((j) => (
            <JobRow key={j.id} job={j} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
