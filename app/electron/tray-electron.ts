// The tray from tray-model.ts: images drawn per state and size, the menu set again on every change.
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { DriveView } from '../../main/index.js';
import { trayIconPng } from './tray-icons.js';
import { trayIconSizes, trayModel, type TrayAction, type TrayState } from './tray-model.js';

export function trayImage(state: TrayState) {
  const [base, ...more] = trayIconSizes(process.platform);
  const img = nativeImage.createFromBuffer(trayIconPng(state, base as number));
  for (const size of more) img.addRepresentation({ scaleFactor: size / (base as number), buffer: trayIconPng(state, size) });
  return img;
}

export function createTray(onAction: (a: TrayAction) => void): { update(drives: DriveView[]): void; destroy(): void } {
  const tray = new Tray(trayImage('connected'));
  return {
    update(drives) {
      const model = trayModel(drives);
      tray.setImage(trayImage(model.state));
      tray.setToolTip(model.tooltip);
      const items: MenuItemConstructorOptions[] = model.menu.map((m) =>
        m.kind === 'separator' ? { type: 'separator' } : { label: m.label, enabled: m.enabled, ...(m.toolTip ? { toolTip: m.toolTip } : {}), ...(m.action ? { click: () => onAction(m.action as TrayAction) } : {}) },
      );
      // Linux (AppIndicator) only shows a changed menu when it is set again.
      tray.setContextMenu(Menu.buildFromTemplate(items));
    },
    destroy: () => tray.destroy(),
  };
}
