/** A Vite plugin that serves the page's settings as `strata-web.json` (dev server and
 * preview server alike): the cluster and pool a command started for it. */
import type { Plugin } from 'vite';

import type { WebFile } from './demo.js';

export function webFilePlugin(file: WebFile): Plugin {
  const body = JSON.stringify(file);
  const serve = (req: { url?: string }, res: { setHeader(k: string, v: string): void; end(b: string): void }, next: () => void) => {
    if (req.url?.split('?')[0]?.endsWith('/strata-web.json')) {
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'no-store');
      res.end(body);
      return;
    }
    next();
  };
  return {
    name: 'strata-web-file',
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
  };
}
