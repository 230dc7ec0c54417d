// Start-up: connect to main (Electron preload or serve's WebSocket), build the store, subscribe
// it to main's events, load the first screen, render.
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { ApiContext } from './api/context.js';
import { connect } from './api/client.js';
import { putFile, startDownload } from './api/http.js';
import { createAppStore, loadAll, wireEvents } from './store/index.js';
import { StoreContext } from './store/react.js';
import './styles.css';

async function start(): Promise<void> {
  const conn = await connect();
  const store = createAppStore({ api: conn.api, streams: conn.streams, startDownload, putFile });
  wireEvents(store, conn.api);
  conn.onStatus((up) => store.getState().setLink(up));
  conn.onReconnect(() => {
    store.getState().rewatch();
    void loadAll(store, conn.api);
  });
  await loadAll(store, conn.api);
  const root = createRoot(document.getElementById('root') as HTMLElement);
  root.render(
    <ApiContext.Provider value={conn.api}>
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>
    </ApiContext.Provider>,
  );
  // For the e2e tests and the UI benchmark: the store, read-only use.
  (window as unknown as { __sharekeeper?: unknown }).__sharekeeper = store;
}

void start();
