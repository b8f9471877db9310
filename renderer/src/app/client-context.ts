import { createContext, useContext } from 'react';
import type { FieldkitClient } from '../../../shared/contract/client.js';

const ClientContext = createContext<FieldkitClient | null>(null);
export const ClientProvider = ClientContext.Provider;

/** The backend, for feature components: the only way they reach it. */
export function useClient(): FieldkitClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <App>');
  return client;
}
