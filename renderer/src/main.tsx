import { StrictMode } from 'react';
import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { connect } from './transport/connect.js';
import './styles/fonts.css';
import './styles/app.css';

// zod probes for `new Function` once; the CSP forbids eval, so tell it not to try.
z.config({ jitless: true });

const root = createRoot(document.getElementById('root')!);
const connection = connect();
root.render(
  <StrictMode>
    {'client' in connection ? (
      <App client={connection.client} />
    ) : (
      <div className="fatal" role="alert">
        <h1>FieldKit cannot reach its backend</h1>
        <p>{connection.error}</p>
      </div>
    )}
  </StrictMode>,
);
