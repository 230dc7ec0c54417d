// The client object for components that call it directly (dialogs that own their data).
import { createContext, useContext } from 'react';
import type { ApiClient } from './client.js';

export const ApiContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('no API client');
  return api;
}
