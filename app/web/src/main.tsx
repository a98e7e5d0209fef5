import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App.js';
import { loadConfig } from './config.js';
import './styles.css';

const config = await loadConfig();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App initial={config} />
  </StrictMode>,
);
