// The transfer list says which share a job works on when that is not the drive's own share, and
// says nothing more for an ordinary job. Rendered to markup (the renderer's tests run without a
// DOM) over a real store whose client is never called.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ApiClient, DriveView, TransferView } from '../../../../main/api/types.js';
import { createAppStore } from '../../store/index.js';
import { StoreContext } from '../../store/react.js';
import { otherShareLabel } from './job-share.js';
import { TransferPanel } from './TransferPanel.js';

const drive: DriveView = {
  id: 'd1', name: 'Team', target: 'smb://nas/team', unc: '\\\\nas\\team', host: 'nas', port: 445, share: 'team', rootPath: '', alternates: [],
  options: { requireSigning: false, requireEncryption: false }, persistent: true, status: { kind: 'connected', reason: 'connected', message: '', since: 0 }, hasSavedPassword: false,
};

const job = (id: string, over: Partial<TransferView>): TransferView => ({
  id, direction: 'download', kind: 'file', driveId: 'd1', remotePath: 'in/report.pdf', localName: 'report.pdf', state: 'running',
  bytesDone: 10, bytesTotal: 100, rate: 0, createdAt: '', updatedAt: '', ...over,
});

function render(jobs: TransferView[], drives: DriveView[] = [drive]): string {
  const store = createAppStore({ api: {} as ApiClient, schedule: () => undefined });
  store.setState({ transfersOpen: true, drives, jobs: Object.fromEntries(jobs.map((j) => [j.id, j])), jobOrder: jobs.map((j) => j.id) });
  // A server render reads the store's initial state (zustand's server snapshot): make it this one.
  const filled = { ...store, getInitialState: store.getState };
  return renderToStaticMarkup(createElement(StoreContext.Provider, { value: filled }, createElement(TransferPanel)));
}

/** The markup of the row whose name is `name`. */
const row = (html: string, name: string): string => html.split('<li').find((li) => li.includes(`>${name}</span>`)) ?? '';

describe('TransferPanel: jobs on another share of the drive server', () => {
  it("shows \\\\host\\share\\path under a job on another share, nothing under one on the drive's own share", () => {
    const html = render([
      job('own', { remotePath: 'docs/own.txt', localName: 'own.txt' }),
      job('other', { share: 'Archive', remotePath: 'in/report.pdf' }),
      job('up', { direction: 'upload', share: 'Archive', remotePath: 'drop/photo.jpg', localName: 'photo.jpg' }),
    ]);
    expect(row(html, 'report.pdf')).toContain('<div class="detail job-share">on \\\\nas\\Archive\\in\\report.pdf</div>');
    expect(row(html, 'photo.jpg')).toContain('on \\\\nas\\Archive\\drop\\photo.jpg');
    expect(row(html, 'own.txt')).not.toBe('');
    expect(row(html, 'own.txt')).not.toContain('job-share');
    expect(html.match(/job-share/g)).toHaveLength(2);
  });

  it('names the share alone when the drive is no longer in the list', () => {
    expect(row(render([job('other', { share: 'Archive' })], []), 'report.pdf')).toContain('on share Archive');
  });
});

describe('otherShareLabel', () => {
  it("is undefined for the drive's own share and spells the share's root without a trailing separator", () => {
    expect(otherShareLabel({ remotePath: 'a/b' }, 'nas')).toBeUndefined();
    expect(otherShareLabel({ share: 'second', remotePath: '' }, 'nas')).toBe('on \\\\nas\\second');
    expect(otherShareLabel({ share: 'second', remotePath: 'a/b/c.txt' }, 'nas')).toBe('on \\\\nas\\second\\a\\b\\c.txt');
  });
});
